import type { FastifyRequest } from 'fastify';
import type { Db, Trx } from '../db/database.ts';

export interface AuditEntry {
  readonly action: string;
  readonly targetKind?: string;
  readonly targetId?: string;
  readonly outcome?: 'ok' | 'refused';
  readonly before?: unknown;
  readonly after?: unknown;
  readonly detail?: unknown;
  /** Who acted, when the request does not say (logins, system jobs). */
  readonly actor?: { kind: 'customer' | 'staff' | 'system' | 'anonymous'; id: string | null };
}

const json = (v: unknown) =>
  v === undefined ? null : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** Append an entry to the audit log, in the caller's transaction when it passes one. */
export async function audit(db: Db | Trx, request: FastifyRequest | undefined, entry: AuditEntry): Promise<void> {
  const actor =
    entry.actor ??
    (request?.staff
      ? { kind: 'staff' as const, id: request.staff.id }
      : request?.customer
        ? { kind: 'customer' as const, id: request.customer.id }
        : { kind: 'anonymous' as const, id: null });
  await db
    .insertInto('audit_log')
    .values({
      actor_kind: actor.kind,
      actor_id: actor.id,
      action: entry.action,
      target_kind: entry.targetKind ?? null,
      target_id: entry.targetId ?? null,
      outcome: entry.outcome ?? 'ok',
      ip: request?.ip ?? null,
      user_agent: request?.headers['user-agent']?.slice(0, 300) ?? null,
      request_id: request?.id ?? null,
      before: json(entry.before),
      after: json(entry.after),
      detail: json(entry.detail),
    })
    .execute();
}
