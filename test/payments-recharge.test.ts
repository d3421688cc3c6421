import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { signBody } from '../src/modules/payments/index.ts';
import { runDueJobs } from '../src/platform/outbox.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { verifyCustomer } from './helpers/kyc.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let alice: TestCustomer;
let key = 0;
const SECRET = 'lendhall-sandbox-custodian-secret';

/** Run every queued outbox job, including retries scheduled for later, until none is left or a bound is hit. */
async function drain(app: TestApp['app'] = t.app, roundsMax = 60) {
  for (let i = 0; i < roundsMax; i++) {
    const r = await runDueJobs(app.db, app.outboxHandlers, { now: new Date(Date.now() + 3_600_000) });
    if (r.succeeded + r.failed === 0) return;
  }
  throw new Error('outbox did not drain');
}

const recharge = (c: TestCustomer, amountFen: unknown, idem = `k-${++key}`) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/me/recharges',
    payload: { amountFen },
    headers: { ...c.headers, 'idempotency-key': idem },
  });

function signed(body: string, at = Math.floor(Date.now() / 1000)) {
  const ts = String(at);
  return { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signBody(SECRET, ts, body) };
}

beforeAll(async () => {
  t = await createTestApp();
  alice = await signedInCustomer(t);
  await verifyCustomer(t, alice.id);
});
afterAll(async () => {
  expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
  await t?.close();
});

