/** Second review above the product's two-person limit: one staff member asks, another approves and disburses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { signedInCustomer } from './helpers/customers.ts';
import { verifyCustomer } from './helpers/kyc.ts';
import { bid, insertProduct, insertRaisingLoan, investor } from './helpers/loans.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let maker: TestStaff;
let checker: TestStaff;

const review = (who: TestStaff, loanId: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/loans/${loanId}/second-review`,
    payload: { decision: 'approve', reason: '资料齐全' },
    headers: who.headers,
  });
const decide = (who: TestStaff, approvalId: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/approvals/${approvalId}/decision`,
    payload: { decision: 'approve' },
    headers: who.headers,
  });

async function fullLoan(amountFen: bigint, limitFen: bigint | null) {
  const productId = await insertProduct(t);
  await t.database.db
    .updateTable('loan_products')
    .set({ publish_two_person_above_fen: limitFen })
    .where('id', '=', productId)
    .execute();
  const borrower = await signedInCustomer(t);
  await verifyCustomer(t, borrower.id, '赵六');
  const loanId = await insertRaisingLoan(t, productId, borrower.id, { amountFen });
  const inv = await investor(t, { cashFen: amountFen });
  const res = await bid(t, inv, loanId, Number(amountFen));
  expect(res.statusCode).toBe(201);
  return { loanId, borrower };
}

beforeAll(async () => {
  t = await createTestApp();
  maker = await signedInStaff(t, ['risk_officer']);
  checker = await signedInStaff(t, ['risk_officer']);
});
afterAll(async () => {
  expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
  await t?.close();
});

describe('two-person second review', () => {
  it('asks for a second person above the limit; the same person cannot approve; another one disburses', async () => {
    const { loanId, borrower } = await fullLoan(1_000_000n, 500_000n);
    const asked = await review(maker, loanId);
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toMatchObject({ loanId, status: 'pending_approval' });
    const approvalId = asked.json().approvalId as string;
    expect((await customerBalances(t.database.db, borrower.id)).availableFen).toBe(0n);
    const again = await review(maker, loanId);
    expect(again.statusCode).toBe(409);

    const self = await decide(maker, approvalId);
    expect(self.statusCode).toBeGreaterThanOrEqual(400);
    expect(self.statusCode).toBeLessThan(500);
    const ok = await decide(checker, approvalId);
    expect(ok.statusCode).toBe(200);
    const loan = await t.database.db
      .selectFrom('loans')
      .select('status')
      .where('id', '=', loanId)
      .executeTakeFirstOrThrow();
    expect(loan.status).toBe('repaying');
    expect((await customerBalances(t.database.db, borrower.id)).availableFen).toBe(1_000_000n);
  });

  it('disburses at once at or below the limit, or without one', async () => {
    for (const limit of [1_000_000n, null]) {
      const { loanId } = await fullLoan(1_000_000n, limit);
      const res = await review(maker, loanId);
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('repaying');
    }
  });
});
