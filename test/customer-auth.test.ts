import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneHash } from '../src/modules/identity/customers.service.ts';
import { smsSignature } from '../src/modules/identity/sms.provider.ts';
import {
  SMS_CODE_ATTEMPTS_MAX,
  SMS_IP_PER_HOUR_MAX,
  SMS_PHONE_PER_DAY_MAX,
} from '../src/modules/identity/sms-codes.service.ts';
import {
  cookiesOf,
  newIp,
  outboxCode,
  REGISTER_PASSWORD,
  registerViaApi,
  requestCode,
} from './helpers/customer-flows.ts';
import { testPhone } from './helpers/customers.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const en = { 'accept-language': 'en' };

function post(url: string, payload: unknown, headers: Record<string, string> = {}, ip = newIp()) {
  return t.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { ...en, ...headers },
    remoteAddress: ip,
  });
}

async function outbox(phone: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/dev/sms-outbox?phone=${phone}&limit=20` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: { body: string; purpose: string; phoneMasked: string }[] }).items;
}

async function codeRows(phone: string) {
  return t.database.db
    .selectFrom('sms_codes')
    .selectAll()
    .where('phone_hash', '=', phoneHash(t.app.cipher, phone))
    .orderBy('created_at', 'desc')
    .execute();
}

/** Let the next code request for this phone through the one-per-minute limit. */
async function ageCodes(phone: string, minutes = 2) {
  await sql`update sms_codes set created_at = created_at - make_interval(mins => ${minutes}) where phone_hash = ${phoneHash(t.app.cipher, phone)}`.execute(
    t.database.db,
  );
}

describe('POST /api/v1/auth/sms-codes', () => {
  it('sends a 6-digit register code to the outbox and keeps only a keyed hash of it', async () => {
    const phone = testPhone();
    const res = await requestCode(t, phone, 'register', newIp());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ expiresInSeconds: 300, resendAfterSeconds: 60 });
    const code = await outboxCode(t, phone);
    expect(code).toMatch(/^\d{6}$/);
    const [row] = await codeRows(phone);
    expect(row).toMatchObject({ purpose: 'register', delivery: 'code', attempts: 0, used_at: null });
    expect(row!.code_hash).not.toContain(code);
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    const [message] = await outbox(phone);
    expect(message!.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  });

  it('refuses a bad phone and an unknown purpose with stable codes', async () => {
    const bad = await post('/api/v1/auth/sms-codes', { phone: '12345', purpose: 'register' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'PHONE_INVALID', details: { field: 'phone' } });
    const purpose = await post('/api/v1/auth/sms-codes', { phone: testPhone(), purpose: 'spam' });
    expect(purpose.statusCode).toBe(400);
    expect(purpose.json().error.code).toBe('VALIDATION_FAILED');
    const missing = await post('/api/v1/auth/sms-codes', { phone: testPhone() });
    expect(missing.statusCode).toBe(400);
    const extra = await post('/api/v1/auth/sms-codes', { phone: testPhone(), purpose: 'login', x: 1 });
    expect(extra.statusCode).toBe(400);
  });

  it('allows one code per phone per minute (429 with the seconds to wait)', async () => {
    const phone = testPhone();
    expect((await requestCode(t, phone, 'register', newIp())).statusCode).toBe(202);
    const again = await post('/api/v1/auth/sms-codes', { phone, purpose: 'login' });
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('SMS_TOO_FREQUENT');
    expect(again.json().error.details.seconds).toBeGreaterThan(0);
    expect(again.json().error.details.seconds).toBeLessThanOrEqual(60);
  });

  it('allows 10 codes per phone per 24 hours', async () => {
    const phone = testPhone();
    for (let i = 0; i < SMS_PHONE_PER_DAY_MAX; i++) {
      expect((await requestCode(t, phone, 'register', newIp())).statusCode).toBe(202);
      await ageCodes(phone);
    }
    const over = await requestCode(t, phone, 'register', newIp());
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('SMS_DAILY_LIMIT');
    // A day later the phone may ask again.
    await ageCodes(phone, 24 * 60);
    expect((await requestCode(t, phone, 'register', newIp())).statusCode).toBe(202);
  });

  it('allows 20 codes per IP per hour', async () => {
    const ip = newIp();
    for (let i = 0; i < SMS_IP_PER_HOUR_MAX; i++) {
      expect((await requestCode(t, testPhone(), 'register', ip)).statusCode).toBe(202);
    }
    const over = await requestCode(t, testPhone(), 'register', ip);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('SMS_IP_LIMIT');
    expect((await requestCode(t, testPhone(), 'register', newIp())).statusCode).toBe(202);
  });

  it('answers the same for unknown and registered phones: nothing sent for login to an unknown phone', async () => {
    const unknown = testPhone();
    const res = await requestCode(t, unknown, 'login', newIp());
    expect(res.statusCode).toBe(202);
    expect(await outbox(unknown)).toEqual([]);
    expect((await codeRows(unknown))[0]).toMatchObject({ delivery: 'none' });
    const reset = await requestCode(t, testPhone(), 'reset_password', newIp());
    expect(reset.statusCode).toBe(202);
    // The unknown phone is rate-limited like any other.
    expect((await requestCode(t, unknown, 'login', newIp())).statusCode).toBe(429);

    const known = await registerViaApi(t);
    await ageCodes(known.phone);
    const login = await requestCode(t, known.phone, 'login', newIp());
    expect(login.statusCode).toBe(202);
    expect(await outboxCode(t, known.phone)).toMatch(/^\d{6}$/);
    expect(Object.keys(login.json())).toEqual(Object.keys(res.json()));
  });

  it('sends a notice, not a code, when a registered phone asks to register again', async () => {
    const known = await registerViaApi(t);
    await ageCodes(known.phone);
    expect((await requestCode(t, known.phone, 'register', newIp())).statusCode).toBe(202);
    const [latest] = await outbox(known.phone);
    expect(latest!.body).toContain('已注册');
    expect(latest!.body).not.toMatch(/\d{6}/);
    const again = await post('/api/v1/auth/register', {
      phone: known.phone,
      smsCode: '123456',
      password: REGISTER_PASSWORD,
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('SMS_CODE_INVALID');
  });

  it('needs a signed-in customer for withdraw and bind_card codes; withdraw goes to the own phone only', async () => {
    const c = await registerViaApi(t);
    await ageCodes(c.phone);
    const anonymous = await requestCode(t, testPhone(), 'bind_card', newIp());
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('SMS_PURPOSE_NEEDS_SIGN_IN');
    const bind = await requestCode(t, testPhone(), 'bind_card', newIp(), c.headers);
    expect(bind.statusCode).toBe(202);
    const otherPhone = await requestCode(t, testPhone(), 'withdraw', newIp(), c.headers);
    expect(otherPhone.statusCode).toBe(400);
    expect(otherPhone.json().error.code).toBe('SMS_PHONE_MISMATCH');
    const own = await requestCode(t, c.phone, 'withdraw', newIp(), c.headers);
    expect(own.statusCode).toBe(202);
    expect(await outboxCode(t, c.phone)).toMatch(/^\d{6}$/);
  });

  it('checks CSRF when the session comes in a cookie', async () => {
    const c = await registerViaApi(t);
    const login = await post('/api/v1/auth/login', { phone: c.phone, password: c.password });
    const { cookie, csrf } = cookiesOf(login.headers['set-cookie']);
    const noCsrf = await requestCode(t, testPhone(), 'bind_card', newIp(), { cookie });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const withCsrf = await requestCode(t, testPhone(), 'bind_card', newIp(), { cookie, 'x-csrf-token': csrf });
    expect(withCsrf.statusCode).toBe(202);
  });
});

describe('POST /api/v1/auth/register', () => {
  it('registers with the code, signs in with cookies, opens the ledger accounts and audits it', async () => {
    const phone = testPhone();
    const ip = newIp();
    await requestCode(t, phone, 'register', ip);
    const smsCode = await outboxCode(t, phone);
    const res = await post('/api/v1/auth/register', { phone: `+86 ${phone}`, smsCode, password: REGISTER_PASSWORD });
    expect(res.statusCode).toBe(201);
    const { token, user } = res.json();
    expect(token).toEqual(expect.any(String));
    expect(user).toMatchObject({
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      kind: 'person',
      status: 'active',
      hasPassword: true,
      realName: { status: 'unverified', nameMasked: null, idNumberMasked: null },
    });
    expect(JSON.stringify(res.json())).not.toContain(phone);
    const setCookie = [res.headers['set-cookie']].flat().join('\n');
    expect(setCookie).toMatch(/lh_session=[^;]+;.*HttpOnly/);
    expect(setCookie).toMatch(/csrf_token=/);
    const account = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/account',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(account.statusCode).toBe(200);
    expect(account.json().availableFen).toBe(0);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'customer.register')
      .where('actor_id', '=', user.id)
      .execute();
    expect(audit).toHaveLength(1);

    // The code is used up.
    const reused = await post('/api/v1/auth/register', { phone, smsCode, password: REGISTER_PASSWORD });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('SMS_CODE_INVALID');
  });

  it('refuses a weak password before using up the code, and shows which rules fail', async () => {
    const phone = testPhone();
    await requestCode(t, phone, 'register', newIp());
    const smsCode = await outboxCode(t, phone);
    const weak = await post('/api/v1/auth/register', { phone, smsCode, password: 'password1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({
      code: 'WEAK_PASSWORD',
      details: { field: 'password', problems: 'common' },
    });
    const short = await post('/api/v1/auth/register', { phone, smsCode, password: 'abc' });
    expect(short.json().error.details.problems).toBe('too_short, needs_digit');
    const ok = await post('/api/v1/auth/register', { phone, smsCode, password: REGISTER_PASSWORD });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses a wrong code (counting tries), then any code after 5 wrong tries', async () => {
    const phone = testPhone();
    await requestCode(t, phone, 'register', newIp());
    const smsCode = await outboxCode(t, phone);
    const wrong = smsCode === '000000' ? '111111' : '000000';
    for (let i = 1; i <= SMS_CODE_ATTEMPTS_MAX; i++) {
      const res = await post('/api/v1/auth/register', { phone, smsCode: wrong, password: REGISTER_PASSWORD });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'SMS_CODE_INVALID',
        details: { attemptsLeft: SMS_CODE_ATTEMPTS_MAX - i },
      });
    }
    const right = await post('/api/v1/auth/register', { phone, smsCode, password: REGISTER_PASSWORD });
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('SMS_CODE_TOO_MANY_ATTEMPTS');
    // A new code works.
    await ageCodes(phone);
    await requestCode(t, phone, 'register', newIp());
    const fresh = await outboxCode(t, phone);
    expect(
      (await post('/api/v1/auth/register', { phone, smsCode: fresh, password: REGISTER_PASSWORD })).statusCode,
    ).toBe(201);
  });

  it('refuses an expired code, an older code once a newer one was sent, and a code of another purpose', async () => {
    const phone = testPhone();
    await requestCode(t, phone, 'register', newIp());
    const first = await outboxCode(t, phone);
    await sql`update sms_codes set expires_at = now() - interval '1 second' where phone_hash = ${phoneHash(t.app.cipher, phone)}`.execute(
      t.database.db,
    );
    const expired = await post('/api/v1/auth/register', { phone, smsCode: first, password: REGISTER_PASSWORD });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.code).toBe('SMS_CODE_EXPIRED');

    await ageCodes(phone);
    await requestCode(t, phone, 'register', newIp());
    const second = await outboxCode(t, phone);
    await ageCodes(phone);
    await requestCode(t, phone, 'register', newIp());
    const third = await outboxCode(t, phone);
    if (second !== third) {
      const older = await post('/api/v1/auth/register', { phone, smsCode: second, password: REGISTER_PASSWORD });
      expect(older.json().error.code).toBe('SMS_CODE_INVALID');
    }
    const wrongPurpose = await post('/api/v1/auth/reset-password', {
      phone,
      smsCode: third,
      newPassword: REGISTER_PASSWORD,
    });
    expect(wrongPurpose.json().error.code).toBe('SMS_CODE_INVALID');
    expect(
      (await post('/api/v1/auth/register', { phone, smsCode: third, password: REGISTER_PASSWORD })).statusCode,
    ).toBe(201);
  });

  it('takes a referral code, refusing an unknown one', async () => {
    const referrer = await registerViaApi(t);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: referrer.headers });
    const referralCode = me.json().referralCode as string;
    const phone = testPhone();
    await requestCode(t, phone, 'register', newIp());
    const smsCode = await outboxCode(t, phone);
    const unknown = await post('/api/v1/auth/register', {
      phone,
      smsCode,
      password: REGISTER_PASSWORD,
      referralCode: 'NOPE2345',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('REFERRAL_CODE_UNKNOWN');
    const ok = await post('/api/v1/auth/register', {
      phone,
      smsCode,
      password: REGISTER_PASSWORD,
      referralCode: referralCode.toLowerCase(),
    });
    expect(ok.statusCode).toBe(201);
    const row = await t.database.db
      .selectFrom('users')
      .select('referred_by')
      .where('id', '=', ok.json().user.id)
      .executeTakeFirstOrThrow();
    expect(row.referred_by).toBe(referrer.id);
  });

  it('refuses malformed bodies with 400, never 500', async () => {
    for (const body of [
      {},
      { phone: 13800000000, smsCode: '123456', password: 'x' },
      { phone: '13800000000', smsCode: '12345', password: REGISTER_PASSWORD },
      { phone: '13800000000', smsCode: '123456', password: 'x'.repeat(200) },
      { phone: 'x'.repeat(100), smsCode: '123456', password: REGISTER_PASSWORD },
    ]) {
      const res = await post('/api/v1/auth/register', body);
      expect(res.statusCode).toBe(400);
    }
  });
});

describe('POST /api/v1/auth/login', () => {
  it('signs in with the password; a wrong one or an unknown phone gets the same answer; all audited', async () => {
    const c = await registerViaApi(t);
    const ok = await post('/api/v1/auth/login', { phone: c.phone, password: c.password });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.id).toBe(c.id);
    const wrong = await post('/api/v1/auth/login', { phone: c.phone, password: 'Wrong-pass-2026' });
    const unknown = await post('/api/v1/auth/login', { phone: testPhone(), password: 'Wrong-pass-2026' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    const rows = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'customer.login')
      .where('target_id', '=', c.id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.outcome)).toEqual(['ok', 'refused']);
    expect(rows[1]!.detail).toMatchObject({ reason: 'INVALID_CREDENTIALS', method: 'password' });
    expect(JSON.stringify(rows.map((r) => ({ ...r, id: String(r.id) })))).not.toContain(c.phone);
  });

  it('signs in with a login SMS code, once', async () => {
    const c = await registerViaApi(t);
    await ageCodes(c.phone);
    await requestCode(t, c.phone, 'login', newIp());
    const smsCode = await outboxCode(t, c.phone);
    const ok = await post('/api/v1/auth/login', { phone: c.phone, smsCode });
    expect(ok.statusCode).toBe(200);
    const again = await post('/api/v1/auth/login', { phone: c.phone, smsCode });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('SMS_CODE_INVALID');
  });

  it('needs exactly one of password and SMS code', async () => {
    const neither = await post('/api/v1/auth/login', { phone: testPhone() });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.code).toBe('LOGIN_METHOD_REQUIRED');
    const both = await post('/api/v1/auth/login', { phone: testPhone(), password: 'x', smsCode: '123456' });
    expect(both.json().error.code).toBe('LOGIN_METHOD_REQUIRED');
    const badPhone = await post('/api/v1/auth/login', { phone: 'abc', password: 'x' });
    expect(badPhone.json().error.code).toBe('PHONE_INVALID');
  });

  it('locks the account for 15 minutes after 5 failures in a row', async () => {
    const c = await registerViaApi(t);
    for (let i = 1; i <= 4; i++) {
      const res = await post('/api/v1/auth/login', { phone: c.phone, password: `Wrong-pass-${i}` });
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const fifth = await post('/api/v1/auth/login', { phone: c.phone, password: 'Wrong-pass-5' });
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { minutes: 15 } });
    const right = await post('/api/v1/auth/login', { phone: c.phone, password: c.password });
    expect(right.statusCode).toBe(429);
    // An SMS login does not get around the lock either.
    await ageCodes(c.phone);
    await requestCode(t, c.phone, 'login', newIp());
    const viaSms = await post('/api/v1/auth/login', { phone: c.phone, smsCode: await outboxCode(t, c.phone) });
    expect(viaSms.statusCode).toBe(429);
    // After 15 minutes it opens again.
    await t.database.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', c.id)
      .execute();
    expect((await post('/api/v1/auth/login', { phone: c.phone, password: c.password })).statusCode).toBe(200);
  });

  it('counts wrong login codes as failures too', async () => {
    const c = await registerViaApi(t);
    await t.database.db.updateTable('users').set({ failed_logins: 4 }).where('id', '=', c.id).execute();
    await ageCodes(c.phone);
    await requestCode(t, c.phone, 'login', newIp());
    const code = await outboxCode(t, c.phone);
    const res = await post('/api/v1/auth/login', { phone: c.phone, smsCode: code === '000000' ? '000001' : '000000' });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('lets a frozen customer sign in and read but not write; a closed one cannot sign in', async () => {
    const c = await registerViaApi(t);
    await t.database.db.updateTable('users').set({ status: 'frozen' }).where('id', '=', c.id).execute();
    const login = await post('/api/v1/auth/login', { phone: c.phone, password: c.password });
    expect(login.statusCode).toBe(200);
    const headers = { authorization: `Bearer ${login.json().token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect(me.json().status).toBe('frozen');
    const write = await post('/api/v1/me/real-name', { name: '张三', idNumber: '110101199003074477' }, headers);
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('ACCOUNT_FROZEN');
    const card = await requestCode(t, testPhone(), 'bind_card', newIp(), headers);
    expect(card.statusCode).toBe(403);
    expect(card.json().error.code).toBe('ACCOUNT_FROZEN');
    const out = await post('/api/v1/auth/logout', {}, headers);
    expect(out.statusCode).toBe(204);

    await t.database.db.updateTable('users').set({ status: 'closed' }).where('id', '=', c.id).execute();
    const closed = await post('/api/v1/auth/login', { phone: c.phone, password: c.password });
    expect(closed.statusCode).toBe(401);
    expect(closed.json().error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('POST /api/v1/auth/logout and GET /api/v1/me', () => {
  it('needs CSRF for a cookie sign-out, then the session is gone', async () => {
    const c = await registerViaApi(t);
    const login = await post('/api/v1/auth/login', { phone: c.phone, password: c.password });
    const { cookie, csrf } = cookiesOf(login.headers['set-cookie']);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: c.id, realName: { status: 'unverified' } });
    const forged = await post('/api/v1/auth/logout', {}, { cookie });
    expect(forged.statusCode).toBe(403);
    const out = await post('/api/v1/auth/logout', {}, { cookie, 'x-csrf-token': csrf });
    expect(out.statusCode).toBe(204);
    expect([out.headers['set-cookie']].flat().join('\n')).toMatch(/lh_session=;/);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
    // The bearer token from registration is another session and still works.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: c.headers })).statusCode).toBe(200);
    // Signing out without a session is harmless.
    expect((await post('/api/v1/auth/logout', {})).statusCode).toBe(204);
  });

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('POST /api/v1/auth/reset-password', () => {
  it('sets a new password with the code, lifts a lock and signs out every session', async () => {
    const c = await registerViaApi(t);
    await t.database.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() + 600_000) })
      .where('id', '=', c.id)
      .execute();
    await ageCodes(c.phone);
    await requestCode(t, c.phone, 'reset_password', newIp());
    const smsCode = await outboxCode(t, c.phone);
    const weak = await post('/api/v1/auth/reset-password', { phone: c.phone, smsCode, newPassword: 'short' });
    expect(weak.json().error).toMatchObject({ code: 'WEAK_PASSWORD', details: { field: 'newPassword' } });
    const res = await post('/api/v1/auth/reset-password', { phone: c.phone, smsCode, newPassword: 'Brand-new-2027' });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: c.headers })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { phone: c.phone, password: c.password })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { phone: c.phone, password: 'Brand-new-2027' })).statusCode).toBe(200);
    const reused = await post('/api/v1/auth/reset-password', {
      phone: c.phone,
      smsCode,
      newPassword: 'Other-new-2027',
    });
    expect(reused.json().error.code).toBe('SMS_CODE_INVALID');
  });

  it('fails at the code for a phone without an account', async () => {
    const phone = testPhone();
    await requestCode(t, phone, 'reset_password', newIp());
    const res = await post('/api/v1/auth/reset-password', { phone, smsCode: '123456', newPassword: 'Brand-new-2027' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SMS_CODE_INVALID');
  });
});

