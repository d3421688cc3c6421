import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db, Trx } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { revokeSubjectSessions } from '../../platform/auth/sessions.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { phoneHash } from '../identity/customers.service.ts';
import { validateMainlandMobile } from '../identity/validators.ts';
import { type CustomerBalances, customerBalances } from '../ledger/index.ts';
import { requestApproval } from './approvals.service.ts';
import { registerApprovalKind } from './approvals.ts';
import { BackofficeError } from './backoffice.errors.ts';
import { cursorTime, decodeTimeCursor, encodeTimeCursor, olderThan, pageOf } from './cursor.ts';
import { type VipLevel, type VipStanding, vipStanding } from './vip.ts';

export const MEMBER_UNFREEZE = 'member.unfreeze';
/** Largest change of points one adjustment may make. */
export const POINTS_ADJUSTMENT_MAX = 1_000_000;

export type MemberStatus = 'active' | 'frozen' | 'closed';

export interface MemberSummary {
  readonly id: string;
  readonly phoneMasked: string;
  readonly kind: 'person' | 'company';
  readonly status: MemberStatus;
  readonly referralCode: string;
  readonly points: bigint;
  readonly createdAt: Date;
}

const MEMBER_ID = /^usr_[0-9a-f]{32}$/;
const REFERRAL_CODE = /^[A-Za-z0-9]{8}$/;

/**
 * How a search term finds members without plaintext: a full mainland mobile number by its keyed hash,
 * a member id exactly, or a referral code exactly. Anything else is refused.
 */
export function memberSearchCondition(
  cipher: FieldCipher,
  term: string,
): { column: 'phone_hash' | 'id' | 'referral_code'; value: string } {
  const text = term.trim();
  const phone = validateMainlandMobile(text);
  if (phone.ok) return { column: 'phone_hash', value: phoneHash(cipher, phone.normalised) };
  if (MEMBER_ID.test(text)) return { column: 'id', value: text };
  if (REFERRAL_CODE.test(text)) return { column: 'referral_code', value: text.toUpperCase() };
  throw BackofficeError.SEARCH_TERM_UNRECOGNISED({ field: 'q' });
}

