/**
 * Issue 5's chaos test for withdrawals: the sandbox custodian delivers every payout callback three times, in a
 * shuffled order, failing the first attempt of each; forged and stale callbacks arrive for every order; some
 * orders are left for the outbox as if the process died right after commit; the app is restarted in the middle;
 * staff approve and reject large ones. Every order must end right, each hold posted or voided exactly once,
 * balances right, the ledger clean, and reconciliation must find no difference.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { shanghaiDate } from '../src/modules/payments/orders.ts';
import { runReconciliation } from '../src/modules/payments/reconciliation.service.ts';
import { createWithdrawal } from '../src/modules/payments/withdrawal.service.ts';
import { withdrawalFeeFen } from '../src/modules/payments/withdrawal.ts';
import { runDueJobs } from '../src/platform/outbox.ts';
import { inTransaction } from '../src/platform/transactions.ts';
import { signedInStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp, testConfig } from './helpers/test-app.ts';
import {
  drain,
  fundedCustomer,
  payoutEvent,
  setSandbox,
  signedHeaders,
  type WithdrawingCustomer,
  withdraw,
} from './helpers/withdrawals.ts';

const ORDERS = 24;
const CASH_FEN = 30_000_000n;
let t: TestApp;
let app: FastifyInstance;
const customers: WithdrawingCustomer[] = [];

type Plan = 'pay' | 'fail' | 'crash_then_pay' | 'approve_pay' | 'approve_fail' | 'reject';
interface Order {
  orderNo: string;
  owner: WithdrawingCustomer;
  amountFen: bigint;
  plan: Plan;
}

function planOf(i: number): Plan {
  if (i % 4 === 3) return (['approve_pay', 'approve_fail', 'reject'] as const)[Math.floor(i / 4) % 3]!;
  if (i % 5 === 1) return 'crash_then_pay';
  return i % 3 === 0 ? 'fail' : 'pay';
}

async function drainSome(rounds: number) {
  for (let i = 0; i < rounds; i++)
    await runDueJobs(app.db, app.outboxHandlers, { now: new Date(Date.now() + 3_600_000) });
}

beforeAll(async () => {
  t = await createTestApp();
  app = t.app;
  for (let i = 0; i < 3; i++) customers.push(await fundedCustomer(t, { cashFen: CASH_FEN }));
  await setSandbox(app, { delayMs: 0, duplicates: 2, reorder: true, failDeliveries: 1, payoutResult: 'success' });
});
afterAll(async () => {
  await app?.close();
  await t.database.close();
});

describe('payout callbacks under chaos', () => {
  it('ends every withdrawal right and posts or voids each hold exactly once', async () => {
    const orders: Order[] = [];
    const finance = await signedInStaff(t, ['finance']);

    async function create(i: number) {
      const owner = customers[i % customers.length]!;
      const plan = planOf(i);
      const amountFen =
        plan.startsWith('approve') || plan === 'reject' ? 5_000_001n + BigInt(i) : 10_000n + BigInt(i * 137);
      let orderNo: string;
      if (plan === 'crash_then_pay') {
        // Committed, but the process "dies" before asking the custodian: only the outbox job is left.
        const w = await inTransaction(app.db, (trx) =>
          createWithdrawal(trx, { userId: owner.id, amountFen, bankCardId: owner.cardId }, 'zh-CN'),
        );
        orderNo = w.orderNo;
      } else {
        await setSandbox(app, { payoutResult: plan === 'fail' ? 'fail' : 'success' });
        const res = await withdraw(t, owner, Number(amountFen), { app });
        expect(res.statusCode).toBe(201);
        orderNo = res.json().orderNo;
      }
      orders.push({ orderNo, owner, amountFen, plan });
      // Forged and stale callbacks claiming success, for every order.
      const raw = payoutEvent(orderNo, amountFen, 'payout.succeeded', `forged-${orderNo}`);
      const forged = await app.inject({
        method: 'POST',
        url: '/api/v1/custodian/callbacks',
        payload: raw,
        headers: signedHeaders(raw, 'not-the-secret-at-all'),
      });
      expect(forged.statusCode).toBe(401);
      const stale = await app.inject({
        method: 'POST',
        url: '/api/v1/custodian/callbacks',
        payload: raw,
        headers: signedHeaders(raw, undefined, Math.floor(Date.now() / 1000) - 3600),
      });
      expect(stale.statusCode).toBe(401);
    }

    const half = ORDERS / 2;
    for (let i = 0; i < half; i++) if (planOf(i) !== 'crash_then_pay') await create(i);
    await setSandbox(app, { payoutResult: 'success' });
    await drainSome(2);
    // These commit just before the "crash": the restarted process finds their payout jobs.
    for (let i = 0; i < half; i++) if (planOf(i) === 'crash_then_pay') await create(i);

    // Restart the platform in the middle: queued payouts and deliveries live in the database and carry on.
    await app.close();
    app = await buildApp(testConfig(), { database: t.database });
    await app.ready();
    for (let i = half; i < ORDERS; i++) await create(i);

    for (const o of orders.filter((x) => x.plan.startsWith('approve') || x.plan === 'reject')) {
      await setSandbox(app, { payoutResult: o.plan === 'approve_fail' ? 'fail' : 'success' });
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/admin/withdrawals/${o.orderNo}/review`,
        payload: o.plan === 'reject' ? { decision: 'reject', reason: '混沌测试' } : { decision: 'approve' },
        headers: finance.headers,
      });
      expect([o.orderNo, res.statusCode]).toEqual([o.orderNo, 200]);
    }
    await setSandbox(app, { payoutResult: 'success' });
    await drain(app);

    const expectedStatus: Record<Plan, string> = {
      pay: 'succeeded',
      crash_then_pay: 'succeeded',
      approve_pay: 'succeeded',
      fail: 'failed',
      approve_fail: 'failed',
      reject: 'rejected',
    };
    for (const o of orders) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/me/withdrawals/${o.orderNo}`,
        headers: o.owner.headers,
      });
      const want = expectedStatus[o.plan];
      expect([o.orderNo, o.plan, res.json().status]).toEqual([o.orderNo, o.plan, want]);
      const resolutions = await t.database.db
        .selectFrom('ledger_transfers')
        .select(['id', 'kind', 'amount_fen'])
        .where('pending_id', 'in', [`withdraw:${o.orderNo}`, `withdraw_fee:${o.orderNo}`])
        .execute();
      const kind = want === 'succeeded' ? 'post_pending' : 'void_pending';
      expect(resolutions.map((r) => r.kind)).toEqual([kind, kind]);
      const total = resolutions.reduce((s, r) => s + r.amount_fen, 0n);
      expect(total).toBe(o.amountFen + withdrawalFeeFen(o.amountFen));
    }
    for (const c of customers) {
      const paid = orders
        .filter((o) => o.owner === c && expectedStatus[o.plan] === 'succeeded')
        .reduce((s, o) => s + o.amountFen + withdrawalFeeFen(o.amountFen), 0n);
      expect(await customerBalances(t.database.db, c.id)).toMatchObject({
        availableFen: CASH_FEN - paid,
        frozenFen: 0n,
        totalCashFen: CASH_FEN - paid,
      });
    }

    const outcomes = await t.database.db.selectFrom('custodian_callbacks').select('outcome').execute();
    const count = (k: string) => outcomes.filter((o) => o.outcome === k).length;
    const sent = orders.filter((o) => o.plan !== 'reject').length;
    expect(count('applied')).toBe(sent);
    expect(count('duplicate')).toBe(sent * 2);
    expect(count('rejected_signature')).toBe(ORDERS);
    expect(count('rejected_stale')).toBe(ORDERS);
    // The custodian was asked to pay each sent order once, whatever the retries.
    const theirs = await t.database.db.selectFrom('sandbox_custodian_orders').select('order_no').execute();
    expect(theirs.length).toBe(sent);

    expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
    const reconciliation = await runReconciliation(app.db, app.custodian, shanghaiDate(), null);
    expect(reconciliation).toMatchObject({ matched: sent, differences: 0 });
  });
});