describe('the http SMS provider', () => {
  it('posts signed JSON to the vendor, records failures, and hides the dev outbox', async () => {
    const secret = 'vendor-secret-0123456789';
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    let failNext = false;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = failNext ? 500 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const vendor = await createTestApp({
      env: { SMS_PROVIDER: 'http', SMS_HTTP_URL: `http://127.0.0.1:${port}/sms`, SMS_HTTP_SECRET: secret },
    });
    try {
      const phone = testPhone();
      const res = await vendor.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-codes',
        payload: { phone, purpose: 'register' },
        remoteAddress: newIp(),
      });
      expect(res.statusCode).toBe(202);
      expect(received).toHaveLength(1);
      const { headers, body } = received[0]!;
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-signature']).toBe(smsSignature(secret, String(headers['x-timestamp']), body));
      expect(Math.abs(Number(headers['x-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      const sent = JSON.parse(body);
      expect(sent).toMatchObject({ phone, purpose: 'register' });
      expect(sent.text).toMatch(/\d{6}/);
      const [row] = await vendor.database.db.selectFrom('sms_messages').selectAll().execute();
      expect(row).toMatchObject({ provider: 'http', status: 'sent', error: null });
      expect(row!.body).not.toMatch(/\d{6}/);

      const outboxRes = await vendor.app.inject({ method: 'GET', url: `/api/v1/dev/sms-outbox?phone=${phone}` });
      expect(outboxRes.statusCode).toBe(404);

      failNext = true;
      const failed = await vendor.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sms-codes',
        payload: { phone: testPhone(), purpose: 'register' },
        remoteAddress: newIp(),
      });
      expect(failed.statusCode).toBe(503);
      expect(failed.json().error.code).toBe('SMS_SEND_FAILED');
      const failures = await vendor.database.db
        .selectFrom('sms_messages')
        .selectAll()
        .where('status', '=', 'failed')
        .execute();
      expect(failures).toHaveLength(1);
      expect(failures[0]!.error).toBe('HTTP 500');
    } finally {
      await vendor.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
