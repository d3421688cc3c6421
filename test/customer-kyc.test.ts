import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARDS_PER_CUSTOMER_MAX } from '../src/modules/identity/bank-card.ts';
import { hasPendingWithdrawal } from '../src/modules/identity/bank-cards.service.ts';
import {
  type KycProvider,
  REAL_NAME_ATTEMPTS_PER_DAY_MAX,
  verifyRealName,
} from '../src/modules/identity/real-name.service.ts';
import { shanghaiDate } from '../src/platform/clock.ts';
import {
  addCardViaApi,
  cookiesOf,
  freshCardNumber,
  freshIdNumber,
  idNumberFor,
  newIp,
  outboxCode,
  registerViaApi,
  requestCode,
  verifyViaApi,
} from './helpers/customer-flows.ts';
import { testPhone } from './helpers/customers.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let reviewer: TestStaff;
let finance: TestStaff;
beforeAll(async () => {
  t = await createTestApp();
  reviewer = await signedInStaff(t, ['reviewer']);
  finance = await signedInStaff(t, ['finance']);
});
afterAll(async () => t?.close());

const en = { 'accept-language': 'en' };

function realName(headers: Record<string, string>, body: unknown) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/me/real-name',
    headers: { ...en, ...headers },
    payload: body as object,
  });
}

/** A birth date `years` years before today in Asia/Shanghai, shifted by `days`, as YYYYMMDD. */
function birthDateYearsAgo(years: number, days = 0): string {
  const [y, m, d] = shanghaiDate().split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, d + days));
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

describe('POST /api/v1/me/real-name', () => {
  it('verifies a valid adult, stores it encrypted and answers masked everywhere', async () => {
    const c = await registerViaApi(t);
    const idNumber = idNumberFor('19900307', '447');
    const res = await realName(c.headers, { name: ' 张三丰 ', idNumber: idNumber.toLowerCase() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'verified',
      nameMasked: '张**',
      idNumberMasked: `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`,
    });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: c.headers });
    expect(me.json().realName).toMatchObject({ status: 'verified', nameMasked: '张**' });
    expect(me.body).not.toContain(idNumber);
    const row = await t.database.db
      .selectFrom('customer_real_names')
      .selectAll()
      .where('user_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.sex).toBe('male');
    expect(row.provider).toBe('rules');
    expect(row.id_number_cipher).toMatch(/^v1\./);
    expect(row.name_cipher).not.toContain('张三丰');

    const again = await realName(c.headers, { name: '张三丰', idNumber: freshIdNumber() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('REAL_NAME_ALREADY_VERIFIED');
  });

  it('refuses a bad format, an impossible birth date and a wrong check digit, naming the reason', async () => {
    const c = await registerViaApi(t);
    const valid = idNumberFor('19900307', '447');
    const wrongCheck = `${valid.slice(0, 17)}${valid[17] === '0' ? '1' : '0'}`;
    const cases: [string, string][] = [
      ['12345', 'format'],
      ['11010119900307447', 'format'],
      ['1101011990030744AB', 'format'],
      [idNumberFor('19900230'), 'birth_date'],
      [idNumberFor('18990101'), 'birth_date'],
      [wrongCheck, 'check_digit'],
    ];
    for (const [idNumber, reason] of cases) {
      const res = await realName(c.headers, { name: '李四', idNumber });
      expect(res.statusCode, idNumber).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'ID_NUMBER_INVALID', details: { field: 'idNumber', reason } });
    }
    const future = await realName(c.headers, { name: '李四', idNumber: idNumberFor(birthDateYearsAgo(0, 1)) });
    expect(future.json().error.details.reason).toBe('birth_date');
  });

  it('refuses anyone under 18 on today’s date in Asia/Shanghai and accepts an 18th birthday', async () => {
    const c = await registerViaApi(t);
    const minor = await realName(c.headers, { name: '王小明', idNumber: idNumberFor(birthDateYearsAgo(18, 1), '222') });
    expect(minor.statusCode).toBe(422);
    expect(minor.json().error).toMatchObject({ code: 'UNDER_AGE', details: { age: 18 } });
    const adult = await realName(c.headers, { name: '王小明', idNumber: idNumberFor(birthDateYearsAgo(18), '224') });
    expect(adult.statusCode).toBe(200);
  });

  it('refuses bad names', async () => {
    const c = await registerViaApi(t);
    for (const name of ['张', '张三3', 'x'.repeat(31), '<script>', '   ', '··']) {
      const res = await realName(c.headers, { name, idNumber: freshIdNumber() });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.code).toBe('NAME_INVALID');
    }
    const ok = await realName(c.headers, { name: '阿依古丽•买买提', idNumber: freshIdNumber() });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().nameMasked).toBe('阿*******');
  });

  it('allows one account per ID number', async () => {
    const a = await registerViaApi(t);
    const b = await registerViaApi(t);
    const idNumber = idNumberFor('19850615', '031', '110101');
    expect((await realName(a.headers, { name: '赵六', idNumber })).statusCode).toBe(200);
    const dup = await realName(b.headers, { name: '赵六', idNumber: ` ${idNumber} ` });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ID_NUMBER_TAKEN');
  });

  it('limits refused attempts to 10 a day', async () => {
    const c = await registerViaApi(t);
    for (let i = 0; i < REAL_NAME_ATTEMPTS_PER_DAY_MAX; i++) {
      expect((await realName(c.headers, { name: '钱七', idNumber: '123' })).statusCode).toBe(400);
    }
    const limited = await realName(c.headers, { name: '钱七', idNumber: freshIdNumber() });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('REAL_NAME_TOO_MANY_ATTEMPTS');
  });

  it('asks the KYC provider after the rules and reports its refusal', async () => {
    const c = await registerViaApi(t);
    const asked: string[] = [];
    const strict: KycProvider = {
      name: 'test-vendor',
      verify: async (check) => {
        asked.push(check.birthDate);
        return { ok: false, reason: 'name does not match' };
      },
    };
    await expect(
      verifyRealName(t.database.db, t.app.cipher, strict, { userId: c.id, name: '孙八', idNumber: '123' }),
    ).rejects.toMatchObject({ code: 'ID_NUMBER_INVALID' });
    expect(asked).toEqual([]);
    await expect(
      verifyRealName(t.database.db, t.app.cipher, strict, {
        userId: c.id,
        name: '孙八',
        idNumber: idNumberFor('19770101', '555'),
      }),
    ).rejects.toMatchObject({ code: 'REAL_NAME_REJECTED' });
    expect(asked).toEqual(['1977-01-01']);
  });

  it('needs CSRF with a cookie session, and a session at all', async () => {
    const c = await registerViaApi(t);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: c.phone, password: c.password },
      remoteAddress: newIp(),
    });
    const { cookie, csrf } = cookiesOf(login.headers['set-cookie']);
    const body = { name: '周九', idNumber: freshIdNumber() };
    expect((await realName({ cookie }, body)).json().error.code).toBe('CSRF_TOKEN_INVALID');
    expect((await realName({ cookie, 'x-csrf-token': 'forged' }, body)).statusCode).toBe(403);
    expect((await realName({}, body)).statusCode).toBe(401);
    expect((await realName({ cookie, 'x-csrf-token': csrf }, body)).statusCode).toBe(200);
  });
});

