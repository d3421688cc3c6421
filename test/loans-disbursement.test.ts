import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  balanceFen,
  customerBalances,
  getAccount,
  platformAccountId,
  verifyLedger,
} from '../src/modules/ledger/index.ts';
import { failExpiredLoans } from '../src/modules/loans/raise.service.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { bid, insertProduct, insertRaisingLoan, investor } from './helpers/loans.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let staff: TestStaff;
let borrower: TestCustomer;

beforeAll(async () => {
  t = await createTestApp();
  staff = await signedInStaff(t, ['super_admin']);
  borrower = await signedInCustomer(t);
});
afterAll(async () => t?.close());

const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;

async function platformBalance(purpose: 'loan_escrow' | 'fee_income') {
  const a = await getAccount(t.database.db, platformAccountId(purpose));
  return { balance: balanceFen(a.normalSide, a), pending: a.creditsPendingFen + a.debitsPendingFen };
}

/** A loan of 10,000.00 at 12% for 6 months bid full by three investors (3,000 + 3,000 + 4,000). */
async function fullLoan(fees: { service?: bigint; guarantee?: bigint; management?: bigint } = {}) {
  const productId = await insertProduct(t, {
    bidMinFen: 100_000n,
    bidStepFen: 100n,
    serviceFeePpm: fees.service ?? 20_000n,
    guaranteeFeePpm: fees.guarantee ?? 10_000n,
    managementFeePpm: fees.management ?? 100_000n,
  });
  const loanId = await insertRaisingLoan(t, productId, borrower.id, { amountFen: 1_000_000n, termMonths: 6 });
  const amounts = [300_000n, 300_000n, 400_000n];
  const investors: TestCustomer[] = [];
  for (const a of amounts) {
    const inv = await investor(t, { cashFen: 500_000n });
    const res = await bid(t, inv, loanId, Number(a));
    expect(res.statusCode).toBe(201);
    investors.push(inv);
  }
  return { loanId, investors, amounts };
}

function review(loanId: string, body: Record<string, unknown>, headers = staff.headers) {
  return t.app.inject({ method: 'POST', url: `/api/v1/admin/loans/${loanId}/second-review`, payload: body, headers });
}

