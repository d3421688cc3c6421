/**
 * Issue 5's chaos test for recharges: the sandbox custodian delivers every callback several times, in a
 * shuffled order, failing the first attempt of each; forged and stale callbacks arrive too; the app is
 * restarted in the middle. Every order must end right, each success credited exactly once, nothing forged
 * credited, the ledger clean, and reconciliation must find no difference.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { signBody } from '../src/modules/payments/index.ts';
import { shanghaiDate } from '../src/modules/payments/orders.ts';
import { runReconciliation } from '../src/modules/payments/reconciliation.service.ts';
import { runDueJobs } from '../src/platform/outbox.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { verifyCustomer } from './helpers/kyc.ts';
import { createTestApp, type TestApp, testConfig } from './helpers/test-app.ts';

const ORDERS = 30;
const SECRET = 'lendhall-sandbox-custodian-secret';
let t: TestApp;
let app: FastifyInstance;
const customers: TestCustomer[] = [];

async function drainSome(rounds: number) {
  for (let i = 0; i < rounds; i++)
    await runDueJobs(app.db, app.outboxHandlers, { now: new Date(Date.now() + 3_600_000) });
}
async function drainAll() {
  for (let i = 0; i < 200; i++) {
    const r = await runDueJobs(app.db, app.outboxHandlers, { now: new Date(Date.now() + 3_600_000) });
    if (r.succeeded + r.failed === 0) return;
  }
  throw new Error('outbox did not drain');
}

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  for (const name of ['甲', '乙', '丙']) {
    const c = await signedInCustomer(t);
    await verifyCustomer(t, c.id, `测试${name}`);
    customers.push(c);
  }
  const controls = { delayMs: 0, duplicates: 2, reorder: true, failDeliveries: 1, payoutResult: 'success' };
  expect((await app.inject({ method: 'PUT', url: '/sandbox/custodian/control', payload: controls })).statusCode).toBe(
    200,
  );
});
afterAll(async () => {
  await app?.close();
  await t.database.close();
});

describe('recharge callbacks under chaos', () => {
  it('ends every order right and credits each success exactly once', async () => {
    const orders: {
      orderNo: string;
      owner: TestCustomer;
      amountFen: number;
      outcome: 'success' | 'fail' | 'unpaid';
    }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const owner = customers[i % customers.length]!;
      const amountFen = 100 * (i + 1) + i;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/me/recharges',
        payload: { amountFen },
        headers: { ...owner.headers, 'idempotency-key': `chaos-${i}` },
      });
      expect(res.statusCode).toBe(201);
      const outcome = i % 5 === 4 ? 'unpaid' : i % 3 === 0 ? 'fail' : 'success';
      orders.push({ orderNo: res.json().orderNo, owner, amountFen, outcome });
    }
    await drainAll(); // the custodian now knows every order

    const half = Math.floor(ORDERS / 2);
    const pay = async (o: (typeof orders)[number]) => {
      if (o.outcome === 'unpaid') return;
      const res = await app.inject({
        method: 'POST',
        url: `/sandbox/custodian/orders/${o.orderNo}/pay`,
        payload: { result: o.outcome },
      });
      expect(res.statusCode).toBe(200);
    };
    for (const o of orders.slice(0, half)) await pay(o);
    await drainSome(2);

    // Forged and stale callbacks claiming success for every order, including the unpaid and failed ones.
    for (const o of orders) {
      const raw = JSON.stringify({
        eventId: `forged-${o.orderNo}`,
        event: 'recharge.succeeded',
        orderNo: o.orderNo,
        amountFen: o.amountFen,
        occurredAt: '',
      });
      const ts = String(Math.floor(Date.now() / 1000));
      const forged = await app.inject({
        method: 'POST',
        url: '/api/v1/custodian/callbacks',
        payload: raw,
        headers: {
          'content-type': 'application/json',
          'x-timestamp': ts,
          'x-signature': signBody('not-the-secret-at-all', ts, raw),
        },
      });
      expect(forged.statusCode).toBe(401);
      const old = String(Math.floor(Date.now() / 1000) - 3600);
      const stale = await app.inject({
        method: 'POST',
        url: '/api/v1/custodian/callbacks',
        payload: raw,
        headers: { 'content-type': 'application/json', 'x-timestamp': old, 'x-signature': signBody(SECRET, old, raw) },
      });
      expect(stale.statusCode).toBe(401);
    }

    // Restart the platform in the middle: queued deliveries live in the database and carry on.
    await app.close();
    app = await buildApp(testConfig(), { database: t.database });
    await app.ready();
    for (const o of orders.slice(half)) await pay(o);
    await drainAll();

    for (const o of orders) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/me/recharges/${o.orderNo}`,
        headers: o.owner.headers,
      });
      const expected = o.outcome === 'success' ? 'succeeded' : o.outcome === 'fail' ? 'failed' : 'created';
      expect([o.orderNo, res.json().status]).toEqual([o.orderNo, expected]);
      const credits = await t.database.db
        .selectFrom('ledger_transfers')
        .select(['amount_fen'])
        .where('id', '=', `recharge:${o.orderNo}`)
        .execute();
      expect(credits.map((c) => c.amount_fen)).toEqual(o.outcome === 'success' ? [BigInt(o.amountFen)] : []);
    }
    for (const c of customers) {
      const expected = orders
        .filter((o) => o.owner === c && o.outcome === 'success')
        .reduce((s, o) => s + BigInt(o.amountFen), 0n);
      expect((await customerBalances(t.database.db, c.id)).availableFen).toBe(expected);
    }

    const outcomes = await t.database.db.selectFrom('custodian_callbacks').select('outcome').execute();
    const count = (k: string) => outcomes.filter((o) => o.outcome === k).length;
    const settled = orders.filter((o) => o.outcome !== 'unpaid').length;
    expect(count('applied')).toBe(settled);
    expect(count('duplicate')).toBe(settled * 2);
    expect(count('rejected_signature')).toBe(ORDERS);
    expect(count('rejected_stale')).toBe(ORDERS);

    expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
    const reconciliation = await runReconciliation(app.db, app.custodian, shanghaiDate(), 'stf_chaos_test');
    expect(reconciliation).toMatchObject({ matched: settled, differences: 0 });
  });

  it('reports a difference when the books disagree', async () => {
    // The custodian settles an order the platform never heard of.
    await t.database.db
      .insertInto('sandbox_custodian_orders')
      .values({
        order_no: 'R20990101000000ZZZZZZZZ',
        kind: 'recharge',
        user_ref: 'x',
        amount_fen: 1_00n,
        status: 'succeeded',
        settled_at: new Date(),
      })
      .execute();
    const reconciliation = await runReconciliation(app.db, app.custodian, shanghaiDate(), 'stf_chaos_test');
    expect(reconciliation.differences).toBe(1);
    const items = await t.database.db
      .selectFrom('reconciliation_items')
      .selectAll()
      .where('run_id', '=', reconciliation.runId)
      .where('category', '<>', 'matched')
      .execute();
    expect(items.map((i) => [i.order_no, i.category])).toEqual([['R20990101000000ZZZZZZZZ', 'missing_ours']]);
  });
});
