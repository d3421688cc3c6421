import type { Db } from '../../db/database.ts';
import { defineErrors } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transactions.ts';
import { platformAccountId, transfer } from '../ledger/index.ts';
import { customerAccounts } from '../ledger/ledger.service.ts';
import { CUSTODIAN_EVENTS, type CustodianEvent } from './custodian.ts';
import { checkSignature } from './signing.ts';
import { settleWithdrawal } from './withdrawal.service.ts';

export const CallbackError = defineErrors({
  CALLBACK_SIGNATURE_INVALID: { status: 401, zh: '回调签名无效', en: 'The callback signature is invalid' },
  CALLBACK_STALE: {
    status: 401,
    zh: '回调时间戳无效或已过期',
    en: 'The callback timestamp is missing, invalid or too old',
  },
  CALLBACK_MALFORMED: { status: 400, zh: '回调内容格式错误', en: 'The callback body is malformed' },
  CALLBACK_UNKNOWN_ORDER: { status: 404, zh: '回调的订单不存在', en: 'The callback names an unknown order' },
  CALLBACK_AMOUNT_MISMATCH: { status: 422, zh: '回调金额与订单不符', en: 'The callback amount differs from the order' },
  CALLBACK_CONFLICT: {
    status: 409,
    zh: '回调结果与订单的最终状态冲突，已交人工处理',
    en: 'The callback contradicts the order’s final state; referred to staff',
  },
});

export type CallbackOutcome =
  | 'applied'
  | 'duplicate'
  | 'rejected_signature'
  | 'rejected_stale'
  | 'rejected_malformed'
  | 'rejected_unknown_order'
  | 'rejected_amount'
  | 'rejected_conflict';

const RAW_BODY_KEPT_CHARS_MAX = 4_000;

function parseEvent(raw: string): CustodianEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) return undefined;
  if (!CUSTODIAN_EVENTS.includes(v.event as CustodianEvent['event'])) return undefined;
  if (typeof v.orderNo !== 'string' || !/^[RWO][0-9A-Z]{8,40}$/.test(v.orderNo)) return undefined;
  if (typeof v.amountFen !== 'number' || !Number.isSafeInteger(v.amountFen) || v.amountFen <= 0) return undefined;
  if (typeof v.eventId !== 'string' || v.eventId.length > 100) return undefined;
  return {
    eventId: v.eventId,
    event: v.event as CustodianEvent['event'],
    orderNo: v.orderNo,
    amountFen: BigInt(v.amountFen),
    occurredAt: typeof v.occurredAt === 'string' ? v.occurredAt.slice(0, 40) : '',
    ...(typeof v.reason === 'string' ? { reason: v.reason.slice(0, 200) } : {}),
  };
}

async function log(
  db: Db,
  entry: {
    raw: string;
    outcome: CallbackOutcome;
    event?: CustodianEvent;
    detail?: string;
    signature?: string;
    timestamp?: string;
  },
) {
  await db
    .insertInto('custodian_callbacks')
    .values({
      order_no: entry.event?.orderNo ?? null,
      event: entry.event?.event ?? null,
      outcome: entry.outcome,
      detail: entry.detail ?? null,
      signature: entry.signature?.slice(0, 128) ?? null,
      sent_at: entry.timestamp?.slice(0, 20) ?? null,
      raw_body: entry.raw.slice(0, RAW_BODY_KEPT_CHARS_MAX),
    })
    .execute();
}

/**
 * Apply a custodian callback exactly once. Signature and freshness first, then the order is locked and the
 * event checked against it: a success credits the customer (custody cash debited) with the transfer id
 * `recharge:<orderNo>`, so even a racing duplicate cannot credit twice; a payout's result posts or voids the
 * withdrawal's two holds (`withdraw:<orderNo>:post|void`, likewise once) while the order is `processing`. Every callback is logged with its
 * outcome; refused ones throw a typed error (the custodian will retry, and staff see them).
 */
