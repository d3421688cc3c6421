/**
 * 500 concurrent bids on a loan with room for 100 (issue 7): exactly the loan amount is raised, every
 * refused bid's money is untouched, every accepted bid's money is held, and the ledger verifies clean.
 * Run twice: every bid in its own transaction (BID_BATCH_WINDOW_MS=off: the conditional raise under the
 * loan's row lock decides) and batched per loan (the default). On PostgreSQL (TEST_DATABASE_URL) the
 * transactions really race through the pool; on PGlite they queue for its one connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import type { TestCustomer } from './helpers/customers.ts';
import { signedInCustomer } from './helpers/customers.ts';
import { bid, insertProduct, insertRaisingLoan, investor } from './helpers/loans.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

const INVESTORS = 100;
const BIDS_PER_INVESTOR = 5;
const BID_FEN = 10_000n;
const ROOM_BIDS = 100n;
const CASH_FEN = 50_000n;

for (const mode of ['off', '2'] as const) {
  describe(`500 concurrent bids, room for 100 (BID_BATCH_WINDOW_MS=${mode})`, () => {
    let t: TestApp;
    let investors: TestCustomer[] = [];
    let loanId: string;

    beforeAll(async () => {
      process.env.BID_BATCH_WINDOW_MS = mode;
      t = await createTestApp();
      delete process.env.BID_BATCH_WINDOW_MS;
      const borrower = await signedInCustomer(t);
      const productId = await insertProduct(t, { bidMinFen: BID_FEN, bidStepFen: 100n });
      loanId = await insertRaisingLoan(t, productId, borrower.id, { amountFen: BID_FEN * ROOM_BIDS });
      investors = [];
      for (let i = 0; i < INVESTORS; i++) investors.push(await investor(t, { cashFen: CASH_FEN }));
    }, 120_000);
    afterAll(async () => t?.close());

    it('raises exactly the loan amount and touches no refused bid’s money', async () => {
      const requests = investors.flatMap((inv) => Array.from({ length: BIDS_PER_INVESTOR }, () => inv));
      const results = await Promise.all(requests.map((inv) => bid(t, inv, loanId, Number(BID_FEN))));
      const acceptedBy = new Map<string, bigint>();
      const refusals = new Map<string, number>();
      results.forEach((res, i) => {
        const inv = requests[i] as TestCustomer;
        if (res.statusCode === 201) acceptedBy.set(inv.id, (acceptedBy.get(inv.id) ?? 0n) + BID_FEN);
        else {
          const code = (res.json() as { error: { code: string } }).error.code;
          refusals.set(code, (refusals.get(code) ?? 0) + 1);
        }
      });
      const acceptedCount = results.filter((r) => r.statusCode === 201).length;
      expect(acceptedCount).toBe(Number(ROOM_BIDS));
      expect([...refusals.keys()].every((c) => ['LOAN_FULL', 'LOAN_NOT_RAISING'].includes(c))).toBe(true);
      expect([...refusals.values()].reduce((a, b) => a + b, 0)).toBe(400);

      const loan = await t.database.db
        .selectFrom('loans')
        .selectAll()
        .where('id', '=', loanId)
        .executeTakeFirstOrThrow();
      expect(loan.raised_fen).toBe(loan.amount_fen);
      expect(loan.status).toBe('second_review');
      expect(loan.bid_count).toBe(Number(ROOM_BIDS));
      const bids = await t.database.db.selectFrom('bids').selectAll().where('loan_id', '=', loanId).execute();
      expect(bids.reduce((s, b) => s + b.amount_fen, 0n)).toBe(loan.amount_fen);

      for (const inv of investors) {
        const held = acceptedBy.get(inv.id) ?? 0n;
        const balances = await customerBalances(t.database.db, inv.id);
        expect(balances.frozenFen).toBe(held);
        expect(balances.availableFen).toBe(CASH_FEN - held);
      }
      const report = await verifyLedger(t.database.db);
      expect(report.breaches).toEqual([]);
    }, 120_000);
  });
}
