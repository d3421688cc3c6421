import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db, Trx } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import type { Permission } from '../../platform/auth/permissions.ts';
import { assert, CommonError } from '../../platform/errors.ts';
import { type ApprovalContext, approvalKind, approvalKinds } from './approvals.ts';
import { BackofficeError } from './backoffice.errors.ts';
import { cursorTime, decodeTimeCursor, encodeTimeCursor, olderThan, pageOf } from './cursor.ts';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';
export type ApprovalDecision = 'approve' | 'reject';

/** The staff member acting, with what they may do. */
export interface Actor {
  readonly id: string;
  readonly permissions: ReadonlySet<Permission>;
}

export interface ApprovalRequestInput {
  readonly kind: string;
  readonly payload: unknown;
  /** Why the maker asks (shown to the checker). */
  readonly note: string;
  readonly makerId: string;
  /** What the request is about: at most one pending request per kind and target. */
  readonly target?: { readonly kind: string; readonly id: string };
}

const UNIQUE_VIOLATION = '23505';
/** The maker's note is shown to the checker; the routes that lead here validate it as a reason. */
export const APPROVAL_NOTE_CHARS_MAX = 500;
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/**
 * Ask for a second person's approval of an action, in the caller's transaction. Modules call this
 * (there is no generic HTTP endpoint to create requests); the kind must be registered.
 */