export async function handleCallback(
  db: Db,
  secret: string,
  raw: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  nowMs: number = Date.now(),
): Promise<CallbackOutcome> {
  const signed = checkSignature(secret, raw, headers.timestamp, headers.signature, nowMs);
  const meta = {
    raw,
    ...(headers.signature ? { signature: headers.signature } : {}),
    ...(headers.timestamp ? { timestamp: headers.timestamp } : {}),
  };
  if (signed !== 'ok') {
    const outcome = signed === 'bad_signature' ? 'rejected_signature' : 'rejected_stale';
    await log(db, { ...meta, outcome, detail: signed });
    throw outcome === 'rejected_signature'
      ? CallbackError.CALLBACK_SIGNATURE_INVALID()
      : CallbackError.CALLBACK_STALE();
  }
  const event = parseEvent(raw);
  if (!event) {
    await log(db, { ...meta, outcome: 'rejected_malformed' });
    throw CallbackError.CALLBACK_MALFORMED();
  }

  return applyCustodianEvent(db, event, meta);
}

/**
 * Apply what the custodian says happened to an order, exactly once, with the order locked: used by signed
 * callbacks and by staff (or the sweeper) asking the custodian directly (`meta.raw` then records the query).
 */
export async function applyCustodianEvent(
  db: Db,
  event: CustodianEvent,
  meta: { raw: string; signature?: string; timestamp?: string },
): Promise<CallbackOutcome> {
  const raw = meta.raw;
  const headers = { signature: meta.signature, timestamp: meta.timestamp };
  const result = await inTransaction(db, async (trx): Promise<{ outcome: CallbackOutcome; detail?: string }> => {
    const order = await trx
      .selectFrom('payment_orders')
      .selectAll()
      .where('order_no', '=', event.orderNo)
      .forUpdate()
      .executeTakeFirst();
    const wantKind = event.event.startsWith('recharge.') ? 'recharge' : 'withdrawal';
    if (!order || order.kind !== wantKind) return { outcome: 'rejected_unknown_order' };
    if (order.amount_fen !== event.amountFen) {
      return { outcome: 'rejected_amount', detail: `order ${order.amount_fen}, callback ${event.amountFen}` };
    }
    const target = event.event.endsWith('.succeeded') ? 'succeeded' : 'failed';
    if (order.status === target) return { outcome: 'duplicate' };
    // A recharge waits for the customer's payment; a withdrawal for the payout (never one in review or rejected).
    const awaiting = order.kind === 'withdrawal' ? 'processing' : 'created';
    if (order.status !== awaiting)
      return { outcome: 'rejected_conflict', detail: `order is ${order.status}, callback says ${target}` };
    const now = new Date();
    if (order.kind === 'withdrawal') {
      await settleWithdrawal(trx, order, target, event.reason);
    } else if (target === 'succeeded') {
      const accounts = await customerAccounts(trx, order.user_id);
      await transfer(trx, {
        id: `recharge:${order.order_no}`,
        debitAccountId: platformAccountId('custody_cash'),
        creditAccountId: accounts.cash.id,
        amountFen: order.amount_fen,
        code: 'recharge',
        refs: { orderNo: order.order_no, eventId: event.eventId },
      });
    }
    await trx
      .updateTable('payment_orders')
      .set({
        status: target,
        failure_reason: target === 'failed' ? (event.reason ?? 'failed') : null,
        custodian_ref: event.eventId,
        completed_at: now,
        updated_at: now,
      })
      .where('order_no', '=', order.order_no)
      .execute();
    await trx
      .insertInto('custodian_callbacks')
      .values({
        order_no: event.orderNo,
        event: event.event,
        outcome: 'applied',
        detail: null,
        signature: headers.signature ?? null,
        sent_at: headers.timestamp ?? null,
        raw_body: raw.slice(0, RAW_BODY_KEPT_CHARS_MAX),
      })
      .execute();
    return { outcome: 'applied' };
  });

  if (result.outcome === 'applied') return 'applied';
  await log(db, { ...meta, event, outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}) });
  switch (result.outcome) {
    case 'duplicate':
      return 'duplicate';
    case 'rejected_unknown_order':
      throw CallbackError.CALLBACK_UNKNOWN_ORDER({ orderNo: event.orderNo });
    case 'rejected_amount':
      throw CallbackError.CALLBACK_AMOUNT_MISMATCH({ orderNo: event.orderNo });
    default:
      throw CallbackError.CALLBACK_CONFLICT({ orderNo: event.orderNo });
  }
}
