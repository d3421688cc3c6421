import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Trx } from '../db/database.ts';
import { CommonError, defineErrors } from './errors.ts';
import { inTransaction } from './transactions.ts';

export const IdempotencyError = defineErrors({
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '该操作涉及资金，请求须带 Idempotency-Key 头（1–255 个可见字符）',
    en: 'This request moves money and needs an Idempotency-Key header (1–255 visible characters)',
  },
});

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const PLACEHOLDER_STATUS = 0;

/** The header every money-moving request must carry, validated. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const raw = request.headers['idempotency-key'];
  const key = Array.isArray(raw) ? undefined : raw;
  if (key === undefined || !KEY_PATTERN.test(key))
    throw IdempotencyError.IDEMPOTENCY_KEY_REQUIRED({ field: 'Idempotency-Key' });
  return key;
}

/** JSON with object keys sorted, so equal requests hash equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

/** Money goes over the API as integer fen numbers; store bodies the way they will be sent. */
function storableJson(body: unknown): string {
  return JSON.stringify(body, (_k, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`idempotency: ${v} does not fit a JSON number`);
    return n;
  });
}

export interface IdempotentAnswer<T> {
  readonly statusCode: number;
  readonly body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * Run a money-moving use case at most once per (scope, key).
 *
 * The key is claimed inside the same transaction as the work: a concurrent repeat waits on the claim
 * until the first commits, then gets its stored answer. If the work fails, the transaction (claim
 * included) rolls back, nothing has happened, and a retry runs it afresh. The same key with another
 * request answers 409 IDEMPOTENCY_KEY_REUSED.
 */
export async function runIdempotent<T>(
  db: Db,
  claim: { readonly scope: string; readonly key: string; readonly requestHash: string },
  work: (trx: Trx) => Promise<{ statusCode: number; body: T }>,
): Promise<IdempotentAnswer<T>> {
  return inTransaction(db, async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_records')
      .values({
        scope: claim.scope,
        key: claim.key,
        request_hash: claim.requestHash,
        status_code: PLACEHOLDER_STATUS,
        response_body: 'null',
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const record = await trx
        .selectFrom('idempotency_records')
        .select(['request_hash', 'status_code', 'response_body'])
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .executeTakeFirstOrThrow();
      if (record.request_hash !== claim.requestHash)
        throw CommonError.IDEMPOTENCY_KEY_REUSED({ field: 'Idempotency-Key' });
      return { statusCode: record.status_code, body: record.response_body as T, replayed: true };
    }
    const answer = await work(trx);
    const stored = storableJson(answer.body);
    await trx
      .updateTable('idempotency_records')
      .set({ status_code: answer.statusCode, response_body: stored })
      .where('scope', '=', claim.scope)
      .where('key', '=', claim.key)
      .execute();
    // The first answer is sent exactly as a repeat will get it.
    return { statusCode: answer.statusCode, body: JSON.parse(stored) as T, replayed: false };
  });
}

/** Route helper: claim the request's Idempotency-Key for `scope`, run the work once, send the answer. */
export async function sendIdempotent<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  scope: string,
  work: (trx: Trx) => Promise<{ statusCode: number; body: T }>,
): Promise<FastifyReply> {
  const key = idempotencyKeyOf(request);
  const hash = requestHash(request.method, request.routeOptions.url ?? request.url, {
    params: request.params,
    body: request.body,
  });
  const answer = await runIdempotent(db, { scope, key, requestHash: hash }, work);
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(answer.statusCode).send(answer.body);
}
