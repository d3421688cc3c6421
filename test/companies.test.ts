import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../src/modules/identity/validators.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp, testCipher } from './helpers/test-app.ts';

let t: TestApp;
let alice: TestCustomer;
let bob: TestCustomer;
let carol: TestCustomer;
let service: TestStaff;
let nobody: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  alice = await signedInCustomer(t);
  bob = await signedInCustomer(t);
  carol = await signedInCustomer(t);
  service = await signedInStaff(t, ['customer_service']);
  nobody = await signedInStaff(t, []);
});
afterAll(async () => t?.close());

const en = { 'accept-language': 'en' };

/** A valid unified social credit code from 17 characters of its alphabet. */
function creditCode(first17: string): string {
  return `${first17}${creditCodeCheckChar(first17)}`;
}
const ALICE_CODE = creditCode('91330106MA27XK3L0');
const BOB_CODE = creditCode('91110108551385082');
/** The same 17 characters with a wrong check character. */
const WRONG_CHECK = `${ALICE_CODE.slice(0, 17)}${ALICE_CODE[17] === '0' ? '1' : '0'}`;

const profile = (overrides: Record<string, unknown> = {}) => ({
  name: '杭州示例科技有限公司',
  creditCode: ALICE_CODE,
  legalRepresentative: '张三丰',
  registeredCapitalFen: 1_000_000_00,
  industry: 'information_technology',
  foundedOn: '2015-06-01',
  ...overrides,
});

const put = (who: TestCustomer, payload: unknown) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/v1/me/company',
    headers: { ...who.headers, ...en },
    payload: payload as object,
  });

const statement = (overrides: Record<string, unknown> = {}) => ({
  year: 2024,
  revenueFen: 12_345_678_90,
  netProfitFen: -50_000_00,
  totalAssetsFen: 80_000_000_00,
  totalLiabilitiesFen: 30_000_000_00,
  ...overrides,
});

const postFinancials = (who: TestCustomer, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/me/company/financials',
    headers: { ...who.headers, ...en },
    payload: payload as object,
  });