describe('bank cards', () => {
  it('lists the banks', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/banks', headers: en });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toContainEqual({ code: 'ICBC', name: 'Industrial and Commercial Bank of China' });
  });

  it('needs a verified identity', async () => {
    const c = await registerViaApi(t);
    const { res } = await addCardViaApi(t, c);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('REAL_NAME_REQUIRED');
  });

  it('adds a card pending review, masked, with the reserved phone’s code, and refuses bad input', async () => {
    const c = await registerViaApi(t);
    await verifyViaApi(t, c.headers);
    const reservedPhone = testPhone();
    await requestCode(t, reservedPhone, 'bind_card', newIp(), c.headers);
    const smsCode = await outboxCode(t, reservedPhone);
    const cardNumber = freshCardNumber();
    const luhnBroken = `${cardNumber.slice(0, -1)}${(Number(cardNumber.at(-1)) + 1) % 10}`;
    const add = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/me/bank-cards',
        headers: { ...en, ...c.headers },
        payload: { bankCode: 'CMB', cardNumber, reservedPhone, smsCode, ...body },
      });
    const luhn = await add({ cardNumber: luhnBroken });
    expect(luhn.statusCode).toBe(400);
    expect(luhn.json().error).toMatchObject({ code: 'CARD_NUMBER_INVALID', details: { reason: 'check_digit' } });
    expect((await add({ cardNumber: '1234' })).json().error.details.reason).toBe('format');
    expect((await add({ cardNumber: 'abcd efgh ijkl mnop' })).json().error.code).toBe('CARD_NUMBER_INVALID');
    expect((await add({ bankCode: 'NOPE' })).json().error.code).toBe('BANK_UNKNOWN');
    expect((await add({ reservedPhone: '555' })).json().error).toMatchObject({
      code: 'PHONE_INVALID',
      details: { field: 'reservedPhone' },
    });
    expect((await add({ reservedPhone: testPhone() })).json().error.code).toBe('SMS_CODE_INVALID');
    expect((await add({ smsCode: 'abcdef' })).json().error.code).toBe('VALIDATION_FAILED');

    const spaced = cardNumber.replace(/(\d{4})/g, '$1 ');
    const ok = await add({ cardNumber: spaced });
    expect(ok.statusCode).toBe(201);
    const card = ok.json();
    expect(card).toMatchObject({
      bankCode: 'CMB',
      bankName: 'China Merchants Bank',
      cardNumberMasked: `${cardNumber.slice(0, 4)} **** **** ${cardNumber.slice(-4)}`,
      reservedPhoneMasked: `${reservedPhone.slice(0, 3)}****${reservedPhone.slice(-4)}`,
      status: 'pending_review',
      statusName: 'Pending review',
      statusReason: null,
      boundAt: null,
    });
    expect(card.id).toMatch(/^card_[0-9a-f]{32}$/);
    expect(ok.body).not.toContain(cardNumber);
    const reused = await add({});
    expect(reused.json().error.code).toBe('CARD_TAKEN');

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards', headers: c.headers });
    expect(list.json()).toEqual({
      items: [expect.objectContaining({ id: card.id, statusName: '待审核' })],
      nextCursor: null,
    });
  });

  it('keeps a card number on one live card across the platform', async () => {
    const a = await registerViaApi(t);
    const b = await registerViaApi(t);
    await verifyViaApi(t, a.headers);
    await verifyViaApi(t, b.headers, '李四');
    const first = await addCardViaApi(t, a);
    expect(first.res.statusCode).toBe(201);
    const again = await addCardViaApi(t, a, { cardNumber: first.cardNumber });
    expect(again.res.statusCode).toBe(409);
    const other = await addCardViaApi(t, b, { cardNumber: first.cardNumber });
    expect(other.res.statusCode).toBe(409);
    expect(other.res.json().error.code).toBe('CARD_TAKEN');
    // Once unbound, the number is free again.
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/bank-cards/${first.res.json().id}`,
      headers: a.headers,
    });
    expect(del.statusCode).toBe(204);
    expect((await addCardViaApi(t, b, { cardNumber: first.cardNumber })).res.statusCode).toBe(201);
  });

  it(`allows at most ${CARDS_PER_CUSTOMER_MAX} live cards`, async () => {
    const c = await registerViaApi(t);
    await verifyViaApi(t, c.headers);
    for (let i = 0; i < CARDS_PER_CUSTOMER_MAX; i++) {
      expect((await addCardViaApi(t, c)).res.statusCode).toBe(201);
    }
    const over = await addCardViaApi(t, c);
    expect(over.res.statusCode).toBe(422);
    expect(over.res.json().error).toMatchObject({
      code: 'CARD_LIMIT_REACHED',
      details: { max: CARDS_PER_CUSTOMER_MAX },
    });
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards?limit=2', headers: c.headers });
    expect(page.json().items).toHaveLength(2);
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/v1/me/bank-cards?limit=10&cursor=${page.json().nextCursor}`,
      headers: c.headers,
    });
    expect(next.json().items).toHaveLength(3);
    expect(next.json().nextCursor).toBeNull();
    const badCursor = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards?cursor=x', headers: c.headers });
    expect(badCursor.statusCode).toBe(400);
  });

  it("answers 404 for another customer's card id and for unknown ids", async () => {
    const a = await registerViaApi(t);
    const b = await registerViaApi(t);
    await verifyViaApi(t, a.headers);
    const { res } = await addCardViaApi(t, a);
    const cardId = res.json().id as string;
    const steal = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/bank-cards/${cardId}`, headers: b.headers });
    expect(steal.statusCode).toBe(404);
    expect(steal.json().error.code).toBe('NOT_FOUND');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards', headers: b.headers });
    expect(list.json().items).toEqual([]);
    const unknown = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/bank-cards/card_nope',
      headers: a.headers,
    });
    expect(unknown.statusCode).toBe(404);
    const long = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/bank-cards/${'x'.repeat(65)}`,
      headers: a.headers,
    });
    expect(long.statusCode).toBe(400);
    // Still there for its owner.
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards', headers: a.headers });
    expect(mine.json().items.map((c: { id: string }) => c.id)).toEqual([cardId]);
  });

  it('moves through review and binding by staff decisions, each audited', async () => {
    const c = await registerViaApi(t);
    await verifyViaApi(t, c.headers, '吴十');
    const { res } = await addCardViaApi(t, c);
    const cardId = res.json().id as string;
    const review = (body: Record<string, unknown>, headers = reviewer.headers) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/bank-cards/${cardId}/review`,
        headers: { ...en, ...headers },
        payload: body,
      });

    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/bank-cards?status=pending_review&limit=100',
      headers: reviewer.headers,
    });
    expect(queue.statusCode).toBe(200);
    const queued = queue.json().items.find((i: { id: string }) => i.id === cardId);
    expect(queued).toMatchObject({ customerId: c.id, holderNameMasked: '吴*', status: 'pending_review' });
    expect(queue.body).not.toContain(c.phone);

    expect((await review({ decision: 'approve' }, finance.headers)).statusCode).toBe(403);
    expect((await review({ decision: 'approve' }, c.headers)).statusCode).toBe(401);
    expect((await review({ decision: 'bogus' })).statusCode).toBe(400);
    expect((await review({ decision: 'confirm_binding' })).json().error.code).toBe('CARD_STATE_CONFLICT');

    const approved = await review({ decision: 'approve' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'pending_binding', statusName: 'Pending binding' });
    expect((await review({ decision: 'approve' })).statusCode).toBe(409);
    expect((await review({ decision: 'reject', reason: 'x' })).statusCode).toBe(409);

    const noReason = await review({ decision: 'fail_binding', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('REVIEW_REASON_REQUIRED');
    const failed = await review({ decision: 'fail_binding', reason: '银行预留手机号不一致' });
    expect(failed.json()).toMatchObject({ status: 'binding_failed', statusReason: '银行预留手机号不一致' });
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards', headers: c.headers });
    expect(mine.json().items[0]).toMatchObject({ status: 'binding_failed', statusName: '绑定失败' });

    const bound = await review({ decision: 'confirm_binding' });
    expect(bound.json()).toMatchObject({ status: 'bound', statusReason: null, boundAt: expect.any(String) });

    const audits = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'bank_card.reviewed')
      .where('target_id', '=', cardId)
      .orderBy('id')
      .execute();
    expect(audits.map((a) => [a.actor_id, a.before, a.after])).toEqual([
      [reviewer.id, { status: 'pending_review' }, { status: 'pending_binding' }],
      [reviewer.id, { status: 'pending_binding' }, { status: 'binding_failed' }],
      [reviewer.id, { status: 'binding_failed' }, { status: 'bound' }],
    ]);

    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/bank-cards/card_nope/review',
      headers: reviewer.headers,
      payload: { decision: 'approve' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('rejects with a reason; the customer sees it and may remove the card', async () => {
    const c = await registerViaApi(t);
    await verifyViaApi(t, c.headers);
    const { res } = await addCardViaApi(t, c);
    const cardId = res.json().id as string;
    const rejected = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/bank-cards/${cardId}/review`,
      headers: reviewer.headers,
      payload: { decision: 'reject', reason: '持卡人与实名信息不符' },
    });
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      statusName: '审核未通过',
      statusReason: '持卡人与实名信息不符',
    });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards', headers: c.headers });
    expect(list.json().items[0]).toMatchObject({
      id: cardId,
      status: 'rejected',
      statusReason: '持卡人与实名信息不符',
    });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/bank-cards/${cardId}`,
      headers: c.headers,
    });
    expect(removed.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me/bank-cards', headers: c.headers });
    expect(after.json().items).toEqual([]);
    const twice = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/bank-cards/${cardId}`, headers: c.headers });
    expect(twice.statusCode).toBe(404);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'customer.bank_card_unbound')
      .where('target_id', '=', cardId)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_id: c.id, before: { status: 'rejected' }, after: { status: 'unbound' } });
  });

  it('unbinds a bound card (no withdrawals exist yet) and needs CSRF with a cookie', async () => {
    expect(await hasPendingWithdrawal(t.database.db, 'usr_any')).toBe(false);
    const c = await registerViaApi(t);
    await verifyViaApi(t, c.headers);
    const { res } = await addCardViaApi(t, c);
    const cardId = res.json().id as string;
    for (const decision of ['approve', 'confirm_binding']) {
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/bank-cards/${cardId}/review`,
        headers: reviewer.headers,
        payload: { decision },
      });
    }
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: c.phone, password: c.password },
      remoteAddress: newIp(),
    });
    const { cookie, csrf } = cookiesOf(login.headers['set-cookie']);
    const forged = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/bank-cards/${cardId}`,
      headers: { cookie },
    });
    expect(forged.statusCode).toBe(403);
    const ok = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/bank-cards/${cardId}`,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(ok.statusCode).toBe(204);
    const row = await t.database.db
      .selectFrom('bank_cards')
      .selectAll()
      .where('id', '=', cardId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('unbound');
    expect(row.unbound_at).toBeInstanceOf(Date);
  });

  it('pages the review queue oldest first and filters by status', async () => {
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/bank-cards?limit=2',
      headers: reviewer.headers,
    });
    expect(all.statusCode).toBe(200);
    const first = all.json();
    expect(first.items).toHaveLength(2);
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/bank-cards?limit=2&cursor=${first.nextCursor}`,
      headers: reviewer.headers,
    });
    const ids = [...first.items, ...next.json().items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(4);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/bank-cards?status=nope',
      headers: reviewer.headers,
    });
    expect(bad.statusCode).toBe(400);
    const tooMany = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/bank-cards?limit=101',
      headers: reviewer.headers,
    });
    expect(tooMany.statusCode).toBe(400);
  });
});
