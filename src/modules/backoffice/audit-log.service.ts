import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { BackofficeError } from './backoffice.errors.ts';

export type ActorKind = 'customer' | 'staff' | 'system' | 'anonymous';

export interface AuditLogQuery {
  readonly actorKind?: ActorKind | undefined;
  readonly actorId?: string | undefined;
  /** An exact action (`member.frozen`) or a prefix ending in a dot (`member.`). */
  readonly action?: string | undefined;
  readonly targetKind?: string | undefined;
  readonly targetId?: string | undefined;
  readonly outcome?: 'ok' | 'refused' | undefined;
  /** First and last business dates (Asia/Shanghai), inclusive. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly cursor?: string | undefined;
  readonly limit: number;
}

export interface AuditLogEntry {
  readonly id: string;
  readonly at: Date;
  readonly actorKind: ActorKind;
  readonly actorId: string | null;
  /** The staff member's username and display name, for staff actors. */
  readonly actorName: string | null;
  readonly action: string;
  readonly targetKind: string | null;
  readonly targetId: string | null;
  readonly outcome: 'ok' | 'refused';
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly requestId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly detail: unknown;
}

function decodeCursor(cursor: string): bigint {
  const text = cursor.length <= 40 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!/^a\d{1,19}$/.test(text)) throw BackofficeError.INVALID_CURSOR({ field: 'cursor' });
  return BigInt(text.slice(1));
}

const encodeCursor = (id: bigint) => Buffer.from(`a${id}`, 'utf8').toString('base64url');

/** The audit log, newest first, filtered; `limit` rows per page. */
export async function listAuditLog(
  db: Db,
  query: AuditLogQuery,
): Promise<{ items: AuditLogEntry[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('staff as s', (join) => join.onRef('s.id', '=', 'a.actor_id').on('a.actor_kind', '=', 'staff'))
    .select([
      'a.id',
      'a.at',
      'a.actor_kind',
      'a.actor_id',
      's.username',
      's.display_name',
      'a.action',
      'a.target_kind',
      'a.target_id',
      'a.outcome',
      'a.ip',
      'a.user_agent',
      'a.request_id',
      'a.before',
      'a.after',
      'a.detail',
    ]);
  if (query.actorKind) q = q.where('a.actor_kind', '=', query.actorKind);
  if (query.actorId) q = q.where('a.actor_id', '=', query.actorId);
  if (query.action) {
    const action = query.action;
    q = action.endsWith('.')
      ? q.where(sql<boolean>`left(a.action, ${action.length}) = ${action}`)
      : q.where('a.action', '=', action);
  }
  if (query.targetKind) q = q.where('a.target_kind', '=', query.targetKind);
  if (query.targetId) q = q.where('a.target_id', '=', query.targetId);
  if (query.outcome) q = q.where('a.outcome', '=', query.outcome);
  if (query.from) q = q.where(sql<boolean>`a.at >= (${query.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
  if (query.to) {
    q = q.where(sql<boolean>`a.at < ((${query.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`);
  }
  if (query.cursor) q = q.where('a.id', '<', decodeCursor(query.cursor) as never);
  const rows = await q
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: r.at,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: r.username ? `${r.display_name} (${r.username})` : null,
      action: r.action,
      targetKind: r.target_kind,
      targetId: r.target_id,
      outcome: r.outcome,
      ip: r.ip,
      userAgent: r.user_agent,
      requestId: r.request_id,
      before: r.before,
      after: r.after,
      detail: r.detail,
    })),
    nextCursor: more && last ? encodeCursor(BigInt(last.id)) : null,
  };
}
