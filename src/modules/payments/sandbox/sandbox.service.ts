import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { defineErrors } from '../../../platform/errors.ts';
import { enqueue, type OutboxHandler } from '../../../platform/outbox.ts';
import type { Custodian, CustodianEvent, CustodianStatementLine } from '../custodian.ts';
import { signBody } from '../signing.ts';

export const SANDBOX_DELIVERY_JOB = 'sandbox.deliver_callback';
/** The sandbox retries a callback until acknowledged, but not forever. */
const DELIVERY_ATTEMPTS_MAX = 20;
const REORDER_JITTER_MS = 2_000;

export const SandboxError = defineErrors({
  SANDBOX_ORDER_NOT_FOUND: { status: 404, zh: '存管订单不存在', en: 'No such custodian order' },
});

export interface SandboxControls {
  /** Wait this long before the first delivery of each callback. */
  delayMs: number;
  /** Deliver each callback this many extra times. */
  duplicates: number;
  /** Deliver callbacks in a shuffled order (random extra delay per copy). */
  reorder: boolean;
  /** Make the first N delivery attempts of each callback fail (the platform sees nothing; retried later). */
  failDeliveries: number;
  /** What payouts end in. */
  payoutResult: 'success' | 'fail';
}

export async function readControls(db: Db | Trx): Promise<SandboxControls> {
  const row = await db
    .selectFrom('sandbox_custodian_controls')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    delayMs: row.delay_ms,
    duplicates: row.duplicates,
    reorder: row.reorder,
    failDeliveries: row.fail_deliveries,
    payoutResult: row.payout_result,
  };
}

export async function writeControls(db: Db, controls: SandboxControls): Promise<SandboxControls> {
  await db
    .updateTable('sandbox_custodian_controls')
    .set({
      delay_ms: controls.delayMs,
      duplicates: controls.duplicates,
      reorder: controls.reorder,
      fail_deliveries: controls.failDeliveries,
      payout_result: controls.payoutResult,
    })
    .where('id', '=', 1)
    .execute();
  return readControls(db);
}

function eventJson(event: CustodianEvent): string {
  return JSON.stringify({ ...event, amountFen: Number(event.amountFen) });
}

/** Queue the callback for an event, as the controls say (delays, duplicates, shuffling, failures). */
async function scheduleCallback(trx: Trx, event: CustodianEvent): Promise<void> {
  const controls = await readControls(trx);
  const body = eventJson(event);
  for (let copy = 0; copy <= controls.duplicates; copy++) {
    const jitter = controls.reorder ? Math.floor(Math.random() * REORDER_JITTER_MS) : copy * 10;
    await enqueue(trx, {
      kind: SANDBOX_DELIVERY_JOB,
      payload: { body, failFirst: controls.failDeliveries },
      maxAttempts: DELIVERY_ATTEMPTS_MAX,
      runAt: new Date(Date.now() + controls.delayMs + jitter),
    });
  }
}

/** The customer pressed a button on the sandbox payment page. Paying an order twice changes nothing. */
export async function payRechargeOrder(
  db: Db,
  orderNo: string,
  result: 'success' | 'fail',
): Promise<'succeeded' | 'failed'> {
  return db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('sandbox_custodian_orders')
      .selectAll()
      .where('order_no', '=', orderNo)
      .where('kind', '=', 'recharge')
      .forUpdate()
      .executeTakeFirst();
    if (!order) throw SandboxError.SANDBOX_ORDER_NOT_FOUND({ orderNo });
    if (order.status !== 'created') return order.status;
    const status = result === 'success' ? 'succeeded' : 'failed';
    await trx
      .updateTable('sandbox_custodian_orders')
      .set({ status, settled_at: new Date() })
      .where('order_no', '=', orderNo)
      .execute();
    await scheduleCallback(trx, {
      eventId: `evt_${randomUUID()}`,
      event: status === 'succeeded' ? 'recharge.succeeded' : 'recharge.failed',
      orderNo,
      amountFen: order.amount_fen,
      occurredAt: new Date().toISOString(),
      ...(status === 'failed' ? { reason: 'customer_cancelled' } : {}),
    });
    return status;
  });
}

