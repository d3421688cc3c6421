import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let carol: TestCustomer;
let maker: TestStaff;
let checker: TestStaff;
let key = 0;

const record = (who: TestStaff, body: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/offline-recharges',
    payload: body,
    headers: { ...who.headers, 'idempotency-key': `off-${++key}` },
  });
const decide = (who: TestStaff, approvalId: string, decision: 'approve' | 'reject', reason?: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/approvals/${approvalId}/decision`,
    payload: { decision, ...(reason ? { reason } : {}) },
    headers: who.headers,
  });
const body = (over: Record<string, unknown> = {}) => ({
  customerId: carol.id,
  amountFen: 200_000,
  bankReference: `BANK-${key + 1}`,
  transferDate: '2026-11-20',
  note: 'Transfer seen on the custody account statement',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  carol = await signedInCustomer(t);
  maker = await signedInStaff(t, ['finance']);
  checker = await signedInStaff(t, ['finance']);
});
afterAll(async () => {
  expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
  await t?.close();
});

describe('offline recharge (线下充值) with two people', () => {
  it('credits nothing until a second person approves, then exactly once', async () => {
    const res = await record(maker, body({ bankReference: 'ICBC-20261120-0001' }));
    expect(res.statusCode).toBe(201);
    const { orderNo, approvalId } = res.json();
    expect((await customerBalances(t.database.db, carol.id)).availableFen).toBe(0n);

    const self = await decide(maker, approvalId, 'approve');
    expect(self.statusCode).toBeGreaterThanOrEqual(400);
    expect(self.statusCode).toBeLessThan(500);
    expect((await customerBalances(t.database.db, carol.id)).availableFen).toBe(0n);

    const ok = await decide(checker, approvalId, 'approve');
    expect(ok.statusCode).toBe(200);
    expect((await customerBalances(t.database.db, carol.id)).availableFen).toBe(200_000n);
    const again = await decide(checker, approvalId, 'approve');
    expect(again.statusCode).toBe(409);
    expect((await customerBalances(t.database.db, carol.id)).availableFen).toBe(200_000n);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/admin/offline-recharges', headers: maker.headers });
    expect(list.json().items.find((o: { orderNo: string }) => o.orderNo === orderNo)).toMatchObject({
      status: 'succeeded',
      bankReference: 'ICBC-20261120-0001',
    });
    const transfer = await t.database.db
      .selectFrom('ledger_transfers')
      .selectAll()
      .where('id', '=', `offline:${orderNo}`)
      .execute();
    expect(transfer.map((x) => [x.code, x.amount_fen])).toEqual([['recharge_offline', 200_000n]]);
  });

  it('records one bank transfer once, unless the earlier record was rejected', async () => {
    const first = await record(maker, body({ bankReference: 'CCB-0002', amountFen: 5_000 }));
    expect(first.statusCode).toBe(201);
    const twice = await record(maker, body({ bankReference: 'CCB-0002', amountFen: 5_000 }));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('BANK_REFERENCE_ALREADY_RECORDED');
    const rejected = await decide(
      checker,
      first.json().approvalId,
      'reject',
      'Amount does not match the bank statement',
    );
    expect(rejected.statusCode).toBe(200);
    expect((await customerBalances(t.database.db, carol.id)).availableFen).toBe(200_000n);
    const retry = await record(maker, body({ bankReference: 'CCB-0002', amountFen: 4_000 }));
    expect(retry.statusCode).toBe(201);
  });

  it.each([
    [{ customerId: 'usr_nobody' }, 404, 'CUSTOMER_NOT_FOUND'],
    [{ amountFen: 0 }, 400, 'VALIDATION_FAILED'],
    [{ amountFen: 50_000_001 }, 422, 'AMOUNT_ABOVE_MAXIMUM'],
    [{ bankReference: 'has spaces!' }, 400, 'VALIDATION_FAILED'],
    [{ transferDate: '2026-13-01' }, 400, 'VALIDATION_FAILED'],
    [{ note: '' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %o', async (over, status, code) => {
    const res = await record(maker, body(over));
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('is for staff with the permission only', async () => {
    const reviewer = await signedInStaff(t, ['reviewer']);
    expect((await record(reviewer, body())).statusCode).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/admin/offline-recharges',
          payload: body(),
          headers: carol.headers,
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('the daily reconciliation job', () => {
  it('runs once for yesterday after 02:00 Shanghai time, and not before', async () => {
    const { reconcileYesterdayIfDue, dueBusinessDate } = await import('../src/modules/payments/reconciliation.job.ts');
    // 01:30 in Shanghai is 17:30 UTC the day before.
    const early = new Date('2026-11-21T17:30:00Z');
    expect(dueBusinessDate(early)).toEqual({ date: '2026-11-21', due: false });
    expect(await reconcileYesterdayIfDue(t.database.db, t.app.custodian, early)).toBeUndefined();
    const late = new Date('2026-11-21T19:00:00Z'); // 03:00 on 2026-11-22 in Shanghai
    const runId = await reconcileYesterdayIfDue(t.database.db, t.app.custodian, late);
    expect(runId).toMatch(/^rec_/);
    expect(await reconcileYesterdayIfDue(t.database.db, t.app.custodian, late)).toBeUndefined();
    const runs = await t.database.db
      .selectFrom('reconciliation_runs')
      .selectAll()
      .where('business_date', '=', '2026-11-21')
      .execute();
    expect(runs.map((r) => [r.status, r.started_by])).toEqual([['done', null]]);
  });
});
