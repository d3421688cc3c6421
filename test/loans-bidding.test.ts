import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { signedInCustomer } from './helpers/customers.ts';
import { bid, insertProduct, insertRaisingLoan, investor } from './helpers/loans.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let borrowerId: string;

beforeAll(async () => {
  t = await createTestApp();
  borrowerId = (await signedInCustomer(t)).id;
});
afterAll(async () => t?.close());

async function loanOf(o: Parameters<typeof insertProduct>[1] = {}, l: Parameters<typeof insertRaisingLoan>[3] = {}) {
  const productId = await insertProduct(t, { bidMinFen: 10_000n, bidStepFen: 1_000n, ...o });
  return insertRaisingLoan(t, productId, borrowerId, { amountFen: 100_000n, ...l });
}

const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;

describe('POST /api/v1/loans/{loanId}/bids', () => {
  it('accepts a bid: the investor funds are held and the loan raised in one change', async () => {
    const loanId = await loanOf();
    const inv = await investor(t, { cashFen: 50_000n });
    const res = await bid(t, inv, loanId, 20_000);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      loanId,
      amountFen: 20_000,
      status: 'held',
      loanRaisedFen: 20_000,
      loanStatus: 'raising',
    });
    expect(await customerBalances(t.database.db, inv.id)).toMatchObject({ availableFen: 30_000n, frozenFen: 20_000n });
    const loan = await t.database.db.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();
    expect(loan.raised_fen).toBe(20_000n);
    expect(loan.bid_count).toBe(1);
  });

  it('refuses bad input with 400 and a stable code', async () => {
    const loanId = await loanOf();
    const inv = await investor(t, { cashFen: 50_000n });
    for (const amount of [0, -100, 1.5, '100', null]) {
      const res = await bid(t, inv, loanId, amount);
      expect(res.statusCode, String(amount)).toBe(400);
      expect(code(res)).toBe('VALIDATION_FAILED');
    }
    const noKey = await t.app.inject({
      method: 'POST',
      url: `/api/v1/loans/${loanId}/bids`,
      payload: { amountFen: 10_000 },
      headers: inv.headers,
    });
    expect(noKey.statusCode).toBe(400);
    expect(code(noKey)).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const anon = await t.app.inject({
      method: 'POST',
      url: `/api/v1/loans/${loanId}/bids`,
      payload: { amountFen: 10_000 },
    });
    expect(anon.statusCode).toBe(401);
  });

  it('checks every rule with its own code', async () => {
    const inv = await investor(t, { cashFen: 1_000_000n });
    const cases: [string, Promise<{ statusCode: number; json(): unknown }>, number][] = [];
    const loanId = await loanOf();
    cases.push(['LOAN_NOT_FOUND', bid(t, inv, 'loan_nope', 10_000), 404]);
    cases.push(['BID_BELOW_MINIMUM', bid(t, inv, loanId, 9_000), 422]);
    cases.push(['BID_NOT_ON_STEP', bid(t, inv, loanId, 10_500), 422]);
    cases.push(['BID_EXCEEDS_REMAINING', bid(t, inv, loanId, 101_000), 422]);
    // 95,000 would leave 5,000 open, below the 10,000 minimum.
    cases.push(['BID_LEAVES_UNFILLABLE_REST', bid(t, inv, loanId, 95_000), 422]);
    cases.push(['LOAN_NOT_RAISING', bid(t, inv, await loanOf({}, { status: 'submitted' }), 10_000), 422]);
    cases.push([
      'LOAN_RAISE_ENDED',
      bid(t, inv, await loanOf({}, { raiseEndsAt: new Date(Date.now() - 1000) }), 10_000),
      422,
    ]);
    const borrower = await investor(t, { cashFen: 100_000n });
    const own = await insertRaisingLoan(t, await insertProduct(t), borrower.id);
    cases.push(['BID_ON_OWN_LOAN', bid(t, borrower, own, 10_000), 422]);
    const unverified = await investor(t, { cashFen: 100_000n, verified: false, level: null });
    cases.push(['REAL_NAME_REQUIRED', bid(t, unverified, loanId, 10_000), 422]);
    const noLevel = await investor(t, { cashFen: 100_000n, level: null });
    const riskyLoan = await loanOf({ riskLevels: ['balanced', 'aggressive'] });
    cases.push(['RISK_ASSESSMENT_REQUIRED', bid(t, noLevel, riskyLoan, 10_000), 422]);
    const conservative = await investor(t, { cashFen: 100_000n, level: 'conservative' });
    cases.push(['RISK_LEVEL_NOT_ALLOWED', bid(t, conservative, riskyLoan, 10_000), 422]);
    const poor = await investor(t, { cashFen: 9_999n, bonusFen: 100_000n });
    cases.push(['INSUFFICIENT_BALANCE', bid(t, poor, loanId, 10_000), 422]);
    for (const [expected, pending, status] of cases) {
      const res = await pending;
      expect(code(res), expected).toBe(expected);
      expect(res.statusCode, expected).toBe(status);
      expect((res.json() as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    }
    // Nothing refused moved any money or raised anything.
    expect(await customerBalances(t.database.db, inv.id)).toMatchObject({ availableFen: 1_000_000n, frozenFen: 0n });
    expect(await customerBalances(t.database.db, poor.id)).toMatchObject({ availableFen: 9_999n, frozenFen: 0n });
    const loan = await t.database.db
      .selectFrom('loans')
      .select('raised_fen')
      .where('id', '=', loanId)
      .executeTakeFirstOrThrow();
    expect(loan.raised_fen).toBe(0n);
  });

  it('answers in English when asked', async () => {
    const inv = await investor(t, { cashFen: 100_000n });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/loans/${await loanOf()}/bids`,
      payload: { amountFen: 9_000 },
      headers: { ...inv.headers, 'idempotency-key': 'en-1', 'accept-language': 'en-US' },
    });
    expect((res.json() as { error: { message: string } }).error.message).toContain('below the minimum');
  });

  it('enforces the per-investor maximum across bids', async () => {
    const loanId = await loanOf({ bidMaxPerInvestorFen: 30_000n });
    const inv = await investor(t, { cashFen: 100_000n });
    expect((await bid(t, inv, loanId, 20_000)).statusCode).toBe(201);
    const over = await bid(t, inv, loanId, 20_000);
    expect(code(over)).toBe('BID_ABOVE_INVESTOR_MAXIMUM');
    expect((await bid(t, inv, loanId, 10_000)).statusCode).toBe(201);
  });

  it('uses bonus money only where the product allows it', async () => {
    const inv = await investor(t, { cashFen: 5_000n, bonusFen: 8_000n });
    const plain = await loanOf();
    expect(code(await bid(t, inv, plain, 10_000))).toBe('INSUFFICIENT_BALANCE');
    const bonusLoan = await loanOf({ allowBonus: true });
    const res = await bid(t, inv, bonusLoan, 10_000);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ amountFen: 10_000, fromBonusFen: 8_000 });
    expect(await customerBalances(t.database.db, inv.id)).toMatchObject({
      availableFen: 3_000n,
      frozenFen: 2_000n,
      bonusFen: 0n,
      bonusFrozenFen: 8_000n,
    });
  });

  it('the last bid takes exactly the rest (even off the step), the loan moves to second review and refuses more', async () => {
    const productId = await insertProduct(t, { bidMinFen: 10_000n, bidStepFen: 10_000n });
    const loanId = await insertRaisingLoan(t, productId, borrowerId, { amountFen: 35_500n });
    const a = await investor(t, { cashFen: 100_000n });
    expect((await bid(t, a, loanId, 20_000)).statusCode).toBe(201);
    expect(code(await bid(t, a, loanId, 10_000))).toBe('BID_LEAVES_UNFILLABLE_REST');
    const last = await bid(t, a, loanId, 15_500);
    expect(last.statusCode).toBe(201);
    expect(last.json()).toMatchObject({ loanRaisedFen: 35_500, loanStatus: 'second_review' });
    expect(code(await bid(t, a, loanId, 10_000))).toBe('LOAN_FULL');
    const events = await t.database.db.selectFrom('loan_events').selectAll().where('loan_id', '=', loanId).execute();
    expect(events.map((e) => [e.from_status, e.to_status])).toEqual([['raising', 'second_review']]);
  });

  it('the same idempotency key twice → one bid; with another body → 409', async () => {
    const loanId = await loanOf();
    const inv = await investor(t, { cashFen: 100_000n });
    const first = await bid(t, inv, loanId, 10_000, 'same-key');
    const again = await bid(t, inv, loanId, 10_000, 'same-key');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const together = await Promise.all([1, 2, 3].map(() => bid(t, inv, loanId, 20_000, 'together')));
    expect(new Set(together.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(together.map((r) => (r.json() as { bidId: string }).bidId)).size).toBe(1);
    const reused = await bid(t, inv, loanId, 30_000, 'same-key');
    expect(reused.statusCode).toBe(409);
    expect(code(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    const bids = await t.database.db.selectFrom('bids').selectAll().where('loan_id', '=', loanId).execute();
    expect(bids.map((b) => b.amount_fen).sort()).toEqual([10_000n, 20_000n]);
    expect(await customerBalances(t.database.db, inv.id)).toMatchObject({ frozenFen: 30_000n });
    // A refused request leaves no claim behind: after a top-up the same key works.
    const poor = await investor(t, { cashFen: 1_000n });
    expect(code(await bid(t, poor, loanId, 10_000, 'retry-me'))).toBe('INSUFFICIENT_BALANCE');
  });

  it('GET /api/v1/me/bids lists my bids, newest first, paged', async () => {
    const inv = await investor(t, { cashFen: 100_000n });
    const l1 = await loanOf();
    const l2 = await loanOf();
    await bid(t, inv, l1, 10_000);
    await bid(t, inv, l2, 20_000);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/bids?limit=1', headers: inv.headers });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: { loanId: string; amountFen: number }[]; nextCursor: string };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ loanId: l2, amountFen: 20_000, status: 'held', annualRate: '0.12' });
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/bids?limit=1&cursor=${page.nextCursor}`,
      headers: inv.headers,
    });
    expect((next.json() as { items: { loanId: string }[] }).items[0]?.loanId).toBe(l1);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/me/bids?limit=1000', headers: inv.headers });
    expect(bad.statusCode).toBe(400);
    const badCursor = await t.app.inject({ method: 'GET', url: '/api/v1/me/bids?cursor=zzz', headers: inv.headers });
    expect(badCursor.statusCode).toBe(400);
  });

  it('leaves a clean ledger', async () => {
    const report = await verifyLedger(t.database.db);
    expect(report.breaches).toEqual([]);
  });
});