export async function findSandboxOrder(db: Db, orderNo: string) {
  return db.selectFrom('sandbox_custodian_orders').selectAll().where('order_no', '=', orderNo).executeTakeFirst();
}

/** The sandbox custodian inside the platform's process. Its books are the sandbox_custodian_* tables. */
export function createSandboxCustodian(db: Db): Custodian {
  return {
    name: 'sandbox',
    async createRechargeOrder(input) {
      await db
        .insertInto('sandbox_custodian_orders')
        .values({
          order_no: input.orderNo,
          kind: 'recharge',
          user_ref: input.userRef,
          amount_fen: input.amountFen,
          status: 'created',
        })
        .onConflict((oc) => oc.column('order_no').doNothing())
        .execute();
      return { payUrl: `/sandbox/custodian/orders/${input.orderNo}` };
    },
    async payout(input) {
      await db.transaction().execute(async (trx) => {
        const created = await trx
          .insertInto('sandbox_custodian_orders')
          .values({
            order_no: input.orderNo,
            kind: 'payout',
            user_ref: input.userRef,
            amount_fen: input.amountFen,
            status: 'created',
            detail: JSON.stringify({ cardRef: input.cardRef }),
          })
          .onConflict((oc) => oc.column('order_no').doNothing())
          .returning('order_no')
          .executeTakeFirst();
        if (!created) return; // asked twice: paid once
        const controls = await readControls(trx);
        const status = controls.payoutResult === 'success' ? 'succeeded' : 'failed';
        await trx
          .updateTable('sandbox_custodian_orders')
          .set({ status, settled_at: new Date() })
          .where('order_no', '=', input.orderNo)
          .execute();
        await scheduleCallback(trx, {
          eventId: `evt_${randomUUID()}`,
          event: status === 'succeeded' ? 'payout.succeeded' : 'payout.failed',
          orderNo: input.orderNo,
          amountFen: input.amountFen,
          occurredAt: new Date().toISOString(),
          ...(status === 'failed' ? { reason: 'bank_rejected' } : {}),
        });
      });
      return { accepted: true };
    },
    async queryOrder(orderNo) {
      const order = await findSandboxOrder(db, orderNo);
      return { orderNo, status: order?.status ?? 'unknown', amountFen: order?.amount_fen ?? null };
    },
    async dailyStatement(businessDate): Promise<CustodianStatementLine[]> {
      const rows = await sql<{
        order_no: string;
        kind: 'recharge' | 'payout';
        amount_fen: bigint;
        status: 'succeeded' | 'failed';
        settled_at: Date;
      }>`
        select order_no, kind, amount_fen, status, settled_at from sandbox_custodian_orders
        where status in ('succeeded', 'failed')
          and settled_at >= (${businessDate}::date)::timestamp at time zone 'Asia/Shanghai'
          and settled_at < (${businessDate}::date + 1)::timestamp at time zone 'Asia/Shanghai'
        order by order_no
      `.execute(db);
      return rows.rows.map((r) => ({
        orderNo: r.order_no,
        kind: r.kind,
        amountFen: r.amount_fen,
        status: r.status,
        settledAt: r.settled_at.toISOString(),
      }));
    },
  };
}

/** Deliver one callback to the platform, signed at the moment of sending; a non-2xx answer is retried later. */
export function sandboxDeliveryHandler(
  secret: string,
  deliver: (rawBody: string, headers: Record<string, string>) => Promise<number>,
): OutboxHandler {
  return async (job) => {
    const { body, failFirst } = job.payload as { body: string; failFirst: number };
    if (job.attempts < failFirst)
      throw new Error(`sandbox: simulated delivery failure ${job.attempts + 1} of ${failFirst}`);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const status = await deliver(body, {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': signBody(secret, timestamp, body),
    });
    if (status < 200 || status >= 300) throw new Error(`platform answered ${status}`);
  };
}
