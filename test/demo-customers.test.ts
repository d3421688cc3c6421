import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneHash } from '../src/modules/identity/index.ts';
import { customerBalances, verifyLedger } from '../src/modules/ledger/index.ts';
import { trialBalance } from '../src/modules/ledger/trial-balance.ts';
import { DEMO_LOGINS, formatLogins, seedDemo } from '../src/seed/demo.ts';
import { DEMO_CUSTOMER_PASSWORD } from '../src/seed/demo-customers.ts';
import { newIp } from './helpers/customer-flows.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database.db, t.app.cipher);
  await seedDemo(t.database.db, t.app.cipher);
});
afterAll(async () => t?.close());

describe('demo customers', () => {
  const customers = DEMO_LOGINS.filter((l) => l.area === 'customer');

  it('are printed with the staff logins', () => {
    expect(customers.map((c) => c.role)).toEqual(['investor', 'investor', 'borrower', 'borrower']);
    expect(formatLogins('http://localhost:3000')).toContain(
      `customer investor           13800000001 ${DEMO_CUSTOMER_PASSWORD}`,
    );
  });

  it('are seeded once each, verified, with a bound card and money', async () => {
    const users = await t.database.db.selectFrom('users').select('id').execute();
    // The demo customers, and the frozen member the back-office demo adds (src/seed/demo-backoffice.ts).
    expect(users).toHaveLength(customers.length + 1);
    for (const login of customers) {
      const user = await t.database.db
        .selectFrom('users')
        .select('id')
        .where('phone_hash', '=', phoneHash(t.app.cipher, login.login))
        .executeTakeFirstOrThrow();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { phone: login.login, password: login.password },
        remoteAddress: newIp(),
      });
      expect(res.statusCode).toBe(200);
      const headers = { authorization: `Bearer ${res.json().token}` };
      expect(res.json().user.realName.status).toBe('verified');
      const cards = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards', headers });
      expect(cards.json().items).toEqual([expect.objectContaining({ status: 'bound' })]);
      const balances = await customerBalances(t.database.db, user.id);
      expect(balances.availableFen).toBeGreaterThan(0n);
    }
    const first = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('phone_hash', '=', phoneHash(t.app.cipher, '13800000001'))
      .executeTakeFirstOrThrow();
    // Recharged 500,000.00; the demo loans hold or took what this investor bid (voided bids came back).
    const bids = await t.database.db
      .selectFrom('bids')
      .select(['amount_fen', 'status'])
      .where('investor_id', '=', first.id)
      .execute();
    const committedFen = bids.filter((b) => b.status !== 'voided').reduce((sum, b) => sum + b.amount_fen, 0n);
    expect(committedFen).toBeGreaterThan(0n);
    expect(await customerBalances(t.database.db, first.id)).toMatchObject({
      availableFen: 50_000_000n - committedFen,
      bonusFen: 18_800n,
    });
  });

  it('leave a balanced ledger with figures in the trial balance', async () => {
    expect((await verifyLedger(t.database.db)).ok).toBe(true);
    const tb = await trialBalance(t.database.db);
    expect(tb.balanced).toBe(true);
    expect(tb.totalDebitFen).toBe(50_000_000n + 12_000_000n + 500_000n + 1_200_000n + 18_800n);
  });
});