/** Members newest first, optionally found by phone, id or referral code, and by status. */
export async function searchMembers(
  db: Db,
  cipher: FieldCipher,
  query: { q?: string | undefined; status?: MemberStatus | undefined; cursor?: string | undefined; limit: number },
): Promise<{ items: MemberSummary[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('users as u')
    .leftJoin('member_points as p', 'p.user_id', 'u.id')
    .select([
      'u.id',
      'u.phone_masked',
      'u.kind',
      'u.status',
      'u.referral_code',
      'u.created_at',
      'p.points',
      cursorTime('u.created_at').as('cursor_at'),
    ]);
  if (query.q?.trim()) {
    const c = memberSearchCondition(cipher, query.q);
    const column = c.column === 'phone_hash' ? 'u.phone_hash' : c.column === 'id' ? 'u.id' : 'u.referral_code';
    q = q.where(column, '=', c.value);
  }
  if (query.status) q = q.where('u.status', '=', query.status);
  if (query.cursor) q = q.where(olderThan('u.created_at', 'u.id', decodeTimeCursor(query.cursor)));
  const rows = await q
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = pageOf(rows, query.limit, (r) => encodeTimeCursor(r.cursor_at, r.id));
  return {
    items: page.items.map((r) => ({
      id: r.id,
      phoneMasked: r.phone_masked,
      kind: r.kind,
      status: r.status,
      referralCode: r.referral_code,
      points: r.points ?? 0n,
      createdAt: r.created_at,
    })),
    nextCursor: page.nextCursor,
  };
}

export interface MemberDetail {
  readonly id: string;
  readonly phoneMasked: string;
  readonly kind: 'person' | 'company';
  readonly status: MemberStatus;
  readonly statusReason: string | null;
  readonly referralCode: string;
  readonly referredBy: string | null;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
  readonly balances: CustomerBalances | null;
  readonly vip: VipStanding;
  readonly pendingUnfreezeId: string | null;
  readonly unreadMessages: number;
  readonly certification: Certification;
}

/** Certification status (认证状态): identity, cards, documents and risk level, as the member's modules record them. */
export interface Certification {
  readonly realName: { nameMasked: string; idNumberMasked: string; verifiedAt: Date } | null;
  readonly bankCards: { bound: number; pending: number };
  readonly documents: { pending: number; approved: number; rejected: number };
  readonly riskLevel: string | null;
}

/**
 * A read across the identity tables for the staff view (a read model: nothing here changes them).
 * Pending cards are those waiting for review or binding.
 */
async function certification(db: Db, id: string): Promise<Certification> {
  const realName = await db
    .selectFrom('customer_real_names')
    .select(['name_masked', 'id_number_masked', 'verified_at'])
    .where('user_id', '=', id)
    .executeTakeFirst();
  const cards = await db
    .selectFrom('bank_cards')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('user_id', '=', id)
    .groupBy('status')
    .execute();
  const documents = await db
    .selectFrom('documents')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('user_id', '=', id)
    .groupBy('status')
    .execute();
  const risk = await db
    .selectFrom('risk_assessments')
    .select('level')
    .where('user_id', '=', id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const cardCount = (...statuses: string[]) =>
    cards.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + Number(c.n), 0);
  const documentCount = (status: string) => Number(documents.find((d) => d.status === status)?.n ?? 0);
  return {
    realName: realName
      ? {
          nameMasked: realName.name_masked,
          idNumberMasked: realName.id_number_masked,
          verifiedAt: realName.verified_at,
        }
      : null,
    bankCards: { bound: cardCount('bound'), pending: cardCount('pending_review', 'pending_binding') },
    documents: {
      pending: documentCount('pending'),
      approved: documentCount('approved'),
      rejected: documentCount('rejected'),
    },
    riskLevel: risk?.level ?? null,
  };
}

export async function vipLevels(db: Db | Trx): Promise<VipLevel[]> {
  const rows = await db.selectFrom('vip_levels').selectAll().orderBy('min_points').execute();
  return rows.map((r) => ({ level: r.level, nameZh: r.name_zh, nameEn: r.name_en, minPoints: BigInt(r.min_points) }));
}

async function memberRow(db: Db | Trx, id: string, lock = false) {
  let q = db.selectFrom('users').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw BackofficeError.MEMBER_NOT_FOUND({ memberId: id });
  return row;
}

/** One member as staff see them: masked contact, status, balances, VIP standing. */
export async function memberDetail(db: Db, id: string): Promise<MemberDetail> {
  const row = await memberRow(db, id);
  const points = await db.selectFrom('member_points').select('points').where('user_id', '=', id).executeTakeFirst();
  const hasAccounts = await db.selectFrom('ledger_accounts').select('id').where('owner_id', '=', id).executeTakeFirst();
  const pending = await db
    .selectFrom('approval_requests')
    .select('id')
    .where('kind', '=', MEMBER_UNFREEZE)
    .where('target_kind', '=', 'member')
    .where('target_id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const unread = await db
    .selectFrom('member_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', id)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    phoneMasked: row.phone_masked,
    kind: row.kind,
    status: row.status,
    statusReason: row.status_reason,
    referralCode: row.referral_code,
    referredBy: row.referred_by,
    lockedUntil: row.locked_until,
    createdAt: row.created_at,
    balances: hasAccounts ? await customerBalances(db, id) : null,
    vip: vipStanding(points?.points ?? 0n, await vipLevels(db)),
    pendingUnfreezeId: pending?.id ?? null,
    unreadMessages: Number(unread.n),
    certification: await certification(db, id),
  };
}

async function recordViolation(
  trx: Trx,
  input: {
    userId: string;
    action: 'flag' | 'freeze' | 'unfreeze';
    reason: string;
    staffId: string | null;
    approvalId?: string;
  },
): Promise<string> {
  const id = `vio_${randomUUID().replaceAll('-', '')}`;
  await trx
    .insertInto('member_violations')
    .values({
      id,
      user_id: input.userId,
      action: input.action,
      reason: input.reason,
      staff_id: input.staffId,
      approval_id: input.approvalId ?? null,
    })
    .execute();
  return id;
}

/** Record a violation (违规标记) without changing the member's status. */
export async function flagMember(
  trx: Trx,
  input: { memberId: string; reason: string; staffId: string },
  request?: FastifyRequest,
): Promise<{ violationId: string }> {
  await memberRow(trx, input.memberId, true);
  const reason = input.reason.trim();
  const violationId = await recordViolation(trx, {
    userId: input.memberId,
    action: 'flag',
    reason,
    staffId: input.staffId,
  });
  await audit(trx, request, {
    action: 'member.flagged',
    actor: { kind: 'staff', id: input.staffId },
    targetKind: 'member',
    targetId: input.memberId,
    after: { violationId, reason },
  });
  return { violationId };
}

/**
 * Freeze a member at once: they can still sign in and read, but every write is refused
 * (ACCOUNT_FROZEN), and all their sessions end now.
 */
export async function freezeMember(
  trx: Trx,
  input: { memberId: string; reason: string; staffId: string },
  request?: FastifyRequest,
  now: Date = new Date(),
): Promise<void> {
  const row = await memberRow(trx, input.memberId, true);
  if (row.status === 'frozen') throw BackofficeError.MEMBER_ALREADY_FROZEN();
  if (row.status === 'closed') throw BackofficeError.MEMBER_CLOSED();
  const reason = input.reason.trim();
  await trx
    .updateTable('users')
    .set({ status: 'frozen', status_reason: reason, updated_at: now })
    .where('id', '=', input.memberId)
    .execute();
  const violationId = await recordViolation(trx, {
    userId: input.memberId,
    action: 'freeze',
    reason,
    staffId: input.staffId,
  });
  await revokeSubjectSessions(trx, 'customer', input.memberId, undefined, now);
  await audit(trx, request, {
    action: 'member.frozen',
    actor: { kind: 'staff', id: input.staffId },
    targetKind: 'member',
    targetId: input.memberId,
    before: { status: row.status, statusReason: row.status_reason },
    after: { status: 'frozen', statusReason: reason },
    detail: { violationId },
  });
}

interface UnfreezePayload {
  readonly memberId: string;
  readonly reason: string;
}

/** Unfreezing changes a customer's standing, so it needs a second person: this only asks for it. */
export async function requestUnfreeze(
  trx: Trx,
  input: { memberId: string; reason: string; staffId: string },
  request?: FastifyRequest,
): Promise<{ approvalId: string }> {
  const row = await memberRow(trx, input.memberId, true);
  if (row.status !== 'frozen') throw BackofficeError.MEMBER_NOT_FROZEN();
  const reason = input.reason.trim();
  const payload: UnfreezePayload = { memberId: input.memberId, reason };
  const approval = await requestApproval(
    trx,
    {
      kind: MEMBER_UNFREEZE,
      payload,
      note: reason,
      makerId: input.staffId,
      target: { kind: 'member', id: input.memberId },
    },
    request,
  );
  return { approvalId: approval.id };
}

registerApprovalKind<UnfreezePayload>(MEMBER_UNFREEZE, {
  name: { zh: '解冻会员', en: 'Unfreeze a member' },
  permission: 'members.manage',
  async apply(trx, payload, context) {
    const row = await memberRow(trx, payload.memberId, true);
    if (row.status !== 'frozen') throw BackofficeError.MEMBER_NOT_FROZEN();
    await trx
      .updateTable('users')
      .set({ status: 'active', status_reason: null, updated_at: new Date() })
      .where('id', '=', payload.memberId)
      .execute();
    const violationId = await recordViolation(trx, {
      userId: payload.memberId,
      action: 'unfreeze',
      reason: payload.reason,
      staffId: context.makerId,
      approvalId: context.approvalId,
    });
    await audit(trx, context.request, {
      action: 'member.unfrozen',
      actor: { kind: 'staff', id: context.checkerId },
      targetKind: 'member',
      targetId: payload.memberId,
      before: { status: 'frozen', statusReason: row.status_reason },
      after: { status: 'active', statusReason: null },
      detail: { violationId, approvalId: context.approvalId, makerId: context.makerId, reason: payload.reason },
    });
  },
});

export interface ViolationView {
  readonly id: string;
  readonly action: 'flag' | 'freeze' | 'unfreeze';
  readonly reason: string;
  readonly staff: { id: string; displayName: string } | null;
  readonly approvalId: string | null;
  readonly createdAt: Date;
}

export async function listViolations(
  db: Db,
  memberId: string,
  query: { cursor?: string | undefined; limit: number },
): Promise<{ items: ViolationView[]; nextCursor: string | null }> {
  await memberRow(db, memberId);
  let q = db
    .selectFrom('member_violations as v')
    .leftJoin('staff as s', 's.id', 'v.staff_id')
    .select([
      'v.id',
      'v.action',
      'v.reason',
      'v.staff_id',
      's.display_name',
      'v.approval_id',
      'v.created_at',
      cursorTime('v.created_at').as('cursor_at'),
    ])
    .where('v.user_id', '=', memberId);
  if (query.cursor) q = q.where(olderThan('v.created_at', 'v.id', decodeTimeCursor(query.cursor)));
  const rows = await q
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = pageOf(rows, query.limit, (r) => encodeTimeCursor(r.cursor_at, r.id));
  return {
    items: page.items.map((r) => ({
      id: r.id,
      action: r.action,
      reason: r.reason,
      staff: r.staff_id && r.display_name ? { id: r.staff_id, displayName: r.display_name } : null,
      approvalId: r.approval_id,
      createdAt: r.created_at,
    })),
    nextCursor: page.nextCursor,
  };
}

/** Add or deduct points (VIP积分) with a reason; the balance never goes below zero. */
export async function adjustPoints(
  trx: Trx,
  input: { memberId: string; deltaPoints: number; reason: string; staffId: string | null },
  request?: FastifyRequest,
  now: Date = new Date(),
): Promise<VipStanding> {
  await memberRow(trx, input.memberId, true);
  const delta = BigInt(input.deltaPoints);
  const current = await trx
    .selectFrom('member_points')
    .select('points')
    .where('user_id', '=', input.memberId)
    .forUpdate()
    .executeTakeFirst();
  const before = current?.points ?? 0n;
  const after = before + delta;
  if (after < 0n)
    throw BackofficeError.POINTS_INSUFFICIENT({
      field: 'deltaPoints',
      points: String(before),
      deduct: String(-delta),
    });
  await trx
    .insertInto('member_points')
    .values({ user_id: input.memberId, points: after, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ points: after, updated_at: now }))
    .execute();
  const reason = input.reason.trim();
  await trx
    .insertInto('member_point_entries')
    .values({
      id: `pte_${randomUUID().replaceAll('-', '')}`,
      user_id: input.memberId,
      delta_points: delta,
      points_after: after,
      reason,
      staff_id: input.staffId,
    })
    .execute();
  await audit(trx, request, {
    action: 'member.points_adjusted',
    actor: input.staffId ? { kind: 'staff', id: input.staffId } : { kind: 'system', id: null },
    targetKind: 'member',
    targetId: input.memberId,
    before: { points: before },
    after: { points: after },
    detail: { deltaPoints: delta, reason },
  });
  return vipStanding(after, await vipLevels(trx));
}
