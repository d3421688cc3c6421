import type { Db } from '../../db/database.ts';
import { defineErrors } from '../../platform/errors.ts';
import { applyCustodianEvent, type CallbackOutcome } from './callbacks.service.ts';
import type { Custodian, CustodianEvent } from './custodian.ts';
import { PaymentError } from './payments.errors.ts';

export const CustodianCheckError = defineErrors({
  ORDER_NOT_AWAITING_CUSTODIAN: {
    status: 409,
    zh: '该订单不在等待存管结果的状态',
    en: 'This order is not waiting for the custodian',
  },
});

/** Orders waiting this long for a callback are asked about directly by the sweeper. */
export const RECHARGE_STALE_MS = 2 * 3600_000;
export const PAYOUT_STALE_MS = 30 * 60_000;
const SWEEP_BATCH_MAX = 50;

export interface CheckResult {
  readonly orderNo: string;
  /** What the custodian says. */
  readonly custodianStatus: 'created' | 'succeeded' | 'failed' | 'unknown';
  /** What was done: 'applied', 'duplicate', … or 'waiting' when the custodian has no result yet. */
  readonly outcome: CallbackOutcome | 'waiting';
}

/**
 * Ask the custodian for an order's result and apply it as if its callback had arrived (exactly once, with
 * the same checks). For callbacks that never come: a lost callback, or a payout job that gave up.
 */
export async function checkWithCustodian(db: Db, custodian: Custodian, orderNo: string): Promise<CheckResult> {
  const order = await db.selectFrom('payment_orders').selectAll().where('order_no', '=', orderNo).executeTakeFirst();
  if (!order) throw PaymentError.ORDER_NOT_FOUND({ orderNo });
  const waiting =
    (order.kind === 'recharge' && order.status === 'created') ||
    (order.kind === 'withdrawal' && order.status === 'processing');
  if (!waiting) throw CustodianCheckError.ORDER_NOT_AWAITING_CUSTODIAN({ orderNo });
  const status = await custodian.queryOrder(orderNo);
  if (status.status !== 'succeeded' && status.status !== 'failed') {
    return { orderNo, custodianStatus: status.status, outcome: 'waiting' };
  }
  const prefix = order.kind === 'recharge' ? 'recharge' : 'payout';
  const event: CustodianEvent = {
    eventId: `query:${orderNo}`,
    event: `${prefix}.${status.status}` as CustodianEvent['event'],
    orderNo,
    amountFen: status.amountFen ?? 0n,
    occurredAt: new Date().toISOString(),
    ...(status.status === 'failed' ? { reason: 'confirmed_by_query' } : {}),
  };
  const raw = JSON.stringify({ ...event, amountFen: Number(event.amountFen), source: 'query' });
  const outcome = await applyCustodianEvent(db, event, { raw });
  return { orderNo, custodianStatus: status.status, outcome };
}

/** Check every order that has waited too long; errors on one order do not stop the others. */
export async function sweepStaleOrders(db: Db, custodian: Custodian, now: Date = new Date()): Promise<CheckResult[]> {
  const rows = await db
    .selectFrom('payment_orders')
    .select('order_no')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('kind', '=', 'recharge'),
          eb('status', '=', 'created'),
          eb('created_at', '<', new Date(now.getTime() - RECHARGE_STALE_MS)),
        ]),
        eb.and([
          eb('kind', '=', 'withdrawal'),
          eb('status', '=', 'processing'),
          eb('updated_at', '<', new Date(now.getTime() - PAYOUT_STALE_MS)),
        ]),
      ]),
    )
    .orderBy('created_at')
    .limit(SWEEP_BATCH_MAX)
    .execute();
  const results: CheckResult[] = [];
  for (const r of rows) {
    try {
      results.push(await checkWithCustodian(db, custodian, r.order_no));
    } catch {
      // Refused (e.g. the amount differs): logged in custodian_callbacks for staff; go on with the rest.
    }
  }
  return results;
}
