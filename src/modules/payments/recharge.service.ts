import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { enqueue, type OutboxHandler } from '../../platform/outbox.ts';
import { formatYuan } from '../money/index.ts';
import type { Custodian } from './custodian.ts';
import { newOrderNo, type RechargeStatus, shanghaiDate } from './orders.ts';
import { PaymentError } from './payments.errors.ts';

/** Limits on recharge (named constants; a later issue moves them into system parameters). */
export const RECHARGE_MIN_FEN = 100n;
export const RECHARGE_MAX_FEN = 50_000_000n;
export const RECHARGE_DAILY_MAX_FEN = 100_000_000n;

export const RECHARGE_ORDER_JOB = 'custodian.create_recharge_order';

export interface RechargeView {
  readonly orderNo: string;
  readonly amountFen: bigint;
  readonly status: RechargeStatus;
  readonly payUrl: string;
  readonly failureReason: string | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

export function payUrlOf(orderNo: string): string {
  return `/sandbox/custodian/orders/${orderNo}`;
}

async function assertRealNameVerified(trx: Trx, userId: string): Promise<void> {
  const row = await sql<{
    ok: boolean;
  }>`select exists (select 1 from customer_real_names where user_id = ${userId}) as ok`.execute(trx);
  if (!row.rows[0]?.ok) throw PaymentError.REAL_NAME_REQUIRED();
}

/**
 * A customer asks to recharge: check the limits, record the order, and queue its registration with the
 * custodian (done after commit by the outbox worker; nothing here talks to the outside world).
 */
export async function createRecharge(trx: Trx, userId: string, amountFen: bigint): Promise<RechargeView> {
  await assertRealNameVerified(trx, userId);
  if (amountFen < RECHARGE_MIN_FEN)
    throw PaymentError.AMOUNT_BELOW_MINIMUM({ field: 'amountFen', min: formatYuan(RECHARGE_MIN_FEN) });
  if (amountFen > RECHARGE_MAX_FEN)
    throw PaymentError.AMOUNT_ABOVE_MAXIMUM({ field: 'amountFen', max: formatYuan(RECHARGE_MAX_FEN) });
  // Serialise one customer's recharges so two at once cannot both slip under the daily limit.
  await sql`select id from users where id = ${userId} for update`.execute(trx);
  const today = shanghaiDate();
  const used = await trx
    .selectFrom('payment_orders')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>('amount_fen'), sql<bigint>`0`).as('total'))
    .where('user_id', '=', userId)
    .where('kind', '=', 'recharge')
    .where('business_date', '=', today)
    .where('status', '<>', 'failed')
    .executeTakeFirstOrThrow();
  const usedFen = BigInt(used.total);
  if (usedFen + amountFen > RECHARGE_DAILY_MAX_FEN) {
    throw PaymentError.DAILY_LIMIT_EXCEEDED({
      field: 'amountFen',
      max: formatYuan(RECHARGE_DAILY_MAX_FEN),
      left: formatYuan(RECHARGE_DAILY_MAX_FEN - usedFen),
    });
  }
  const orderNo = newOrderNo('R');
  const row = await trx
    .insertInto('payment_orders')
    .values({
      order_no: orderNo,
      kind: 'recharge',
      user_id: userId,
      amount_fen: amountFen,
      status: 'created',
      business_date: today,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await enqueue(trx, { kind: RECHARGE_ORDER_JOB, id: `${RECHARGE_ORDER_JOB}:${orderNo}`, payload: { orderNo } });
  return toView(row);
}

function toView(row: {
  order_no: string;
  amount_fen: bigint;
  status: string;
  failure_reason: string | null;
  created_at: Date;
  completed_at: Date | null;
}): RechargeView {
  return {
    orderNo: row.order_no,
    amountFen: row.amount_fen,
    status: row.status as RechargeStatus,
    payUrl: payUrlOf(row.order_no),
    failureReason: row.failure_reason,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

/** Register the order with the custodian (idempotent there by order number). */
export function rechargeOrderHandler(db: Db, custodian: Custodian): OutboxHandler {
  return async (job) => {
    const { orderNo } = job.payload as { orderNo: string };
    const order = await db.selectFrom('payment_orders').selectAll().where('order_no', '=', orderNo).executeTakeFirst();
    if (order?.status !== 'created') return;
    await custodian.createRechargeOrder({ orderNo, userRef: order.user_id, amountFen: order.amount_fen });
  };
}

export async function listPaymentOrders(db: Db, userId: string, limit: number) {
  const rows = await db
    .selectFrom('payment_orders')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows;
}

export async function getMyRecharge(db: Db, userId: string, orderNo: string): Promise<RechargeView> {
  const row = await db
    .selectFrom('payment_orders')
    .selectAll()
    .where('order_no', '=', orderNo)
    .where('user_id', '=', userId)
    .where('kind', '=', 'recharge')
    .executeTakeFirst();
  if (!row) throw PaymentError.ORDER_NOT_FOUND({ orderNo });
  return toView(row);
}
