import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../src/modules/ledger/index.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database.db, t.app.cipher);
});
afterAll(async () => t?.close());

describe('demo loans', () => {
  it('cover every state a newcomer should see, with a clean ledger', async () => {
    const rows = await t.database.db.selectFrom('loans').select('status').execute();
    const states = new Set(rows.map((r) => r.status));
    for (const s of ['submitted', 'rejected', 'raising', 'second_review', 'repaying', 'failed', 'cancelled'] as const) {
      expect([s, states.has(s)]).toEqual([s, true]);
    }
    expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
  });

  it('give the disbursed loan a repayment schedule and its investors receipt schedules that sum to it', async () => {
    const loan = await t.database.db
      .selectFrom('loans')
      .selectAll()
      .where('status', '=', 'repaying')
      .executeTakeFirstOrThrow();
    const repay = await t.database.db
      .selectFrom('repayment_schedules')
      .selectAll()
      .where('loan_id', '=', loan.id)
      .orderBy('period')
      .execute();
    expect(repay).toHaveLength(12);
    expect(repay.reduce((s, r) => s + r.principal_fen, 0n)).toBe(loan.amount_fen);
    const receipts = await t.database.db
      .selectFrom('receipt_schedules')
      .selectAll()
      .where('loan_id', '=', loan.id)
      .execute();
    for (const r of repay) {
      const mine = receipts.filter((x) => x.period === r.period);
      expect(mine.reduce((s, x) => s + x.payment_fen, 0n)).toBe(r.payment_fen);
    }
  });

  it('is safe to run twice', async () => {
    const before = await t.database.db.selectFrom('loans').select('id').execute();
    await seedDemo(t.database.db, t.app.cipher);
    expect(await t.database.db.selectFrom('loans').select('id').execute()).toHaveLength(before.length);
  });
});
