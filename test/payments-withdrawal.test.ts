/**
 * Issue 5, withdrawal (提现): the amount and fee are held, the custodian pays out, success posts the holds and
 * failure voids them; limits, fees, the review threshold, cards, SMS codes, bonus money and callbacks.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneHash } from '../src/modules/identity/index.ts';
import { customerBalances, getAccount, platformAccountId, verifyLedger } from '../src/modules/ledger/index.ts';
import { createWithdrawal } from '../src/modules/payments/withdrawal.service.ts';
import {
  WITHDRAW_DAILY_COUNT_MAX,
  WITHDRAW_MAX_FEN,
  WITHDRAW_REVIEW_THRESHOLD_FEN,
} from '../src/modules/payments/withdrawal.ts';
import { inTransaction } from '../src/platform/transactions.ts';
import { signedInCustomer } from './helpers/customers.ts';
import { signedInStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import {
  drain,
  fundedCustomer,
  payoutEvent,
  setSandbox,
  signedHeaders,
  type WithdrawingCustomer,
  withdraw,
  withdrawCode,
} from './helpers/withdrawals.ts';

let t: TestApp;

const balances = (c: { id: string }) => customerBalances(t.database.db, c.id);
const getMine = (c: WithdrawingCustomer, orderNo: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/me/withdrawals/${orderNo}`, headers: c.headers });
const postCallback = (raw: string, headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/custodian/callbacks', payload: raw, headers });
async function platformBalance(purpose: 'custody_cash' | 'fee_income') {
  const a = await getAccount(t.database.db, platformAccountId(purpose));
  return purpose === 'custody_cash' ? a.debitsPostedFen - a.creditsPostedFen : a.creditsPostedFen - a.debitsPostedFen;
}
async function messagesOf(c: { headers: Record<string, string> }) {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/messages', headers: c.headers });
  return (res.json() as { items: { title: string; body: string }[] }).items;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
  await t?.close();
});

describe('withdrawal through the sandbox custodian', () => {
  it('holds amount + fee, pays out, then posts both holds: the money leaves once', async () => {
    const alice = await fundedCustomer(t, { cashFen: 500_000n });
    const custodyBefore = await platformBalance('custody_cash');
    const feesBefore = await platformBalance('fee_income');
    const res = await withdraw(t, alice, 100_000);
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      amountFen: 100_000,
      feeFen: 200,
      totalFen: 100_200,
      status: 'processing',
      bankCard: { id: alice.cardId, bankCode: 'ICBC', bankName: '中国工商银行' },
      failureReason: null,
      completedAt: null,
    });
    expect(order.orderNo).toMatch(/^W\d{14}[0-9A-Z]{8}$/);
    // Frozen, not gone: available down by amount + fee, the total cash unchanged until the custodian answers.
    expect(await balances(alice)).toMatchObject({
      availableFen: 399_800n,
      frozenFen: 100_200n,
      totalCashFen: 500_000n,
    });
    await drain(t.app);
    const done = (await getMine(alice, order.orderNo)).json();
    expect(done).toMatchObject({ status: 'succeeded', failureReason: null });
    expect(done.completedAt).not.toBeNull();
    expect(await balances(alice)).toMatchObject({ availableFen: 399_800n, frozenFen: 0n, totalCashFen: 399_800n });
    expect((await platformBalance('custody_cash')) - custodyBefore).toBe(-100_000n);
    expect((await platformBalance('fee_income')) - feesBefore).toBe(200n);
    // The custodian was asked once with the order number, for the amount (not the fee).
    const theirs = await t.database.db
      .selectFrom('sandbox_custodian_orders')
      .selectAll()
      .where('order_no', '=', order.orderNo)
      .execute();
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ kind: 'payout', amount_fen: 100_000n, status: 'succeeded' });
    // The customer's order list shows it.
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/payment-orders', headers: alice.headers });
    expect(list.json().items[0]).toMatchObject({
      orderNo: order.orderNo,
      kind: 'withdrawal',
      amountFen: 100_000,
      feeFen: 200,
      status: 'succeeded',
      payUrl: null,
    });
    // The statement names both movements.
    const transfers = await t.database.db
      .selectFrom('ledger_transfers')
      .select(['id', 'kind', 'amount_fen', 'code'])
      .where('id', 'like', `%${order.orderNo}%`)
      .orderBy('seq')
      .execute();
    expect(transfers.map((x) => [x.id.split(':')[0], x.kind, x.amount_fen])).toEqual([
      ['withdraw', 'pending', 100_000n],
      ['withdraw_fee', 'pending', 200n],
      ['withdraw', 'post_pending', 100_000n],
      ['withdraw_fee', 'post_pending', 200n],
    ]);
  });

  it('returns the money when the payout fails, with the reason, and tells the customer', async () => {
    const bob = await fundedCustomer(t, { cashFen: 300_000n });
    await setSandbox(t.app, { payoutResult: 'fail' });
    try {
      const order = (await withdraw(t, bob, 250_000)).json();
      expect(order).toMatchObject({ status: 'processing', feeFen: 250 });
      expect(await balances(bob)).toMatchObject({ availableFen: 49_750n, frozenFen: 250_250n });
      await drain(t.app);
      expect((await getMine(bob, order.orderNo)).json()).toMatchObject({
        status: 'failed',
        failureReason: 'bank_rejected',
      });
      expect(await balances(bob)).toMatchObject({ availableFen: 300_000n, frozenFen: 0n, totalCashFen: 300_000n });
      const messages = await messagesOf(bob);
      expect(messages[0]?.title).toContain('提现失败');
      expect(messages[0]?.body).toContain(order.orderNo);
      expect(messages[0]?.body).toContain('bank_rejected');
    } finally {
      await setSandbox(t.app, { payoutResult: 'success' });
    }
  });

  it('never lets a second withdrawal spend money the first one holds', async () => {
    const carol = await fundedCustomer(t, { cashFen: 100_000n });
    expect((await withdraw(t, carol, 60_000)).json()).toMatchObject({ status: 'processing', totalFen: 60_200 });
    const tooMuch = await withdraw(t, carol, 39_601);
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().error).toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
      details: { availableFen: '39800', requiredFen: '39801' },
    });
    // Exactly what is left (39,600 + 2.00 fee = 39,800) is fine.
    expect((await withdraw(t, carol, 39_600)).statusCode).toBe(201);
    expect(await balances(carol)).toMatchObject({ availableFen: 0n, frozenFen: 100_000n });
    await drain(t.app);
    expect(await balances(carol)).toMatchObject({ availableFen: 0n, frozenFen: 0n, totalCashFen: 0n });
  });

  it('lets only one of two concurrent withdrawals through when the cash covers one', async () => {
    const dave = await fundedCustomer(t, { cashFen: 100_000n });
    const attempt = () =>
      inTransaction(t.database.db, (trx) =>
        createWithdrawal(trx, { userId: dave.id, amountFen: 60_000n, bankCardId: dave.cardId }, 'zh-CN'),
      );
    const results = await Promise.allSettled([attempt(), attempt(), attempt()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason.code).toBe('INSUFFICIENT_BALANCE');
    }
    expect(await balances(dave)).toMatchObject({ availableFen: 39_800n, frozenFen: 60_200n });
    await drain(t.app);
  });

  it('never pays out bonus money (红包/体验金)', async () => {
    const erin = await fundedCustomer(t, { cashFen: 5_000n, bonusFen: 1_000_000n });
    const res = await withdraw(t, erin, 10_000);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('INSUFFICIENT_BALANCE');
    const onlyBonus = await fundedCustomer(t, { bonusFen: 1_000_000n });
    expect((await withdraw(t, onlyBonus, 1_000)).json().error.code).toBe('INSUFFICIENT_BALANCE');
    expect((await withdraw(t, erin, 4_800)).statusCode).toBe(201);
    expect(await balances(erin)).toMatchObject({ availableFen: 0n, bonusFen: 1_000_000n, bonusFrozenFen: 0n });
    await drain(t.app);
    expect(await balances(erin)).toMatchObject({ totalCashFen: 0n, bonusFen: 1_000_000n });
  });

  it('answers a repeated request with the first order, without a second hold or a second code', async () => {
    const fay = await fundedCustomer(t, { cashFen: 100_000n });
    const code = await withdrawCode(t, fay);
    const first = await withdraw(t, fay, 10_000, { smsCode: code, idem: 'fay-1' });
    expect(first.statusCode).toBe(201);
    // The code is used up, but a repeat of the same request is answered from the record.
    const again = await withdraw(t, fay, 10_000, { smsCode: code, idem: 'fay-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().orderNo).toBe(first.json().orderNo);
    const otherBody = await withdraw(t, fay, 20_000, { smsCode: code, idem: 'fay-1' });
    expect(otherBody.statusCode).toBe(409);
    expect(otherBody.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await balances(fay)).toMatchObject({ frozenFen: 10_200n });
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/withdrawals',
      payload: { amountFen: 10_000, bankCardId: fay.cardId, smsCode: '123456' },
      headers: fay.headers,
    });
    expect(noKey.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/withdrawals',
      payload: { amountFen: 10_000, bankCardId: fay.cardId, smsCode: '123456' },
      headers: { 'idempotency-key': 'x-1' },
    });
    expect(anonymous.statusCode).toBe(401);
    await drain(t.app);
  });
});

describe('limits and fees', () => {
  let rich: WithdrawingCustomer;
  beforeAll(async () => {
    rich = await fundedCustomer(t, { cashFen: 300_000_000n });
  });

  it.each([
    [999, 422, 'AMOUNT_BELOW_MINIMUM'],
    [Number(WITHDRAW_MAX_FEN) + 1, 422, 'AMOUNT_ABOVE_MAXIMUM'],
    [0, 400, 'VALIDATION_FAILED'],
    [-1_000, 400, 'VALIDATION_FAILED'],
    ['10000', 400, 'VALIDATION_FAILED'],
    [1_000.5, 400, 'VALIDATION_FAILED'],
    [null, 400, 'VALIDATION_FAILED'],
  ])('refuses amount %s with %s %s', async (amount, status, code) => {
    const res = await withdraw(t, rich, amount);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toBeTruthy();
  });

  it('answers in English when asked', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/withdrawals',
      payload: { amountFen: 999, bankCardId: rich.cardId, smsCode: await withdrawCode(t, rich) },
      headers: { ...rich.headers, 'idempotency-key': 'en-1', 'accept-language': 'en-US' },
    });
    expect(res.json().error.message).toBe('The amount must be at least 10.00 CNY');
  });

  it('charges 0.1 % rounded half-up, at least 2.00', async () => {
    const cases: [number, number][] = [
      [1_000, 200],
      [1_000_500, 1_001],
      [1_000_499, 1_000],
    ];
    for (const [amount, fee] of cases) {
      const res = await withdraw(t, rich, amount);
      expect([amount, res.statusCode, res.json().feeFen]).toEqual([amount, 201, fee]);
    }
    await drain(t.app);
  });

  it('stops at the daily total, counting held and paid orders but not released ones', async () => {
    const big = await fundedCustomer(t, { cashFen: 200_000_000n });
    const a = (await withdraw(t, big, 50_000_000)).json();
    const b = (await withdraw(t, big, 50_000_000)).json();
    expect([a.status, b.status]).toEqual(['pending_review', 'pending_review']);
    const over = await withdraw(t, big, 1_000);
    expect(over.statusCode).toBe(422);
    expect(over.json().error).toMatchObject({ code: 'DAILY_LIMIT_EXCEEDED', details: { left: '0.00' } });
    // A rejected withdrawal frees its share of the day's limit.
    const finance = await signedInStaff(t, ['finance']);
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/withdrawals/${b.orderNo}/review`,
      payload: { decision: 'reject', reason: '测试' },
      headers: finance.headers,
    });
    expect(rejected.statusCode).toBe(200);
    expect((await withdraw(t, big, 1_000)).statusCode).toBe(201);
  });

  it('stops at the daily number of withdrawals', async () => {
    const busy = await fundedCustomer(t, { cashFen: 10_000_000n });
    for (let i = 0; i < WITHDRAW_DAILY_COUNT_MAX; i++) expect((await withdraw(t, busy, 1_000)).statusCode).toBe(201);
    const over = await withdraw(t, busy, 1_000);
    expect(over.statusCode).toBe(422);
    expect(over.json().error.code).toBe('WITHDRAW_DAILY_COUNT_EXCEEDED');
    await drain(t.app);
  });
});

describe('cards, orders and SMS codes', () => {
  it('refuses someone else’s card or order (404) and a card not yet bound (422)', async () => {
    const gus = await fundedCustomer(t, { cashFen: 100_000n });
    const hal = await fundedCustomer(t, { cashFen: 100_000n });
    const other = await withdraw(t, gus, 10_000, { bankCardId: hal.cardId });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOT_FOUND');
    expect((await withdraw(t, gus, 10_000, { bankCardId: 'card_nonexistent' })).statusCode).toBe(404);
    await t.database.db
      .updateTable('bank_cards')
      .set({ status: 'pending_binding' })
      .where('id', '=', gus.cardId)
      .execute();
    const notBound = await withdraw(t, gus, 10_000);
    expect(notBound.statusCode).toBe(422);
    expect(notBound.json().error.code).toBe('WITHDRAW_CARD_NOT_BOUND');
    await t.database.db.updateTable('bank_cards').set({ status: 'bound' }).where('id', '=', gus.cardId).execute();

    const mine = (await withdraw(t, hal, 10_000)).json();
    expect((await getMine(gus, mine.orderNo)).statusCode).toBe(404);
    expect((await getMine(hal, mine.orderNo)).statusCode).toBe(200);
    expect((await getMine(hal, 'W20990101000000AAAAAAAA')).statusCode).toBe(404);
    // A recharge is not a withdrawal.
    expect((await balances(gus)).frozenFen).toBe(0n);
    await drain(t.app);
  });

  it('needs the right, fresh code, and a refused request leaves the code usable', async () => {
    const ivy = await fundedCustomer(t, { cashFen: 100_000n });
    const none = await withdraw(t, ivy, 10_000, { smsCode: '000000' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('SMS_CODE_INVALID');

    const code = await withdrawCode(t, ivy);
    const wrong = await withdraw(t, ivy, 10_000, { smsCode: code === '111111' ? '222222' : '111111' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('SMS_CODE_INVALID');
    const badShape = await withdraw(t, ivy, 10_000, { smsCode: '12ab' });
    expect(badShape.json().error.code).toBe('VALIDATION_FAILED');
    // Refused for its amount before the code is looked at: the code still works afterwards.
    expect((await withdraw(t, ivy, 200_000, { smsCode: code })).json().error.code).toBe('INSUFFICIENT_BALANCE');
    expect((await withdraw(t, ivy, 10_000, { smsCode: code })).statusCode).toBe(201);
    // Used up.
    expect((await withdraw(t, ivy, 10_000, { smsCode: code })).json().error.code).toBe('SMS_CODE_INVALID');

    const late = await withdrawCode(t, ivy);
    await sql`update sms_codes set expires_at = now() - interval '1 second' where phone_hash = ${phoneHash(t.app.cipher, ivy.phone)}`.execute(
      t.database.db,
    );
    const expired = await withdraw(t, ivy, 10_000, { smsCode: late });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe('SMS_CODE_EXPIRED');
    expect(await balances(ivy)).toMatchObject({ frozenFen: 10_200n });
    await drain(t.app);
  });

  it('sends the code only to the account’s own phone, and limits how often', async () => {
    const jo = await fundedCustomer(t, { cashFen: 100_000n });
    await withdrawCode(t, jo);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/me/withdrawals/sms-codes', headers: jo.headers });
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('SMS_TOO_FREQUENT');
    const nobody = await t.app.inject({ method: 'POST', url: '/api/v1/me/withdrawals/sms-codes' });
    expect(nobody.statusCode).toBe(401);
    const outbox = await t.app.inject({ method: 'GET', url: `/api/v1/dev/sms-outbox?phone=${jo.phone}&limit=1` });
    expect(outbox.json().items[0].body).toContain('提现验证码');
  });

  it('refuses to unbind a card while a withdrawal is in progress', async () => {
    const kim = await fundedCustomer(t, { cashFen: 100_000n });
    await withdraw(t, kim, 10_000);
    const unbind = () =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/me/bank-cards/${kim.cardId}`, headers: kim.headers });
    const refused = await unbind();
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('CARD_HAS_PENDING_WITHDRAWAL');
    await drain(t.app);
    expect((await unbind()).statusCode).toBe(204);
    expect((await withdraw(t, kim, 10_000)).statusCode).toBe(404);
  });
});

describe('staff review above the threshold', () => {
  it('holds a large withdrawal for review; approval pays it out, rejection returns the money', async () => {
    const lee = await fundedCustomer(t, { cashFen: 20_000_000n });
    const finance = await signedInStaff(t, ['finance']);
    const review = (orderNo: string, payload: Record<string, unknown>, headers = finance.headers) =>
      t.app.inject({ method: 'POST', url: `/api/v1/admin/withdrawals/${orderNo}/review`, payload, headers });

    const atThreshold = (await withdraw(t, lee, Number(WITHDRAW_REVIEW_THRESHOLD_FEN))).json();
    expect(atThreshold.status).toBe('processing');
    const big = (await withdraw(t, lee, Number(WITHDRAW_REVIEW_THRESHOLD_FEN) + 1)).json();
    expect(big).toMatchObject({ status: 'pending_review', feeFen: 5_000 });
    const big2 = (await withdraw(t, lee, 6_000_000)).json();
    await drain(t.app);
    // Nothing is sent to the custodian while in review; the money stays frozen.
    expect(
      await t.database.db
        .selectFrom('sandbox_custodian_orders')
        .where('order_no', '=', big.orderNo)
        .selectAll()
        .execute(),
    ).toEqual([]);
    expect((await getMine(lee, big.orderNo)).json().status).toBe('pending_review');
    expect((await balances(lee)).frozenFen).toBe(5_000_001n + 5_000n + 6_000_000n + 6_000n);

    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/withdrawals?status=pending_review&limit=100',
      headers: finance.headers,
    });
    expect(queue.statusCode).toBe(200);
    const mineInQueue = queue.json().items.filter((i: { customerId: string }) => i.customerId === lee.id);
    expect(mineInQueue.map((i: { orderNo: string }) => i.orderNo).sort()).toEqual([big.orderNo, big2.orderNo].sort());
    expect(mineInQueue[0]).toMatchObject({ status: 'pending_review', review: null });
    expect(mineInQueue[0].customerPhoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);

    // Someone without payments.review may not decide.
    const reviewer = await signedInStaff(t, ['reviewer']);
    expect((await review(big.orderNo, { decision: 'approve' }, reviewer.headers)).statusCode).toBe(403);
    expect((await review('W20990101000000AAAAAAAA', { decision: 'approve' })).statusCode).toBe(404);
    expect((await review(big.orderNo, { decision: 'maybe' })).statusCode).toBe(400);
    const noReason = await review(big2.orderNo, { decision: 'reject', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('WITHDRAW_REVIEW_REASON_REQUIRED');

    const approved = await review(big.orderNo, { decision: 'approve' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'processing',
      review: { decision: 'approve', staffId: finance.id },
    });
    const twice = await review(big.orderNo, { decision: 'reject', reason: 'late' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('WITHDRAWAL_NOT_IN_REVIEW');
    await drain(t.app);
    expect((await getMine(lee, big.orderNo)).json().status).toBe('succeeded');

    const rejected = await review(big2.orderNo, { decision: 'reject', reason: '收款账户信息需核实' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', failureReason: '收款账户信息需核实' });
    expect((await getMine(lee, big2.orderNo)).json()).toMatchObject({
      status: 'rejected',
      failureReason: '收款账户信息需核实',
    });
    await drain(t.app);
    const left = 20_000_000n - (5_000_000n + 5_000n) - (5_000_001n + 5_000n);
    expect(await balances(lee)).toMatchObject({ availableFen: left, frozenFen: 0n, totalCashFen: left });
    expect((await messagesOf(lee))[0]?.title).toContain('未通过审核');
    // A late, stray payout callback for the rejected order is refused and changes nothing.
    const stray = payoutEvent(big2.orderNo, 6_000_000);
    expect((await postCallback(stray, signedHeaders(stray))).statusCode).toBe(409);
    expect((await balances(lee)).availableFen).toBe(left);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'payments.withdrawal_reviewed')
      .execute();
    expect(audit.map((a) => a.target_id)).toEqual(expect.arrayContaining([big.orderNo, big2.orderNo]));
  });
});

describe('payout callbacks', () => {
  it('applies a payout once; forged, stale, wrong and contrary callbacks never move money', async () => {
    const max = await fundedCustomer(t, { cashFen: 100_000n });
    // Hold the sandbox's own callbacks back so that this test's hand-signed ones arrive first.
    await setSandbox(t.app, { delayMs: 600_000 });
    let order: { orderNo: string };
    try {
      order = (await withdraw(t, max, 50_000)).json();
    } finally {
      await setSandbox(t.app, { delayMs: 0 });
    }
    const raw = payoutEvent(order.orderNo, 50_000);
    const forged = await postCallback(raw, signedHeaders(raw, 'not-the-secret'));
    expect(forged.statusCode).toBe(401);
    const stale = await postCallback(raw, signedHeaders(raw, undefined, Math.floor(Date.now() / 1000) - 600));
    expect(stale.json().error.code).toBe('CALLBACK_STALE');
    const wrongAmount = payoutEvent(order.orderNo, 50_200);
    expect((await postCallback(wrongAmount, signedHeaders(wrongAmount))).json().error.code).toBe(
      'CALLBACK_AMOUNT_MISMATCH',
    );
    const asRecharge = payoutEvent(order.orderNo, 50_000, 'recharge.succeeded');
    expect((await postCallback(asRecharge, signedHeaders(asRecharge))).json().error.code).toBe(
      'CALLBACK_UNKNOWN_ORDER',
    );
    expect(await balances(max)).toMatchObject({ availableFen: 49_800n, frozenFen: 50_200n });

    const good = await postCallback(raw, signedHeaders(raw));
    expect(good.json()).toEqual({ received: true, outcome: 'applied' });
    const duplicate = await postCallback(raw, signedHeaders(raw));
    expect(duplicate.json()).toEqual({ received: true, outcome: 'duplicate' });
    const contrary = payoutEvent(order.orderNo, 50_000, 'payout.failed');
    const refused = await postCallback(contrary, signedHeaders(contrary));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('CALLBACK_CONFLICT');
    // The sandbox's own (late) callback is a duplicate too.
    await drain(t.app);
    expect(await balances(max)).toMatchObject({ availableFen: 49_800n, frozenFen: 0n, totalCashFen: 49_800n });
    const posts = await t.database.db
      .selectFrom('ledger_transfers')
      .select('id')
      .where('pending_id', 'in', [`withdraw:${order.orderNo}`, `withdraw_fee:${order.orderNo}`])
      .execute();
    expect(posts.map((p) => p.id).sort()).toEqual([
      `withdraw:${order.orderNo}:post`,
      `withdraw_fee:${order.orderNo}:post`,
    ]);
    const log = await t.database.db
      .selectFrom('custodian_callbacks')
      .select('outcome')
      .where('order_no', '=', order.orderNo)
      .execute();
    expect(log.filter((l) => l.outcome === 'applied')).toHaveLength(1);
  });

  it('treats a payout callback for an order in review as a conflict', async () => {
    const ned = await fundedCustomer(t, { cashFen: 10_000_000n });
    const order = (await withdraw(t, ned, 6_000_000)).json();
    expect(order.status).toBe('pending_review');
    const early = payoutEvent(order.orderNo, 6_000_000);
    expect((await postCallback(early, signedHeaders(early))).json().error.code).toBe('CALLBACK_CONFLICT');
    expect((await balances(ned)).frozenFen).toBe(6_006_000n);
  });

  it('rejects a second customer asking about the first one’s order', async () => {
    const a = await signedInCustomer(t);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/withdrawals/W20990101000000AAAAAAAA',
      headers: a.headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ORDER_NOT_FOUND');
  });
});
