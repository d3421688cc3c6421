import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { assert, defineErrors } from '../../platform/errors.ts';
import type { Language } from '../../platform/i18n.ts';
import { enqueue, type OutboxHandler } from '../../platform/outbox.ts';
import { inTransaction } from '../../platform/transactions.ts';
import { describeCards, findWithdrawalCard, type WithdrawalCard } from '../identity/index.ts';
import {
  customerAccounts,
  customerBalances,
  LedgerError,
  platformAccountId,
  type TransferCommand,
  transferLinked,
} from '../ledger/index.ts';
import { formatYuan } from '../money/index.ts';
import { sendMemberMessage } from '../notify/index.ts';
import type { Custodian } from './custodian.ts';
import { newOrderNo, shanghaiDate, type WithdrawalStatus } from './orders.ts';
import { PaymentError } from './payments.errors.ts';
import {
  needsReview,
  RELEASED_WITHDRAWAL_STATUSES,
  WITHDRAW_DAILY_COUNT_MAX,
  WITHDRAW_DAILY_MAX_FEN,
  WITHDRAW_MAX_FEN,
  WITHDRAW_MIN_FEN,
  withdrawalFeeFen,
  withdrawalTransferIds,
} from './withdrawal.ts';

export const WITHDRAW_PAYOUT_JOB = 'custodian.payout';
export const WITHDRAWAL_PAGE_MAX = 100;
export const REVIEW_REASON_CHARS_MAX = 200;

export const WithdrawalError = defineErrors({
  WITHDRAW_DAILY_COUNT_EXCEEDED: {
    status: 422,
    zh: '今日提现次数已达上限（{max} 次）',
    en: 'You have reached today’s limit of {max} withdrawals',
  },
  WITHDRAWAL_NOT_IN_REVIEW: {
    status: 409,
    zh: '该提现不在待审核状态（当前：{status}）',
    en: 'This withdrawal is not waiting for review (it is {status})',
  },
  WITHDRAW_REVIEW_REASON_REQUIRED: {
    status: 400,
    zh: '驳回提现须填写原因',
    en: 'Please give a reason for the rejection',
  },
  WITHDRAWAL_CURSOR_INVALID: { status: 400, zh: '分页游标无效', en: 'Invalid page cursor' },
});

export interface WithdrawalView {
  readonly orderNo: string;
  readonly customerId: string;
  readonly amountFen: bigint;
  readonly feeFen: bigint;
  /** What leaves the customer's account: amount + fee. */
  readonly totalFen: bigint;
  readonly status: WithdrawalStatus;
  readonly bankCard: WithdrawalCard | null;
  readonly failureReason: string | null;
  readonly review: { staffId: string; decision: 'approve' | 'reject'; reason: string | null; at: string } | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

type OrderRow = {
  order_no: string;
  user_id: string;
  amount_fen: bigint;
  fee_fen: bigint;
  status: string;
  failure_reason: string | null;
  bank_card_id: string | null;
  detail: Record<string, unknown>;
  created_at: Date;
  completed_at: Date | null;
};

function toView(row: OrderRow, cards: ReadonlyMap<string, WithdrawalCard>): WithdrawalView {
  const review = (row.detail?.review ?? null) as WithdrawalView['review'];
  return {
    orderNo: row.order_no,
    customerId: row.user_id,
    amountFen: row.amount_fen,
    feeFen: row.fee_fen,
    totalFen: row.amount_fen + row.fee_fen,
    status: row.status as WithdrawalStatus,
    bankCard: (row.bank_card_id && cards.get(row.bank_card_id)) || null,
    failureReason: row.failure_reason,
    review,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export interface WithdrawalRequest {
  readonly userId: string;
  readonly amountFen: bigint;
  readonly bankCardId: string;
}

/**
 * Every rule of a withdrawal request: the amount's limits, the card (the customer's, bound), today's
 * totals, and enough available cash (bonus money is another account and is never touched) for amount + fee.
 * Run once before the SMS code is used up (so a refused request leaves the code usable) and again inside the
 * transaction, under the customer's lock, where it counts.
 */
export async function checkWithdrawal(
  db: Db | Trx,
  input: WithdrawalRequest,
  language: Language,
  options: { lock: boolean },
): Promise<{ card: WithdrawalCard; feeFen: bigint; businessDate: string }> {
  const { amountFen } = input;
  if (amountFen < WITHDRAW_MIN_FEN)
    throw PaymentError.AMOUNT_BELOW_MINIMUM({ field: 'amountFen', min: formatYuan(WITHDRAW_MIN_FEN) });
  if (amountFen > WITHDRAW_MAX_FEN)
    throw PaymentError.AMOUNT_ABOVE_MAXIMUM({ field: 'amountFen', max: formatYuan(WITHDRAW_MAX_FEN) });
  const card = await findWithdrawalCard(
    db,
    { userId: input.userId, cardId: input.bankCardId, lock: options.lock },
    language,
  );
  const businessDate = shanghaiDate();
  const used = await db
    .selectFrom('payment_orders')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<bigint>('amount_fen'), sql<bigint>`0`).as('total'),
      eb.fn.countAll<string>().as('n'),
    ])
    .where('user_id', '=', input.userId)
    .where('kind', '=', 'withdrawal')
    .where('business_date', '=', businessDate)
    .where('status', 'not in', [...RELEASED_WITHDRAWAL_STATUSES])
    .executeTakeFirstOrThrow();
  const usedFen = BigInt(used.total);
  if (usedFen + amountFen > WITHDRAW_DAILY_MAX_FEN) {
    throw PaymentError.DAILY_LIMIT_EXCEEDED({
      field: 'amountFen',
      max: formatYuan(WITHDRAW_DAILY_MAX_FEN),
      left: formatYuan(WITHDRAW_DAILY_MAX_FEN - usedFen > 0n ? WITHDRAW_DAILY_MAX_FEN - usedFen : 0n),
    });
  }
  if (Number(used.n) >= WITHDRAW_DAILY_COUNT_MAX)
    throw WithdrawalError.WITHDRAW_DAILY_COUNT_EXCEEDED({ max: WITHDRAW_DAILY_COUNT_MAX });
  const feeFen = withdrawalFeeFen(amountFen);
  const balances = await customerBalances(db, input.userId);
  if (balances.availableFen < amountFen + feeFen) {
    throw LedgerError.INSUFFICIENT_BALANCE({
      field: 'amountFen',
      availableFen: balances.availableFen,
      requiredFen: amountFen + feeFen,
    });
  }
  return { card, feeFen, businessDate };
}

