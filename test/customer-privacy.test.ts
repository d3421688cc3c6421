import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addCardViaApi,
  freshIdNumber,
  newIp,
  outboxCode,
  registerViaApi,
  requestCode,
} from './helpers/customer-flows.ts';
import { testPhone } from './helpers/customers.ts';
import { signedInStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** Every row of every table in the database, each as its text form. */
async function dumpEverything(): Promise<Map<string, string[]>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name
  `.execute(t.database.db);
  const dump = new Map<string, string[]>();
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(t.database.db);
    dump.set(
      name,
      rows.rows.map((r) => r.row),
    );
  }
  return dump;
}

describe('a database dump after the customer flows', () => {
  it('holds no plaintext phone, name, ID number or card number', async () => {
    const name = '欧阳明月';
    const idNumber = freshIdNumber();
    const c = await registerViaApi(t);
    const verified = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/real-name',
      headers: c.headers,
      payload: { name, idNumber },
    });
    expect(verified.statusCode).toBe(200);
    const reservedPhone = testPhone();
    const { res, cardNumber } = await addCardViaApi(t, c, { reservedPhone });
    expect(res.statusCode).toBe(201);
    const reviewer = await signedInStaff(t, ['reviewer']);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/bank-cards/${res.json().id}/review`,
      headers: reviewer.headers,
      payload: { decision: 'approve' },
    });
    // Refused attempts are audited too: a wrong login, a duplicate ID, a broken card number.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: c.phone, password: 'Wrong-pass-2026' },
      remoteAddress: newIp(),
    });
    const other = await registerViaApi(t);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/real-name',
      headers: other.headers,
      payload: { name, idNumber },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/bank-cards',
      headers: other.headers,
      payload: { bankCode: 'ICBC', cardNumber: `${cardNumber.slice(0, -1)}x`, reservedPhone, smsCode: '123456' },
    });
    // A login code to an unknown phone and a reset code to a known one.
    const stranger = testPhone();
    await requestCode(t, stranger, 'login', newIp());
    await sql`update sms_codes set created_at = created_at - interval '2 minutes'`.execute(t.database.db);
    await requestCode(t, c.phone, 'reset_password', newIp());
    const resetCode = await outboxCode(t, c.phone);

    const dump = await dumpEverything();
    expect(dump.get('users')).toHaveLength(2);
    expect(dump.get('bank_cards')).toHaveLength(1);
    expect(dump.get('customer_real_names')).toHaveLength(1);
    expect(dump.get('sms_messages')!.length).toBeGreaterThanOrEqual(4);
    const secrets = {
      phone: c.phone,
      otherPhone: other.phone,
      reservedPhone,
      stranger,
      idNumber,
      idNumberLower: idNumber.toLowerCase(),
      idNumberTail: idNumber.slice(4, 14),
      name,
      cardNumber,
      cardMiddle: cardNumber.slice(4, -4),
    };
    const leaks: string[] = [];
    for (const [table, rows] of dump) {
      for (const row of rows) {
        for (const [what, value] of Object.entries(secrets)) {
          if (row.includes(value)) leaks.push(`${table}: ${what} in ${row.slice(0, 200)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // The outbox is the delivery channel of the development provider, so its codes are readable there; the
    // code table keeps only keyed hashes.
    expect(dump.get('sms_codes')!.some((row) => row.includes(resetCode))).toBe(false);
  });
});

describe('concurrent requests', () => {
  it('let one of two simultaneous code requests for a phone through', async () => {
    const phone = testPhone();
    const answers = await Promise.all([
      requestCode(t, phone, 'register', newIp()),
      requestCode(t, phone, 'register', newIp()),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 429]);
  });

  it('use a code once when two requests race with it', async () => {
    const phone = testPhone();
    await requestCode(t, phone, 'register', newIp());
    const smsCode = await outboxCode(t, phone);
    const answers = await Promise.all(
      [1, 2].map(() =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { phone, smsCode, password: 'Sturdy-pass-2026' },
          remoteAddress: newIp(),
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 400]);
  });

  it('verify one ID number for one of two customers racing with it', async () => {
    const a = await registerViaApi(t);
    const b = await registerViaApi(t);
    const idNumber = freshIdNumber();
    const answers = await Promise.all(
      [a, b].map((c) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/me/real-name',
          headers: c.headers,
          payload: { name: '同一人', idNumber },
        }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json().error.code).toBe('ID_NUMBER_TAKEN');
  });
});