describe('second review and disbursement', () => {
  it('lists full loans for review', async () => {
    const { loanId } = await fullLoan();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/loans/second-review', headers: staff.headers });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(loanId);
    const reviewer = await signedInStaff(t, ['reviewer']);
    expect((await review(loanId, { decision: 'approve' }, reviewer.headers)).statusCode).toBe(403);
  });

  it('approve: holds posted, borrower paid less fees, schedules created and split exactly', async () => {
    const { loanId, investors, amounts } = await fullLoan();
    const escrowBefore = await platformBalance('loan_escrow');
    const feesBefore = await platformBalance('fee_income');
    const borrowerBefore = await customerBalances(t.database.db, borrower.id);
    const res = await review(loanId, { decision: 'approve' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'repaying',
      serviceFeeFen: 20_000,
      guaranteeFeeFen: 10_000,
      netFen: 970_000,
      periods: 6,
    });

    const borrowerAfter = await customerBalances(t.database.db, borrower.id);
    expect(borrowerAfter.availableFen - borrowerBefore.availableFen).toBe(970_000n);
    for (const [i, inv] of investors.entries()) {
      expect(await customerBalances(t.database.db, inv.id)).toMatchObject({
        availableFen: 500_000n - (amounts[i] as bigint),
        frozenFen: 0n,
        totalCashFen: 500_000n - (amounts[i] as bigint),
      });
    }
    const escrowAfter = await platformBalance('loan_escrow');
    expect(escrowAfter.balance).toBe(escrowBefore.balance);
    // The three holds (1,000,000 pending on escrow) are resolved.
    expect(escrowBefore.pending - escrowAfter.pending).toBe(1_000_000n);
    expect((await platformBalance('fee_income')).balance - feesBefore.balance).toBe(30_000n);

    const db = t.database.db;
    const loan = await db.selectFrom('loans').selectAll().where('id', '=', loanId).executeTakeFirstOrThrow();
    expect(loan.status).toBe('repaying');
    expect(loan.second_reviewed_by).toBe(staff.id);
    const bids = await db.selectFrom('bids').select('status').where('loan_id', '=', loanId).execute();
    expect(bids.every((b) => b.status === 'posted')).toBe(true);

    const rows = await db
      .selectFrom('repayment_schedules')
      .selectAll()
      .where('loan_id', '=', loanId)
      .orderBy('period')
      .execute();
    expect(rows).toHaveLength(6);
    expect(rows.reduce((s, r) => s + r.principal_fen, 0n)).toBe(1_000_000n);
    // Same figures as the worked example in docs/schedules.md: 1,725.48 a month, last 1,725.51.
    expect(rows.map((r) => r.payment_fen)).toEqual([172_548n, 172_548n, 172_548n, 172_548n, 172_548n, 172_551n]);
    const receipts = await db.selectFrom('receipt_schedules').selectAll().where('loan_id', '=', loanId).execute();
    expect(receipts).toHaveLength(18);
    for (const r of rows) {
      const mine = receipts.filter((x) => x.period === r.period);
      expect(mine.reduce((s, x) => s + x.principal_fen, 0n)).toBe(r.principal_fen);
      expect(mine.reduce((s, x) => s + x.interest_fen, 0n)).toBe(r.interest_fen);
      expect(mine.every((x) => x.due_date === r.due_date)).toBe(true);
      for (const x of mine) {
        // 10% of the interest, half-up to the fen.
        expect(x.management_fee_fen).toBe((x.interest_fen * 100_000n + 500_000n) / 1_000_000n);
      }
    }
    for (const [i, inv] of investors.entries()) {
      const mine = receipts.filter((x) => x.investor_id === inv.id);
      expect(mine.reduce((s, x) => s + x.principal_fen, 0n)).toBe(amounts[i]);
    }
    const events = await db
      .selectFrom('loan_events')
      .select(['from_status', 'to_status', 'actor_kind'])
      .where('loan_id', '=', loanId)
      .orderBy('id')
      .execute();
    expect(events.at(-1)).toMatchObject({ from_status: 'second_review', to_status: 'repaying', actor_kind: 'staff' });

    const my = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/bids',
      headers: (investors[2] as TestCustomer).headers,
    });
    expect((my.json() as { items: unknown[] }).items[0]).toMatchObject({
      status: 'posted',
      loanStatus: 'repaying',
      pendingPrincipalFen: 400_000,
    });

    const again = await review(loanId, { decision: 'approve' });
    expect(again.statusCode).toBe(422);
    expect(code(again)).toBe('LOAN_NOT_IN_SECOND_REVIEW');
  });

  it('refuses to review a loan that is not full, or does not exist', async () => {
    const productId = await insertProduct(t);
    const raising = await insertRaisingLoan(t, productId, borrower.id);
    expect(code(await review(raising, { decision: 'approve' }))).toBe('LOAN_NOT_IN_SECOND_REVIEW');
    const missing = await review('loan_missing', { decision: 'approve' });
    expect(missing.statusCode).toBe(404);
    expect(code(missing)).toBe('LOAN_NOT_FOUND');
    expect((await review(raising, { decision: 'maybe' })).statusCode).toBe(400);
  });

  it('reject: every hold is voided and every fen returned', async () => {
    const { loanId, investors } = await fullLoan();
    const noReason = await review(loanId, { decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(code(noReason)).toBe('REASON_REQUIRED');
    const res = await review(loanId, { decision: 'reject', reason: '借款人资料不实' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', releasedBids: 3 });
    for (const inv of investors) {
      expect(await customerBalances(t.database.db, inv.id)).toMatchObject({ availableFen: 500_000n, frozenFen: 0n });
    }
    const loan = await t.database.db
      .selectFrom('loans')
      .select('status')
      .where('id', '=', loanId)
      .executeTakeFirstOrThrow();
    expect(loan.status).toBe('cancelled');
  });
});

describe('failed raise and cancellation', () => {
  it('an expired raising loan fails, every hold is voided, investors are told; the sweep is idempotent', async () => {
    const productId = await insertProduct(t, { bidMinFen: 10_000n, allowBonus: true });
    const loanId = await insertRaisingLoan(t, productId, borrower.id, { amountFen: 1_000_000n });
    const inv = await investor(t, { cashFen: 50_000n, bonusFen: 5_000n });
    expect((await bid(t, inv, loanId, 20_000)).statusCode).toBe(201);
    expect(await customerBalances(t.database.db, inv.id)).toMatchObject({ frozenFen: 15_000n, bonusFrozenFen: 5_000n });
    await sql`update loans set raise_ends_at = now() - interval '1 minute' where id = ${loanId}`.execute(t.database.db);
    expect(code(await bid(t, inv, loanId, 10_000))).toBe('LOAN_RAISE_ENDED');
    expect(await failExpiredLoans(t.database.db)).toContain(loanId);
    expect(await failExpiredLoans(t.database.db)).not.toContain(loanId);
    expect(await customerBalances(t.database.db, inv.id)).toMatchObject({
      availableFen: 50_000n,
      frozenFen: 0n,
      bonusFen: 5_000n,
      bonusFrozenFen: 0n,
    });
    const loan = await t.database.db
      .selectFrom('loans')
      .select('status')
      .where('id', '=', loanId)
      .executeTakeFirstOrThrow();
    expect(loan.status).toBe('failed');
    const messages = await t.database.db
      .selectFrom('member_messages')
      .select('title')
      .where('user_id', '=', inv.id)
      .execute();
    expect(messages.some((m) => m.title.includes('流标'))).toBe(true);
  });

  it('staff cancel a raising loan with a reason', async () => {
    const productId = await insertProduct(t, { bidMinFen: 10_000n });
    const loanId = await insertRaisingLoan(t, productId, borrower.id, { amountFen: 1_000_000n });
    const inv = await investor(t, { cashFen: 50_000n });
    await bid(t, inv, loanId, 30_000);
    const url = `/api/v1/admin/loans/${loanId}/cancellation`;
    const blank = await t.app.inject({ method: 'POST', url, payload: { reason: '  ' }, headers: staff.headers });
    expect(code(blank)).toBe('REASON_REQUIRED');
    const res = await t.app.inject({ method: 'POST', url, payload: { reason: '借款人撤回' }, headers: staff.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', releasedBids: 1 });
    expect(await customerBalances(t.database.db, inv.id)).toMatchObject({ availableFen: 50_000n, frozenFen: 0n });
    const twice = await t.app.inject({ method: 'POST', url, payload: { reason: 'again' }, headers: staff.headers });
    expect(code(twice)).toBe('LOAN_NOT_RAISING');
  });

  it('leaves a clean ledger', async () => {
    expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
  });
});