/**
 * A customer withdraws (提现), in the caller's transaction: the order row and two linked holds on the
 * customer's cash — the amount to custody cash and the fee to fee income — so neither can be spent again.
 * Above the review threshold the order waits for staff; otherwise an outbox job asks the custodian to pay
 * out after commit (with the order number as its idempotency key).
 */
export async function createWithdrawal(
  trx: Trx,
  input: WithdrawalRequest,
  language: Language,
): Promise<WithdrawalView> {
  // One customer's withdrawals go one at a time, so two at once cannot both slip under the daily limits.
  await sql`select id from users where id = ${input.userId} for update`.execute(trx);
  const { card, feeFen, businessDate } = await checkWithdrawal(trx, input, language, { lock: true });
  const orderNo = newOrderNo('W');
  const status: WithdrawalStatus = needsReview(input.amountFen) ? 'pending_review' : 'processing';
  const ids = withdrawalTransferIds(orderNo);
  const row = await trx
    .insertInto('payment_orders')
    .values({
      order_no: orderNo,
      kind: 'withdrawal',
      user_id: input.userId,
      amount_fen: input.amountFen,
      fee_fen: feeFen,
      status,
      bank_card_id: card.id,
      hold_transfer_id: ids.amountHold,
      business_date: businessDate,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const accounts = await customerAccounts(trx, input.userId);
  const holds: TransferCommand[] = [
    {
      kind: 'pending',
      id: ids.amountHold,
      debitAccountId: accounts.cash.id,
      creditAccountId: platformAccountId('custody_cash'),
      amountFen: input.amountFen,
      code: 'withdraw',
      refs: { orderNo },
    },
  ];
  if (feeFen > 0n) {
    holds.push({
      kind: 'pending',
      id: ids.feeHold,
      debitAccountId: accounts.cash.id,
      creditAccountId: platformAccountId('fee_income'),
      amountFen: feeFen,
      code: 'withdraw_fee',
      refs: { orderNo },
    });
  }
  const held = await transferLinked(trx, holds);
  assert(
    held.reduce((sum, t) => sum + t.amountFen, 0n) === input.amountFen + feeFen,
    'withdrawal: the holds must add up to amount + fee',
  );
  if (status === 'processing') await queuePayout(trx, orderNo);
  return toView(row, new Map([[card.id, card]]));
}

function queuePayout(trx: Trx, orderNo: string) {
  return enqueue(trx, { kind: WITHDRAW_PAYOUT_JOB, id: `${WITHDRAW_PAYOUT_JOB}:${orderNo}`, payload: { orderNo } });
}

/** Ask the custodian to pay an order out (idempotent there by order number); only while it is processing. */
export function payoutHandler(db: Db, custodian: Custodian): OutboxHandler {
  return async (job) => {
    const { orderNo } = job.payload as { orderNo: string };
    const order = await db
      .selectFrom('payment_orders')
      .selectAll()
      .where('order_no', '=', orderNo)
      .where('kind', '=', 'withdrawal')
      .executeTakeFirst();
    if (order?.status !== 'processing') return;
    assert(order.bank_card_id, 'withdrawal: a processing order has a card');
    const answer = await custodian.payout({
      orderNo,
      userRef: order.user_id,
      amountFen: order.amount_fen,
      cardRef: order.bank_card_id,
    });
    if (!answer.accepted) throw new Error(`custodian did not accept payout ${orderNo}`);
  };
}

const MESSAGE_TEXT = {
  failed: {
    title: '提现失败，资金已退回 / Withdrawal failed, money returned',
    body: (o: OrderRow, reason: string) =>
      `您的提现 ${o.order_no}（¥${formatYuan(o.amount_fen)}，手续费 ¥${formatYuan(o.fee_fen)}）未能完成：${reason}。` +
      `冻结的资金已全部退回可用余额。\nYour withdrawal ${o.order_no} (¥${formatYuan(o.amount_fen)}, fee ` +
      `¥${formatYuan(o.fee_fen)}) did not go through: ${reason}. The frozen money is back in your available balance.`,
  },
  rejected: {
    title: '提现未通过审核，资金已退回 / Withdrawal rejected, money returned',
    body: (o: OrderRow, reason: string) =>
      `您的提现 ${o.order_no}（¥${formatYuan(o.amount_fen)}）未通过审核：${reason}。冻结的资金已全部退回可用余额。\n` +
      `Your withdrawal ${o.order_no} (¥${formatYuan(o.amount_fen)}) was rejected: ${reason}. The frozen money is ` +
      'back in your available balance.',
  },
} as const;

/** Release both holds of an order and tell the customer why. */
async function releaseWithdrawal(trx: Trx, order: OrderRow, why: 'failed' | 'rejected', reason: string) {
  const ids = withdrawalTransferIds(order.order_no);
  const commands: TransferCommand[] = [
    { kind: 'void_pending', id: ids.amountVoid, pendingId: ids.amountHold, refs: { orderNo: order.order_no } },
  ];
  if (order.fee_fen > 0n)
    commands.push({ kind: 'void_pending', id: ids.feeVoid, pendingId: ids.feeHold, refs: { orderNo: order.order_no } });
  await transferLinked(trx, commands);
  await sendMemberMessage(trx, {
    userId: order.user_id,
    title: MESSAGE_TEXT[why].title,
    body: MESSAGE_TEXT[why].body(order, reason),
    senderStaffId: null,
  });
}

/**
 * Apply the custodian's word on a payout (called by the callback handler with the order locked and its
 * status `processing`): success posts both holds — the amount leaves for custody cash (paid to the card),
 * the fee becomes fee income; failure voids both and tells the customer. The caller records the new status.
 */
export async function settleWithdrawal(
  trx: Trx,
  order: OrderRow,
  outcome: 'succeeded' | 'failed',
  reason: string | undefined,
): Promise<void> {
  assert(order.status === 'processing', 'withdrawal: only a processing order is settled');
  if (outcome === 'failed') {
    await releaseWithdrawal(trx, order, 'failed', reason ?? 'failed');
    return;
  }
  const ids = withdrawalTransferIds(order.order_no);
  const commands: TransferCommand[] = [
    { kind: 'post_pending', id: ids.amountPost, pendingId: ids.amountHold, refs: { orderNo: order.order_no } },
  ];
  if (order.fee_fen > 0n)
    commands.push({ kind: 'post_pending', id: ids.feePost, pendingId: ids.feeHold, refs: { orderNo: order.order_no } });
  const posted = await transferLinked(trx, commands);
  assert(
    posted.reduce((sum, t) => sum + t.amountFen, 0n) === order.amount_fen + order.fee_fen,
    'withdrawal: the posted amounts must equal amount + fee',
  );
}

/**
 * A member of staff decides on a withdrawal waiting for review: approve queues the payout; reject releases
 * both holds (the reason is required and shown to the customer). Deciding twice is WITHDRAWAL_NOT_IN_REVIEW.
 */
export async function reviewWithdrawal(
  db: Db,
  input: { orderNo: string; staffId: string; decision: 'approve' | 'reject'; reason?: string | undefined },
  language: Language,
): Promise<{ before: WithdrawalStatus; view: WithdrawalView }> {
  const reason = input.reason?.trim().slice(0, REVIEW_REASON_CHARS_MAX) ?? '';
  if (input.decision === 'reject' && reason === '')
    throw WithdrawalError.WITHDRAW_REVIEW_REASON_REQUIRED({ field: 'reason' });
  const row = await inTransaction(db, async (trx) => {
    const order = await trx
      .selectFrom('payment_orders')
      .selectAll()
      .where('order_no', '=', input.orderNo)
      .where('kind', '=', 'withdrawal')
      .forUpdate()
      .executeTakeFirst();
    if (!order) throw PaymentError.ORDER_NOT_FOUND({ orderNo: input.orderNo });
    if (order.status !== 'pending_review')
      throw WithdrawalError.WITHDRAWAL_NOT_IN_REVIEW({ status: order.status, orderStatus: order.status });
    const now = new Date();
    const review = {
      staffId: input.staffId,
      decision: input.decision,
      reason: reason || null,
      at: now.toISOString(),
    };
    if (input.decision === 'reject') await releaseWithdrawal(trx, order, 'rejected', reason);
    else await queuePayout(trx, order.order_no);
    return trx
      .updateTable('payment_orders')
      .set({
        status: input.decision === 'approve' ? 'processing' : 'rejected',
        failure_reason: input.decision === 'reject' ? reason : null,
        detail: sql`detail || ${JSON.stringify({ review })}::jsonb`,
        updated_at: now,
        ...(input.decision === 'reject' ? { completed_at: now } : {}),
      })
      .where('order_no', '=', order.order_no)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  const cards = await describeCards(db, row.bank_card_id ? [row.bank_card_id] : [], language);
  return { before: 'pending_review', view: toView(row, cards) };
}

/** One of the customer's withdrawals; another customer's is ORDER_NOT_FOUND. */
export async function getMyWithdrawal(
  db: Db,
  userId: string,
  orderNo: string,
  language: Language,
): Promise<WithdrawalView> {
  const row = await db
    .selectFrom('payment_orders')
    .selectAll()
    .where('order_no', '=', orderNo)
    .where('user_id', '=', userId)
    .where('kind', '=', 'withdrawal')
    .executeTakeFirst();
  if (!row) throw PaymentError.ORDER_NOT_FOUND({ orderNo });
  const cards = await describeCards(db, row.bank_card_id ? [row.bank_card_id] : [], language);
  return toView(row, cards);
}

const ORDER_NO_PATTERN = /^W[0-9A-Z]{8,40}$/;

/** Withdrawals for staff, newest first, optionally of one status; the cursor is the last order number seen. */
export async function listWithdrawals(
  db: Db,
  query: { status?: WithdrawalStatus | undefined; limit: number; cursor?: string | undefined },
  language: Language,
): Promise<{ items: (WithdrawalView & { customerPhoneMasked: string })[]; nextCursor: string | null }> {
  const limit = Math.min(query.limit, WITHDRAWAL_PAGE_MAX);
  if (query.cursor !== undefined && query.cursor !== '' && !ORDER_NO_PATTERN.test(query.cursor))
    throw WithdrawalError.WITHDRAWAL_CURSOR_INVALID({ field: 'cursor' });
  let q = db
    .selectFrom('payment_orders as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .selectAll('o')
    .select('u.phone_masked')
    .where('o.kind', '=', 'withdrawal')
    .orderBy('o.order_no', 'desc')
    .limit(limit + 1);
  if (query.status) q = q.where('o.status', '=', query.status);
  if (query.cursor) q = q.where('o.order_no', '<', query.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const cards = await describeCards(
    db,
    page.flatMap((r) => (r.bank_card_id ? [r.bank_card_id] : [])),
    language,
  );
  return {
    items: page.map((r) => ({ ...toView(r, cards), customerPhoneMasked: r.phone_masked })),
    nextCursor: rows.length > limit && page.length ? page[page.length - 1]!.order_no : null,
  };
}

/** The stored answer of an earlier request with this idempotency key exists (so no code needs checking). */
export async function alreadyAnswered(db: Db, claim: { scope: string; key: string }): Promise<boolean> {
  const row = await db
    .selectFrom('idempotency_records')
    .select('key')
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .executeTakeFirst();
  return row !== undefined;
}