describe('recharge through the sandbox custodian', () => {
  it('credits the balance exactly once after the customer pays', async () => {
    const res = await recharge(alice, 100_000);
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      amountFen: 100_000,
      status: 'created',
      payUrl: `/sandbox/custodian/orders/${order.orderNo}`,
    });
    await drain();
    const page = await t.app.inject({ method: 'GET', url: order.payUrl });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('¥1,000.00');
    const pay = await t.app.inject({ method: 'POST', url: `${order.payUrl}/pay`, payload: { result: 'success' } });
    expect(pay.json().status).toBe('succeeded');
    expect((await customerBalances(t.database.db, alice.id)).availableFen).toBe(0n);
    await drain();
    expect((await customerBalances(t.database.db, alice.id)).availableFen).toBe(100_000n);
    const again = await t.app.inject({ method: 'POST', url: `${order.payUrl}/pay`, payload: { result: 'success' } });
    expect(again.json().status).toBe('succeeded');
    await drain();
    expect((await customerBalances(t.database.db, alice.id)).availableFen).toBe(100_000n);
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/recharges/${order.orderNo}`,
      headers: alice.headers,
    });
    expect(mine.json().status).toBe('succeeded');
  });

  it('marks a failed payment failed and credits nothing', async () => {
    const before = (await customerBalances(t.database.db, alice.id)).availableFen;
    const order = (await recharge(alice, 5_000)).json();
    await drain();
    await t.app.inject({ method: 'POST', url: `${order.payUrl}/pay`, payload: { result: 'fail' } });
    await drain();
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/recharges/${order.orderNo}`,
      headers: alice.headers,
    });
    expect(mine.json()).toMatchObject({ status: 'failed', failureReason: 'customer_cancelled' });
    expect((await customerBalances(t.database.db, alice.id)).availableFen).toBe(before);
  });

  it('answers a repeated request with the first order', async () => {
    const first = await recharge(alice, 2_000, 'same-key');
    const second = await recharge(alice, 2_000, 'same-key');
    expect(second.json().orderNo).toBe(first.json().orderNo);
    expect((await recharge(alice, 3_000, 'same-key')).statusCode).toBe(409);
  });

  it.each([
    [50, 'AMOUNT_BELOW_MINIMUM', 422],
    [50_000_001, 'AMOUNT_ABOVE_MAXIMUM', 422],
    [0, 'VALIDATION_FAILED', 400],
    [-100, 'VALIDATION_FAILED', 400],
    ['100', 'VALIDATION_FAILED', 400],
    [1.5, 'VALIDATION_FAILED', 400],
  ])('refuses amount %s with %s', async (amount, code, status) => {
    const res = await recharge(alice, amount);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('enforces the daily limit', async () => {
    const bob = await signedInCustomer(t);
    await verifyCustomer(t, bob.id, '李四');
    expect((await recharge(bob, 50_000_000)).statusCode).toBe(201);
    expect((await recharge(bob, 50_000_000)).statusCode).toBe(201);
    const over = await recharge(bob, 100);
    expect(over.statusCode).toBe(422);
    expect(over.json().error.code).toBe('DAILY_LIMIT_EXCEEDED');
  });

  it('requires real-name verification, a session and an Idempotency-Key', async () => {
    const newbie = await signedInCustomer(t);
    expect((await recharge(newbie, 10_000)).json().error.code).toBe('REAL_NAME_REQUIRED');
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/me/recharges', payload: { amountFen: 100 } })).statusCode,
    ).toBe(401);
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/recharges',
      payload: { amountFen: 10_000 },
      headers: alice.headers,
    });
    expect(noKey.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('shows another customer’s order to nobody but its owner', async () => {
    const order = (await recharge(alice, 1_000)).json();
    const eve = await signedInCustomer(t);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/recharges/${order.orderNo}`,
      headers: eve.headers,
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('custodian callbacks', () => {
  async function pendingOrder(amountFen: number) {
    const order = (await recharge(alice, amountFen)).json();
    await drain();
    return order.orderNo as string;
  }
  const body = (orderNo: string, amountFen: number, event = 'recharge.succeeded') =>
    JSON.stringify({ eventId: `evt-${orderNo}`, event, orderNo, amountFen, occurredAt: new Date().toISOString() });
  const post = (raw: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/custodian/callbacks', payload: raw, headers });

  it('never credits a forged, stale, unknown or wrong-amount callback, and logs each', async () => {
    const before = (await customerBalances(t.database.db, alice.id)).availableFen;
    const orderNo = await pendingOrder(7_000);
    const raw = body(orderNo, 7_000);
    const forged = await post(raw, { ...signed(raw), 'x-signature': 'f'.repeat(64) });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('CALLBACK_SIGNATURE_INVALID');
    const tampered = await post(body(orderNo, 700_000), signed(raw));
    expect(tampered.statusCode).toBe(401);
    const stale = await post(raw, signed(raw, Math.floor(Date.now() / 1000) - 600));
    expect(stale.json().error.code).toBe('CALLBACK_STALE');
    const unsigned = await post(raw, { 'content-type': 'application/json' });
    expect(unsigned.statusCode).toBe(401);
    const unknown = body('R20990101000000AAAAAAAA', 7_000);
    expect((await post(unknown, signed(unknown))).json().error.code).toBe('CALLBACK_UNKNOWN_ORDER');
    const wrongAmount = body(orderNo, 7_001);
    expect((await post(wrongAmount, signed(wrongAmount))).json().error.code).toBe('CALLBACK_AMOUNT_MISMATCH');
    const malformed = '{"event":"recharge.succeeded"';
    expect((await post(malformed, signed(malformed))).json().error.code).toBe('CALLBACK_MALFORMED');
    expect((await customerBalances(t.database.db, alice.id)).availableFen).toBe(before);

    const outcomes = await t.database.db.selectFrom('custodian_callbacks').select('outcome').execute();
    expect(new Set(outcomes.map((o) => o.outcome))).toEqual(
      new Set([
        'applied',
        'rejected_signature',
        'rejected_stale',
        'rejected_unknown_order',
        'rejected_amount',
        'rejected_malformed',
      ]),
    );

    const good = await post(raw, signed(raw));
    expect(good.json()).toEqual({ received: true, outcome: 'applied' });
    const replay = await post(raw, signed(raw));
    expect(replay.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect((await customerBalances(t.database.db, alice.id)).availableFen).toBe(before + 7_000n);
    const contrary = body(orderNo, 7_000, 'recharge.failed');
    expect((await post(contrary, signed(contrary))).statusCode).toBe(409);
  });
});

describe('back office: orders, callbacks and reconciliation', () => {
  it('lets finance see orders and callbacks, reconcile, and resolve a difference; others get 403', async () => {
    const { signedInStaff } = await import('./helpers/staff.ts');
    const finance = await signedInStaff(t, ['finance']);
    const orders = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/payment-orders?customerId=${alice.id}`,
      headers: finance.headers,
    });
    expect(orders.statusCode).toBe(200);
    expect(orders.json().items.length).toBeGreaterThan(0);
    const callbacks = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/custodian-callbacks?outcome=rejected_signature',
      headers: finance.headers,
    });
    expect(callbacks.json().items.every((c: { outcome: string }) => c.outcome === 'rejected_signature')).toBe(true);

    // The custodian settled an order the platform does not know: one difference to resolve.
    await t.database.db
      .insertInto('sandbox_custodian_orders')
      .values({
        order_no: 'R20990101000000QQQQQQQQ',
        kind: 'recharge',
        user_ref: 'x',
        amount_fen: 100n,
        status: 'succeeded',
        settled_at: new Date(),
      })
      .execute();
    const run = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/reconciliation/runs',
      payload: {},
      headers: finance.headers,
    });
    expect(run.statusCode).toBe(201);
    // Two differences: that order, and the one the callback test above credited with a hand-signed callback
    // although the custodian never settled it (which is exactly what reconciliation is for).
    expect(run.json().differences).toBe(2);
    const items = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/reconciliation/runs/${run.json().id}/items`,
      headers: finance.headers,
    });
    expect(
      items
        .json()
        .items.map((i: { category: string }) => i.category)
        .sort(),
    ).toEqual(['missing_ours', 'missing_theirs']);
    const item = items.json().items.find((i: { orderNo: string }) => i.orderNo === 'R20990101000000QQQQQQQQ');
    expect(item).toMatchObject({ orderNo: 'R20990101000000QQQQQQQQ', category: 'missing_ours', resolvedAt: null });
    const empty = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/reconciliation/items/${item.id}/resolution`,
      payload: { note: '   ' },
      headers: finance.headers,
    });
    expect(empty.json().error.code).toBe('RECONCILIATION_NOTE_REQUIRED');
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/reconciliation/items/${item.id}/resolution`,
      payload: { note: 'Test order injected by the custodian; confirmed with them.' },
      headers: finance.headers,
    });
    expect(resolved.statusCode).toBe(204);
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/reconciliation/items/${item.id}/resolution`,
      payload: { note: 'again' },
      headers: finance.headers,
    });
    expect(twice.statusCode).toBe(409);
    const xlsx = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/reconciliation/runs/${run.json().id}/report.xlsx`,
      headers: { ...finance.headers, 'accept-language': 'en' },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const files = unzipSync(new Uint8Array(xlsx.rawPayload));
    expect(Object.keys(files).sort()).toEqual(
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/_rels/workbook.xml.rels',
        'xl/workbook.xml',
        'xl/worksheets/sheet1.xml',
        'xl/worksheets/sheet2.xml',
      ].sort(),
    );
    const lines = strFromU8(files['xl/worksheets/sheet2.xml']!);
    expect(lines).toContain('R20990101000000QQQQQQQQ');
    expect(lines).toContain('Missing on our side');
    expect(lines).toContain('<v>1</v>');
    const badDate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/reconciliation/runs',
      payload: { date: '2026-02-30' },
      headers: finance.headers,
    });
    expect(badDate.statusCode).toBe(400);

    const reviewer = await signedInStaff(t, ['reviewer']);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/admin/payment-orders', headers: reviewer.headers }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/admin/reconciliation/runs',
          payload: {},
          headers: reviewer.headers,
        })
      ).statusCode,
    ).toBe(403);
  });
});