describe('my company profile', () => {
  it('is 404 before one is saved', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/company', headers: alice.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('COMPANY_NOT_FOUND');
    const financials = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/company/financials',
      headers: alice.headers,
    });
    expect(financials.statusCode).toBe(404);
    expect((await postFinancials(alice, statement())).json().error.code).toBe('COMPANY_NOT_FOUND');
  });

  it('refuses bad input with stable codes', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ creditCode: WRONG_CHECK }, 400, 'CREDIT_CODE_CHECK_FAILED'],
      [{ creditCode: '91330106MA27XK3LI' }, 400, 'CREDIT_CODE_INVALID'], // I is not in the alphabet
      [{ creditCode: '12345' }, 400, 'CREDIT_CODE_INVALID'],
      [{ name: 'A' }, 400, 'COMPANY_NAME_INVALID'],
      [{ name: 'x'.repeat(101) }, 400, 'COMPANY_NAME_INVALID'],
      [{ legalRepresentative: '张3' }, 400, 'LEGAL_REPRESENTATIVE_INVALID'],
      [{ legalRepresentative: undefined }, 400, 'LEGAL_REPRESENTATIVE_REQUIRED'],
      [{ registeredCapitalFen: -1 }, 400, 'VALIDATION_FAILED'],
      [{ registeredCapitalFen: 0 }, 400, 'VALIDATION_FAILED'],
      [{ registeredCapitalFen: 100.5 }, 400, 'VALIDATION_FAILED'],
      [{ registeredCapitalFen: '10000' }, 400, 'VALIDATION_FAILED'],
      [{ registeredCapitalFen: 1e16 }, 400, 'VALIDATION_FAILED'],
      [{ industry: 'piracy' }, 400, 'VALIDATION_FAILED'],
      [{ foundedOn: '2015-02-30' }, 400, 'VALIDATION_FAILED'],
      [{ foundedOn: '2999-01-01' }, 400, 'FOUNDED_ON_INVALID'],
      [{ foundedOn: '1850-01-01' }, 400, 'FOUNDED_ON_INVALID'],
      [{ extra: true }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [overrides, status, code] of cases) {
      const body = profile(overrides);
      if ('legalRepresentative' in overrides && overrides.legalRepresentative === undefined) {
        delete (body as Record<string, unknown>).legalRepresentative;
      }
      const res = await put(alice, body);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(overrides)).toEqual([status, code]);
      expect(res.json().error.message).toBeTruthy();
    }
  });

  it('creates the profile (201), masks the legal representative and keeps the name encrypted', async () => {
    const res = await put(alice, profile({ creditCode: ALICE_CODE.toLowerCase() }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: '杭州示例科技有限公司',
      creditCode: ALICE_CODE,
      legalRepresentativeMasked: '张**',
      registeredCapitalFen: 1_000_000_00,
      industry: 'information_technology',
      foundedOn: '2015-06-01',
    });
    const row = await t.database.db
      .selectFrom('companies')
      .selectAll()
      .where('user_id', '=', alice.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('张三丰');
    expect(testCipher().decrypt(row.legal_rep_name_cipher, 'company.legal_representative')).toBe('张三丰');
    expect(row.registered_capital_fen).toBe(1_000_000_00n);
  });

  it('updates it (200) keeping the legal representative when omitted', async () => {
    const body = profile({ name: '杭州示例科技股份有限公司', registeredCapitalFen: 2_000_000_00 });
    delete (body as Record<string, unknown>).legalRepresentative;
    const res = await put(alice, body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '杭州示例科技股份有限公司', legalRepresentativeMasked: '张**' });
    const got = await t.app.inject({ method: 'GET', url: '/api/v1/me/company', headers: alice.headers });
    expect(got.json().registeredCapitalFen).toBe(2_000_000_00);
  });

  it('refuses a credit code another customer registered (409), whatever its case', async () => {
    const res = await put(bob, profile({ creditCode: ALICE_CODE.toLowerCase(), legalRepresentative: '李四' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CREDIT_CODE_TAKEN');
    const ok = await put(
      bob,
      profile({ creditCode: BOB_CODE, name: '北京示例有限公司', legalRepresentative: 'Li Si' }),
    );
    expect(ok.statusCode).toBe(201);
    const clash = await put(alice, profile({ creditCode: BOB_CODE }));
    expect(clash.statusCode).toBe(409);
  });
});

describe('yearly financial statements', () => {
  it('records one per year; negative profit is a loss, money stays exact', async () => {
    const res = await postFinancials(alice, statement());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject(statement());
    expect((await postFinancials(alice, statement({ year: 2023, netProfitFen: 1 }))).statusCode).toBe(201);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/company/financials', headers: alice.headers });
    expect(list.json().items.map((f: { year: number }) => f.year)).toEqual([2024, 2023]);
    expect(list.json().nextCursor).toBeNull();
    const big = await postFinancials(alice, statement({ year: 2022, totalAssetsFen: 1_000_000_000_000_000 }));
    expect(big.statusCode).toBe(201);
    expect(big.json().totalAssetsFen).toBe(1_000_000_000_000_000);
  });

  it('refuses a second statement for the same year (409)', async () => {
    const res = await postFinancials(alice, statement());
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('FINANCIAL_YEAR_EXISTS');
  });

  it('refuses negative, fractional, text and out-of-range money, and bad years', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ revenueFen: -1 }, 400, 'VALIDATION_FAILED'],
      [{ totalAssetsFen: -100 }, 400, 'VALIDATION_FAILED'],
      [{ totalLiabilitiesFen: 1.5 }, 400, 'VALIDATION_FAILED'],
      [{ revenueFen: '100' }, 400, 'VALIDATION_FAILED'],
      [{ netProfitFen: -1e16 }, 400, 'VALIDATION_FAILED'],
      [{ revenueFen: null }, 400, 'VALIDATION_FAILED'],
      [{ year: 2021.5 }, 400, 'VALIDATION_FAILED'],
      [{ year: 2999 }, 400, 'FINANCIAL_YEAR_INVALID'],
      [{ year: 2010 }, 422, 'FINANCIAL_YEAR_BEFORE_FOUNDING'],
    ];
    for (const [overrides, status, code] of cases) {
      const res = await postFinancials(alice, statement({ year: 2021, ...overrides }));
      expect([res.statusCode, res.json().error?.code], JSON.stringify(overrides)).toEqual([status, code]);
    }
    const missing = statement({ year: 2021 }) as Record<string, unknown>;
    delete missing.netProfitFen;
    const res = await postFinancials(alice, missing);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('netProfitFen');
  });

  it('corrects an existing year and refuses to correct a missing one', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/company/financials/2023',
      headers: alice.headers,
      payload: { revenueFen: 5, netProfitFen: 0, totalAssetsFen: 7, totalLiabilitiesFen: 8 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ year: 2023, revenueFen: 5, netProfitFen: 0 });
    const missing = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/company/financials/2020',
      headers: alice.headers,
      payload: { revenueFen: 5, netProfitFen: 0, totalAssetsFen: 7, totalLiabilitiesFen: 8 },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('FINANCIAL_YEAR_NOT_FOUND');
  });

  it("keeps each customer's statements apart", async () => {
    const bobs = await t.app.inject({ method: 'GET', url: '/api/v1/me/company/financials', headers: bob.headers });
    expect(bobs.json().items).toEqual([]);
    const carols = await t.app.inject({ method: 'GET', url: '/api/v1/me/company/financials', headers: carol.headers });
    expect(carols.statusCode).toBe(404);
  });
});

describe('staff', () => {
  it('lists and searches companies with members.read', async () => {
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/admin/companies', headers: service.headers });
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(2);
    const byName = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/companies?q=${encodeURIComponent('杭州')}`,
      headers: service.headers,
    });
    expect(byName.json().items.map((c: { customerId: string }) => c.customerId)).toEqual([alice.id]);
    const byCode = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/companies?q=${BOB_CODE}`,
      headers: service.headers,
    });
    expect(byCode.json().items.map((c: { customerId: string }) => c.customerId)).toEqual([bob.id]);
    const wildcard = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/companies?q=%25',
      headers: service.headers,
    });
    expect(wildcard.json().items).toEqual([]);
    const paged = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/companies?limit=1',
      headers: service.headers,
    });
    expect(paged.json().items).toHaveLength(1);
    expect(paged.json().nextCursor).toBeTruthy();
  });

  it('shows one company with its statements, masked', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/companies?customerId=${alice.id}`,
      headers: service.headers,
    });
    const id = list.json().items[0].id;
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/admin/companies/${id}`, headers: service.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, customerId: alice.id, legalRepresentativeMasked: '张**' });
    expect(res.json().financials.map((f: { year: number }) => f.year)).toEqual([2024, 2023, 2022]);
    expect(JSON.stringify(res.json())).not.toContain('张三丰');
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/companies/cmp_${'0'.repeat(32)}`,
      headers: service.headers,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses staff without members.read and customers', async () => {
    for (const url of ['/api/v1/admin/companies', `/api/v1/admin/companies/cmp_${'0'.repeat(32)}`]) {
      expect((await t.app.inject({ method: 'GET', url, headers: nobody.headers })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url, headers: alice.headers })).statusCode).toBe(401);
    }
  });
});
