import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerAccounts, platformAccountId, transfer } from '../src/modules/ledger/index.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { signedInStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let alice: TestCustomer;
let bob: TestCustomer;

beforeAll(async () => {
  t = await createTestApp();
  alice = await signedInCustomer(t);
  bob = await signedInCustomer(t);
  const accounts = await customerAccounts(t.database.db, alice.id);
  await t.database.db.transaction().execute(async (trx) => {
    for (let i = 1; i <= 3; i++) {
      await transfer(trx, {
        id: `r-${alice.id}-${i}`,
        debitAccountId: platformAccountId('custody_cash'),
        creditAccountId: accounts.cash.id,
        amountFen: BigInt(i) * 10_000n,
        code: 'recharge',
      });
    }
  });
});
afterAll(async () => t?.close());

describe('customer balances and statements', () => {
  it('shows my balances', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/account', headers: alice.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      availableFen: 60_000,
      frozenFen: 0,
      bonusFen: 0,
      bonusFrozenFen: 0,
      totalCashFen: 60_000,
    });
  });

  it('pages my statement and names types in my language', async () => {
    const first = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/statement?limit=2',
      headers: { ...alice.headers, 'accept-language': 'en' },
    });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.items.map((e: { inFen: number }) => e.inFen)).toEqual([30_000, 20_000]);
    expect(body.items[0].codeName).toBe('Recharge');
    expect(body.nextCursor).toBeTruthy();
    const second = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/statement?limit=2&cursor=${body.nextCursor}`,
      headers: alice.headers,
    });
    expect(second.json().items.map((e: { inFen: number; codeName: string }) => [e.inFen, e.codeName])).toEqual([
      [10_000, '充值'],
    ]);
    expect(second.json().nextCursor).toBeNull();
  });

  it('exports CSV', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/statement?format=csv', headers: alice.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('never shows one customer another’s money', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/statement', headers: bob.headers });
    expect(res.json().items).toEqual([]);
    const account = await t.app.inject({ method: 'GET', url: '/api/v1/me/account', headers: bob.headers });
    expect(account.json().availableFen).toBe(0);
    // A customer's token opens no back-office door, even for their own data.
    const staffRoute = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/customers/${alice.id}/statement`,
      headers: bob.headers,
    });
    expect(staffRoute.statusCode).toBe(401);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['from=2026-02-30', 'from'],
    ['code=hack', 'code.0'],
    ['format=xml', 'format'],
    ['evil=1', 'evil'],
  ])('refuses ?%s naming the field', async (qs, field) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/me/statement?${qs}`, headers: alice.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe(field);
  });

  it('refuses a bad cursor and a reversed date range', async () => {
    const cursor = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/statement?cursor=xyz',
      headers: alice.headers,
    });
    expect(cursor.json().error.code).toBe('INVALID_CURSOR');
    const range = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/statement?from=2026-03-02&to=2026-03-01',
      headers: alice.headers,
    });
    expect(range.json().error.code).toBe('INVALID_DATE_RANGE');
  });

  it('requires a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/account' })).statusCode).toBe(401);
  });
});

describe('staff views', () => {
  it('lets finance read a customer’s statement and the trial balance; records the look in the audit log', async () => {
    const finance = await signedInStaff(t, ['finance']);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/customers/${alice.id}/statement`,
      headers: finance.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(3);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'ledger.statement_viewed')
      .execute();
    expect(audit.map((a) => [a.actor_id, a.target_id])).toContainEqual([finance.id, alice.id]);
    const tb = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/ledger/trial-balance',
      headers: finance.headers,
    });
    expect(tb.statusCode).toBe(200);
    expect(tb.json()).toMatchObject({ balanced: true, totalDebitFen: 60_000, totalCreditFen: 60_000 });
  });

  it('answers 404 for an unknown customer and 403 without the permission', async () => {
    const finance = await signedInStaff(t, ['finance']);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/admin/customers/usr_nope/statement',
          headers: finance.headers,
        })
      ).statusCode,
    ).toBe(404);
    const reviewer = await signedInStaff(t, ['reviewer']);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/admin/ledger/trial-balance', headers: reviewer.headers }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/admin/customers/${alice.id}/statement`,
          headers: reviewer.headers,
        })
      ).statusCode,
    ).toBe(403);
  });
});
