/** Callbacks that never come: staff (or the sweeper) ask the custodian and apply its answer, exactly once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { sweepStaleOrders } from '../src/modules/payments/index.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { drain, fundedCustomer, setSandbox, type WithdrawingCustomer, withdraw } from './helpers/withdrawals.ts';

let t: TestApp;
let alice: WithdrawingCustomer;
let finance: TestStaff;
let key = 0;

const check = (orderNo: string, who: TestStaff = finance) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/payment-orders/${orderNo}/custodian-check`,
    headers: who.headers,
  });
async function recharge(amountFen: number) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/recharges',
    payload: { amountFen },
    headers: { ...alice.headers, 'idempotency-key': `cc-${++key}` },
  });
  expect(res.statusCode).toBe(201);
  return res.json().orderNo as string;
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await fundedCustomer(t, { cashFen: 1_000_000n });
  finance = await signedInStaff(t, ['finance']);
});
afterAll(async () => {
  expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
  await t?.close();
});

describe('asking the custodian when its callback never comes', () => {
  it('credits a paid recharge whose callbacks all failed, once', async () => {
    await setSandbox(t.app, { failDeliveries: 100 });
    const orderNo = await recharge(30_000);
    await t.app.inject({
      method: 'POST',
      url: `/sandbox/custodian/orders/${orderNo}/pay`,
      payload: { result: 'success' },
    });
    await drain(t.app);
    const before = (await customerBalances(t.database.db, alice.id)).availableFen;

    const res = await check(orderNo);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ orderNo, custodianStatus: 'succeeded', outcome: 'applied' });
    expect((await customerBalances(t.database.db, alice.id)).availableFen).toBe(before + 30_000n);
    const again = await check(orderNo);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ORDER_NOT_AWAITING_CUSTODIAN');
    await setSandbox(t.app, { failDeliveries: 0 });
  });

  it('waits when the customer has not paid yet', async () => {
    const orderNo = await recharge(1_000);
    const res = await check(orderNo);
    expect(res.json()).toEqual({ orderNo, custodianStatus: 'created', outcome: 'waiting' });
  });

  it('settles a payout whose callbacks were lost, from the sweeper', async () => {
    await setSandbox(t.app, { failDeliveries: 100, payoutResult: 'success' });
    const w = await withdraw(t, alice, 100_000);
    expect(w.statusCode).toBe(201);
    const orderNo = w.json().orderNo as string;
    await drain(t.app);
    const frozen = (await customerBalances(t.database.db, alice.id)).frozenFen;
    expect(frozen).toBeGreaterThan(0n);
    // Not stale yet: the sweeper leaves it alone.
    expect(await sweepStaleOrders(t.database.db, t.app.custodian)).toEqual([]);
    const later = new Date(Date.now() + 31 * 60_000);
    const results = await sweepStaleOrders(t.database.db, t.app.custodian, later);
    expect(results).toEqual([{ orderNo, custodianStatus: 'succeeded', outcome: 'applied' }]);
    expect((await customerBalances(t.database.db, alice.id)).frozenFen).toBe(0n);
    const order = await t.database.db
      .selectFrom('payment_orders')
      .select('status')
      .where('order_no', '=', orderNo)
      .executeTakeFirstOrThrow();
    expect(order.status).toBe('succeeded');
    await setSandbox(t.app, { failDeliveries: 0 });
  });

  it('needs the permission and a real order', async () => {
    const reviewer = await signedInStaff(t, ['reviewer']);
    expect((await check('R20990101000000AAAAAAAA', reviewer)).statusCode).toBe(403);
    expect((await check('R20990101000000AAAAAAAA')).statusCode).toBe(404);
  });
});