export async function requestApproval(
  trx: Trx,
  input: ApprovalRequestInput,
  request?: FastifyRequest,
): Promise<{ id: string; status: ApprovalStatus }> {
  assert(approvalKind(input.kind) !== undefined, `approval kind ${input.kind} is not registered`);
  const note = input.note.trim();
  assert(
    note.length >= 1 && note.length <= APPROVAL_NOTE_CHARS_MAX,
    'an approval request needs a note of 1–500 characters',
  );
  if (input.target) {
    const pending = await trx
      .selectFrom('approval_requests')
      .select('id')
      .where('kind', '=', input.kind)
      .where('target_kind', '=', input.target.kind)
      .where('target_id', '=', input.target.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (pending) throw BackofficeError.APPROVAL_ALREADY_PENDING({ approvalId: pending.id });
  }
  const id = `apr_${randomUUID().replaceAll('-', '')}`;
  try {
    await trx
      .insertInto('approval_requests')
      .values({
        id,
        kind: input.kind,
        target_kind: input.target?.kind ?? null,
        target_id: input.target?.id ?? null,
        payload: json(input.payload),
        note,
        maker_staff_id: input.makerId,
      })
      .execute();
  } catch (error) {
    // A concurrent request for the same target won the race (unique partial index).
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw BackofficeError.APPROVAL_ALREADY_PENDING();
    throw error;
  }
  await audit(trx, request, {
    action: 'approval.requested',
    actor: { kind: 'staff', id: input.makerId },
    targetKind: 'approval',
    targetId: id,
    after: { kind: input.kind, status: 'pending', payload: input.payload, note },
    ...(input.target ? { detail: { target: input.target } } : {}),
  });
  return { id, status: 'pending' };
}

export interface ApprovalView {
  readonly id: string;
  readonly kind: string;
  readonly targetKind: string | null;
  readonly targetId: string | null;
  readonly payload: unknown;
  readonly note: string;
  readonly status: ApprovalStatus;
  readonly maker: StaffRef;
  readonly checker: StaffRef | null;
  readonly decidedAt: Date | null;
  readonly decisionReason: string | null;
  readonly createdAt: Date;
  /** The viewer may approve or reject it now. */
  readonly canDecide: boolean;
  /** The viewer made it and it is still pending. */
  readonly canCancel: boolean;
}

export interface StaffRef {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

/** True when this staff member may decide a pending request of this kind made by `makerId`. */
export function mayDecide(actor: Actor, kind: string, makerId: string): boolean {
  const def = approvalKind(kind);
  return (
    def !== undefined &&
    actor.id !== makerId &&
    actor.permissions.has('approvals.decide') &&
    actor.permissions.has(def.permission)
  );
}

function selectApprovals(db: Db | Trx) {
  return db
    .selectFrom('approval_requests as a')
    .innerJoin('staff as m', 'm.id', 'a.maker_staff_id')
    .leftJoin('staff as c', 'c.id', 'a.checker_staff_id')
    .select([
      'a.id',
      'a.kind',
      'a.target_kind',
      'a.target_id',
      'a.payload',
      'a.note',
      'a.status',
      'a.maker_staff_id',
      'm.username as maker_username',
      'm.display_name as maker_display_name',
      'a.checker_staff_id',
      'c.username as checker_username',
      'c.display_name as checker_display_name',
      'a.decided_at',
      'a.decision_reason',
      'a.created_at',
      cursorTime('a.created_at').as('cursor_at'),
    ]);
}

type ApprovalRow = Awaited<ReturnType<ReturnType<typeof selectApprovals>['executeTakeFirstOrThrow']>>;

function toView(row: ApprovalRow, viewer: Actor): ApprovalView {
  const pending = row.status === 'pending';
  return {
    id: row.id,
    kind: row.kind,
    targetKind: row.target_kind,
    targetId: row.target_id,
    payload: row.payload,
    note: row.note,
    status: row.status,
    maker: { id: row.maker_staff_id, username: row.maker_username, displayName: row.maker_display_name },
    checker:
      row.checker_staff_id && row.checker_username && row.checker_display_name
        ? { id: row.checker_staff_id, username: row.checker_username, displayName: row.checker_display_name }
        : null,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    createdAt: row.created_at,
    canDecide: pending && mayDecide(viewer, row.kind, row.maker_staff_id),
    canCancel: pending && row.maker_staff_id === viewer.id,
  };
}

/**
 * Requests newest first. A viewer sees the requests of kinds whose permission they hold, and their own.
 */
export async function listApprovals(
  db: Db,
  viewer: Actor,
  query: { status?: ApprovalStatus; kind?: string; targetId?: string; cursor?: string; limit: number },
): Promise<{ items: ApprovalView[]; nextCursor: string | null }> {
  const visibleKinds = approvalKinds().filter((k) => viewer.permissions.has(k.permission));
  let q = selectApprovals(db).where((eb) =>
    eb.or([
      eb('a.maker_staff_id', '=', viewer.id),
      ...(visibleKinds.length
        ? [
            eb(
              'a.kind',
              'in',
              visibleKinds.map((k) => k.kind),
            ),
          ]
        : []),
    ]),
  );
  if (query.status) q = q.where('a.status', '=', query.status);
  if (query.kind) q = q.where('a.kind', '=', query.kind);
  if (query.targetId) q = q.where('a.target_id', '=', query.targetId);
  if (query.cursor) q = q.where(olderThan('a.created_at', 'a.id', decodeTimeCursor(query.cursor)));
  const rows = await q
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = pageOf(rows, query.limit, (r) => encodeTimeCursor(r.cursor_at, r.id));
  return { items: page.items.map((r) => toView(r, viewer)), nextCursor: page.nextCursor };
}

/** How many pending requests this staff member could decide now (for the workbench). */
export async function countDecidable(db: Db, viewer: Actor): Promise<number> {
  if (!viewer.permissions.has('approvals.decide')) return 0;
  const kinds = approvalKinds()
    .filter((k) => viewer.permissions.has(k.permission))
    .map((k) => k.kind);
  if (!kinds.length) return 0;
  const row = await db
    .selectFrom('approval_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .where('kind', 'in', kinds)
    .where('maker_staff_id', '<>', viewer.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function lockApproval(trx: Trx, id: string) {
  const row = await trx.selectFrom('approval_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw BackofficeError.APPROVAL_NOT_FOUND({ approvalId: id });
  if (row.status !== 'pending') throw BackofficeError.APPROVAL_ALREADY_DECIDED({ status: row.status });
  return row;
}

/**
 * Approve or reject a pending request, in the caller's transaction: the row is locked, so a second
 * decision waits and then finds it decided (409). On approval the kind's `apply` runs in the same
 * transaction; if it refuses, nothing is recorded and the request stays pending.
 */
export async function decideApproval(
  trx: Trx,
  input: { id: string; decision: ApprovalDecision; reason?: string | undefined; checker: Actor },
  request?: FastifyRequest,
  now: Date = new Date(),
): Promise<void> {
  const row = await lockApproval(trx, input.id);
  const def = approvalKind(row.kind);
  if (!def) throw BackofficeError.APPROVAL_KIND_UNKNOWN({ kind: row.kind });
  if (row.maker_staff_id === input.checker.id) throw BackofficeError.APPROVAL_MAKER_CANNOT_DECIDE();
  if (!input.checker.permissions.has(def.permission) || !input.checker.permissions.has('approvals.decide')) {
    throw CommonError.FORBIDDEN({ permission: def.permission });
  }
  const reason = input.reason?.trim() || null;
  if (input.decision === 'reject' && !reason) throw BackofficeError.APPROVAL_REASON_REQUIRED({ field: 'reason' });
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  await trx
    .updateTable('approval_requests')
    .set({ status, checker_staff_id: input.checker.id, decided_at: now, decision_reason: reason })
    .where('id', '=', row.id)
    .execute();
  const context: ApprovalContext = {
    approvalId: row.id,
    makerId: row.maker_staff_id,
    checkerId: input.checker.id,
    note: row.note,
    reason,
    request,
  };
  if (input.decision === 'approve') await def.apply(trx, row.payload, context);
  else await def.reject?.(trx, row.payload, context);
  await audit(trx, request, {
    action: `approval.${status}`,
    actor: { kind: 'staff', id: input.checker.id },
    targetKind: 'approval',
    targetId: row.id,
    before: { status: 'pending' },
    after: { status, checkerId: input.checker.id, reason },
    detail: { kind: row.kind, makerId: row.maker_staff_id, payload: row.payload },
  });
}

/** The maker withdraws a pending request. */
export async function cancelApproval(
  trx: Trx,
  input: { id: string; staffId: string; reason?: string | undefined },
  request?: FastifyRequest,
  now: Date = new Date(),
): Promise<void> {
  const row = await lockApproval(trx, input.id);
  if (row.maker_staff_id !== input.staffId) throw BackofficeError.APPROVAL_ONLY_MAKER_CANCELS();
  const reason = input.reason?.trim() || null;
  await trx
    .updateTable('approval_requests')
    .set({ status: 'cancelled', decided_at: now, decision_reason: reason })
    .where('id', '=', row.id)
    .execute();
  const def = approvalKind(row.kind);
  await def?.reject?.(trx, row.payload, {
    approvalId: row.id,
    makerId: row.maker_staff_id,
    checkerId: input.staffId,
    note: row.note,
    reason,
    request,
  });
  await audit(trx, request, {
    action: 'approval.cancelled',
    actor: { kind: 'staff', id: input.staffId },
    targetKind: 'approval',
    targetId: row.id,
    before: { status: 'pending' },
    after: { status: 'cancelled', reason },
    detail: { kind: row.kind },
  });
}

/** One request as the viewer sees it. */
export async function getApproval(db: Db | Trx, id: string, viewer: Actor): Promise<ApprovalView> {
  const row = await selectApprovals(db).where('a.id', '=', id).executeTakeFirst();
  if (!row) throw BackofficeError.APPROVAL_NOT_FOUND({ approvalId: id });
  return toView(row, viewer);
}
