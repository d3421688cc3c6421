import type { FastifyRequest } from 'fastify';
import type { Db, Trx } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { defineErrors } from '../../platform/errors.ts';
import { registerApprovalKind, requestApproval } from '../backoffice/index.ts';
import { customerAccounts, platformAccountId, transfer } from '../ledger/index.ts';
import { formatYuan } from '../money/index.ts';
import { newOrderNo, shanghaiDate } from './orders.ts';
import { PaymentError } from './payments.errors.ts';
import { RECHARGE_MAX_FEN } from './recharge.service.ts';

export const OFFLINE_RECHARGE_APPROVAL = 'payments.offline_recharge';

export const OfflineRechargeError = defineErrors({
  BANK_REFERENCE_ALREADY_RECORDED: {
    status: 409,
    zh: '该银行流水号已登记过线下充值',
    en: 'This bank reference is already recorded as an offline recharge',
  },
  CUSTOMER_NOT_FOUND: { status: 404, zh: '客户不存在', en: 'No such customer' },
  ORDER_NOT_AWAITING_APPROVAL: { status: 409, zh: '该线下充值已处理', en: 'This offline recharge was already decided' },
});

interface OfflinePayload {
  readonly orderNo: string;
}

/**
 * Credit an approved offline recharge: the bank transfer reached the custody account, so custody cash is
 * debited and the customer's cash credited, with the order number in the transfer id (once, ever).
 */
async function applyOfflineRecharge(
  trx: Trx,
  payload: OfflinePayload,
  checkerId: string,
  request: FastifyRequest | undefined,
) {
  const order = await trx
    .selectFrom('payment_orders')
    .selectAll()
    .where('order_no', '=', payload.orderNo)
    .forUpdate()
    .executeTakeFirst();
  if (order?.status !== 'pending_approval') throw OfflineRechargeError.ORDER_NOT_AWAITING_APPROVAL();
  const accounts = await customerAccounts(trx, order.user_id);
  await transfer(trx, {
    id: `offline:${order.order_no}`,
    debitAccountId: platformAccountId('custody_cash'),
    creditAccountId: accounts.cash.id,
    amountFen: order.amount_fen,
    code: 'recharge_offline',
    refs: { orderNo: order.order_no, bankReference: String(order.detail.bankReference ?? '') },
  });
  const now = new Date();
  await trx
    .updateTable('payment_orders')
    .set({ status: 'succeeded', completed_at: now, updated_at: now })
    .where('order_no', '=', order.order_no)
    .execute();
  await audit(trx, request, {
    action: 'payments.offline_recharge_credited',
    actor: { kind: 'staff', id: checkerId },
    targetKind: 'payment_order',
    targetId: order.order_no,
    after: { status: 'succeeded', amountFen: order.amount_fen },
  });
}

registerApprovalKind<OfflinePayload>(OFFLINE_RECHARGE_APPROVAL, {
  name: { zh: '线下充值入账', en: 'Offline recharge' },
  permission: 'payments.offline_recharge',
  apply: (trx, payload, ctx) => applyOfflineRecharge(trx, payload, ctx.checkerId, ctx.request),
  async reject(trx, payload) {
    const now = new Date();
    await trx
      .updateTable('payment_orders')
      .set({ status: 'rejected', failure_reason: 'rejected_by_checker', completed_at: now, updated_at: now })
      .where('order_no', '=', payload.orderNo)
      .where('status', '=', 'pending_approval')
      .execute();
  },
});

export interface OfflineRechargeInput {
  readonly customerId: string;
  readonly amountFen: bigint;
  readonly bankReference: string;
  readonly transferDate: string;
  readonly note: string;
}

/**
 * Staff record a bank transfer a customer made to the custody account (线下充值). Nothing is credited
 * yet: a second staff member must approve the request (two-person rule), which credits it.
 */
export async function recordOfflineRecharge(
  trx: Trx,
  makerId: string,
  input: OfflineRechargeInput,
  request?: FastifyRequest,
): Promise<{ orderNo: string; approvalId: string }> {
  const customer = await trx
    .selectFrom('users')
    .select(['id', 'status'])
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (!customer) throw OfflineRechargeError.CUSTOMER_NOT_FOUND({ field: 'customerId' });
  if (input.amountFen > RECHARGE_MAX_FEN)
    throw PaymentError.AMOUNT_ABOVE_MAXIMUM({ field: 'amountFen', max: formatYuan(RECHARGE_MAX_FEN) });
  const reference = input.bankReference.trim();
  const taken = await trx
    .selectFrom('payment_orders')
    .select('order_no')
    .where('kind', '=', 'offline_recharge')
    .where('status', '<>', 'rejected')
    .where((eb) => eb(eb.ref('detail', '->>').key('bankReference' as never), '=', reference))
    .executeTakeFirst();
  if (taken)
    throw OfflineRechargeError.BANK_REFERENCE_ALREADY_RECORDED({ field: 'bankReference', orderNo: taken.order_no });
  const orderNo = newOrderNo('O');
  try {
    await trx
      .insertInto('payment_orders')
      .values({
        order_no: orderNo,
        kind: 'offline_recharge',
        user_id: input.customerId,
        amount_fen: input.amountFen,
        status: 'pending_approval',
        business_date: shanghaiDate(),
        detail: JSON.stringify({ bankReference: reference, transferDate: input.transferDate, recordedBy: makerId }),
      })
      .execute();
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw OfflineRechargeError.BANK_REFERENCE_ALREADY_RECORDED({ field: 'bankReference' });
    throw error;
  }
  const approval = await requestApproval(
    trx,
    {
      kind: OFFLINE_RECHARGE_APPROVAL,
      payload: { orderNo } satisfies OfflinePayload,
      note: input.note,
      makerId,
      target: { kind: 'payment_order', id: orderNo },
    },
    request,
  );
  return { orderNo, approvalId: approval.id };
}

export async function listOfflineRecharges(db: Db, limit: number) {
  return db
    .selectFrom('payment_orders')
    .selectAll()
    .where('kind', '=', 'offline_recharge')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
