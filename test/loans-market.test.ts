import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDueLoans } from '../src/modules/loans/index.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { verifyCustomer } from './helpers/kyc.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let admin: TestStaff;
let reviewer: TestStaff;
let reviewer2: TestStaff;
let cs: TestStaff;
let borrower: TestCustomer;
let other: TestCustomer;
let unverified: TestCustomer;
let product: { id: string };
let bigProduct: { id: string };
let dayProduct: { id: string };
let myDoc: string;
let othersDoc: string;
let codeSerial = 0;

const productBody = (over: Record<string, unknown> = {}) => ({
  code: `credit_${++codeSerial}_${randomBytes(2).toString('hex')}`,
  nameZh: '信用标',
  nameEn: 'Credit loan',
  loanType: 'credit',
  methods: ['equal_installment', 'interest_monthly', 'quarterly'],
  amountMinFen: 100_000,
  amountMaxFen: 10_000_000,
  termUnit: 'month',
  termMin: 3,
  termMax: 24,
  rateMin: '0.06',
  rateMax: '0.18',
  bidMinFen: 5_000,
  bidStepFen: 100,
  bidMaxPerInvestorFen: null,
  raiseDays: 7,
  serviceFeeRate: '0.02',
  guaranteeFeeRate: '0',
  managementFeeRate: '0.1',
  riskLevels: ['steady', 'balanced', 'aggressive'],
  allowBonus: false,
  netWorthShare: null,
  publishTwoPersonAboveFen: null,
  status: 'active',
  ...over,
});

async function insertDocument(userId: string, status: 'pending' | 'approved' | 'rejected' = 'approved') {
  const key = randomBytes(16).toString('hex');
  const id = `doc_${key}`;
  await t.database.db
    .insertInto('documents')
    .values({
      id,
      user_id: userId,
      kind: 'income_proof',
      status,
      content_type: 'application/pdf',
      size_bytes: 100,
      sha256: randomBytes(32).toString('hex'),
      storage_key: key,
      file_key_cipher: 'x',
      file_name_cipher: 'x',
      reviewed_at: status === 'pending' ? null : new Date(),
      review_reason: status === 'rejected' ? 'blurred' : null,
    })
    .execute();
  return id;
}

const post = (url: string, who: { headers: Record<string, string> }, payload: unknown) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: who.headers });
const get = (url: string, who?: { headers: Record<string, string> }) =>
  t.app.inject({ method: 'GET', url, ...(who ? { headers: who.headers } : {}) });

const application = (over: Record<string, unknown> = {}) => ({
  productId: product.id,
  amountFen: 1_000_000,
  termMonths: 12,
  annualRate: '0.12',
  method: 'equal_installment',
  purpose: '装修房屋',
  documentIds: [myDoc],
  ...over,
});
const apply = (over: Record<string, unknown> = {}, who: TestCustomer = borrower) =>
  post('/api/v1/me/loan-applications', who, application(over));
const review = (id: string, body: Record<string, unknown>, who: TestStaff = reviewer) =>
  post(`/api/v1/admin/loan-applications/${id}/first-review`, who, body);

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInStaff(t, ['risk_officer']);
  reviewer = await signedInStaff(t, ['reviewer']);
  reviewer2 = await signedInStaff(t, ['risk_officer']);
  cs = await signedInStaff(t, ['customer_service']);
  borrower = await signedInCustomer(t);
  other = await signedInCustomer(t);
  unverified = await signedInCustomer(t);
  await verifyCustomer(t, borrower.id, '李四');
  await verifyCustomer(t, other.id, '王五');
  myDoc = await insertDocument(borrower.id);
  othersDoc = await insertDocument(other.id);
  product = (await post('/api/v1/admin/loan-products', admin, productBody())).json();
  bigProduct = (
    await post('/api/v1/admin/loan-products', admin, productBody({ publishTwoPersonAboveFen: 500_000 }))
  ).json();
  dayProduct = (
    await post(
      '/api/v1/admin/loan-products',
      admin,
      productBody({
        loanType: 'flash',
        methods: ['daily'],
        termUnit: 'day',
        termMin: 1,
        termMax: 30,
        nameZh: '秒标',
        nameEn: 'Flash',
      }),
    )
  ).json();
});
afterAll(async () => {
  await t?.close();
});

describe('loan products (标种)', () => {
  it('creates, lists, reads and updates a product', async () => {
    const created = await post('/api/v1/admin/loan-products', admin, productBody({ code: 'guaranteed_a' }));
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ code: 'guaranteed_a', rateMin: '0.06', rateMax: '0.18', amountMinFen: 100_000 });
    const list = await get('/api/v1/admin/loan-products', admin);
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(p.id);
    const upd = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/loan-products/${p.id}`,
      headers: admin.headers,
      payload: productBody({ code: 'guaranteed_a', status: 'disabled', rateMax: '0.2' }),
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.json()).toMatchObject({ status: 'disabled', rateMax: '0.2' });
    const pub = await get('/api/v1/loan-products');
    expect(pub.statusCode).toBe(200);
    expect(pub.json().items.map((x: { id: string }) => x.id)).not.toContain(p.id);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('target_id', '=', p.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['loans.product_created', 'loans.product_updated']);
  });

  it.each([
    [{ amountMaxFen: 1 }, 'PRODUCT_RANGE_INVALID'],
    [{ termMin: 30, termMax: 3 }, 'PRODUCT_RANGE_INVALID'],
    [{ rateMax: '0.4' }, 'RATE_OUT_OF_RANGE'],
    [{ rateMin: '0.2', rateMax: '0.1' }, 'PRODUCT_RANGE_INVALID'],
    [{ rateMin: '-0.1' }, 'VALIDATION_FAILED'],
    [{ methods: ['daily'] }, 'PRODUCT_METHODS_INVALID'],
    [{ methods: ['weekly'] }, 'VALIDATION_FAILED'],
    [{ riskLevels: ['reckless'] }, 'VALIDATION_FAILED'],
    [{ bidMinFen: 200_000 }, 'PRODUCT_RANGE_INVALID'],
    [{ loanType: 'net_worth' }, 'PRODUCT_NET_WORTH_SHARE_REQUIRED'],
    [{ serviceFeeRate: '0.5' }, 'RATE_OUT_OF_RANGE'],
    [{ raiseDays: 0 }, 'VALIDATION_FAILED'],
    [{ amountMinFen: '100' }, 'VALIDATION_FAILED'],
  ])('refuses %j with %s', async (over, code) => {
    const res = await post('/api/v1/admin/loan-products', admin, productBody(over));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
  });

  it('refuses a taken code, and staff without the permission', async () => {
    const body = productBody();
    expect((await post('/api/v1/admin/loan-products', admin, body)).statusCode).toBe(201);
    const again = await post('/api/v1/admin/loan-products', admin, body);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'PRODUCT_CODE_TAKEN']);
    expect((await post('/api/v1/admin/loan-products', cs, productBody())).statusCode).toBe(403);
    expect((await get('/api/v1/admin/loan-products', cs)).statusCode).toBe(403);
    expect((await get('/api/v1/admin/loan-products')).statusCode).toBe(401);
  });
});

describe('applications (借款申请)', () => {
  it('a verified borrower applies and sees it with its schedule preview', async () => {
    const res = await apply();
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.application).toMatchObject({ status: 'submitted', amountFen: 1_000_000, annualRate: '0.12' });
    expect(body.schedule.rows).toHaveLength(12);
    expect(body.schedule.totalPrincipalFen).toBe(1_000_000);
    expect(body.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['submitted']);
    const mine = await get('/api/v1/me/loan-applications', borrower);
    expect(mine.json().items[0].id).toBe(body.application.id);
    expect((await get(`/api/v1/me/loan-applications/${body.application.id}`, other)).statusCode).toBe(404);
  });

  it.each([
    [{ amountFen: 99_999 }, 400, 'AMOUNT_OUT_OF_RANGE'],
    [{ amountFen: 10_000_001 }, 400, 'AMOUNT_OUT_OF_RANGE'],
    [{ amountFen: -5 }, 400, 'VALIDATION_FAILED'],
    [{ amountFen: 1.5 }, 400, 'VALIDATION_FAILED'],
    [{ termMonths: 2 }, 400, 'TERM_OUT_OF_RANGE'],
    [{ termMonths: 25 }, 400, 'TERM_OUT_OF_RANGE'],
    [{ termMonths: undefined, termDays: 30 }, 400, 'TERM_UNIT_MISMATCH'],
    [{ annualRate: '0.05' }, 400, 'RATE_OUT_OF_RANGE'],
    [{ annualRate: '0.19' }, 400, 'RATE_OUT_OF_RANGE'],
    [{ annualRate: '12%' }, 400, 'INVALID_RATE'],
    [{ method: 'bullet' }, 400, 'METHOD_NOT_ALLOWED'],
    [{ method: 'quarterly', termMonths: 4 }, 400, 'TERM_NOT_WHOLE_QUARTERS'],
    [{ documentIds: ['doc_nope'] }, 400, 'DOCUMENT_NOT_FOUND'],
    [{ purpose: ' ' }, 400, 'VALIDATION_FAILED'],
    [{ productId: 'lp_missing' }, 404, 'PRODUCT_NOT_FOUND'],
  ])('refuses %j with %s', async (over, status, code) => {
    const res = await apply(over);
    expect([res.statusCode, res.json().error.code]).toEqual([status, code]);
  });

  it("refuses someone else's document, a rejected document and an unverified borrower", async () => {
    const theirs = await apply({ documentIds: [othersDoc] });
    expect([theirs.statusCode, theirs.json().error.code]).toEqual([400, 'DOCUMENT_NOT_FOUND']);
    const rejected = await apply({ documentIds: [await insertDocument(borrower.id, 'rejected')] });
    expect(rejected.json().error.code).toBe('DOCUMENT_REJECTED');
    const res = await apply({ documentIds: [] }, unverified);
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'REAL_NAME_REQUIRED']);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/me/loan-applications', payload: application() })).statusCode,
    ).toBe(401);
  });

  it('takes day terms for a day product', async () => {
    const res = await apply({ productId: dayProduct.id, method: 'daily', termMonths: undefined, termDays: 15 });
    expect(res.statusCode).toBe(201);
    expect(res.json().application).toMatchObject({ termDays: 15, termMonths: null });
  });
});

describe('first review (初审) and publishing', () => {
  it('approves and publishes: raising with a raise window, in the hall, events and audit written', async () => {
    const { application: a } = (await apply({ amountFen: 2_000_000 })).json();
    const queue = await get('/api/v1/admin/loan-applications', reviewer);
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(a.id);
    const detail = await get(`/api/v1/admin/loan-applications/${a.id}`, reviewer);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().borrower.nameMasked).toBe('李*');
    expect(detail.json().documents).toHaveLength(1);

    const noGrade = await review(a.id, { decision: 'approve' });
    expect([noGrade.statusCode, noGrade.json().error.code]).toEqual([400, 'GRADE_REQUIRED']);
    const ok = await review(a.id, { decision: 'approve', grade: 'B' });
    expect(ok.json()).toEqual({ status: 'raising', approvalId: null });
    const twice = await review(a.id, { decision: 'reject', note: 'late' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'LOAN_NOT_AWAITING_REVIEW']);

    const row = await t.database.db.selectFrom('loans').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.grade).toBe('B');
    const days = (row.raise_ends_at!.getTime() - row.publish_at!.getTime()) / 86_400_000;
    expect(days).toBe(7);
    const events = await t.database.db
      .selectFrom('loan_events')
      .selectAll()
      .where('loan_id', '=', a.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.from_status, e.to_status, e.actor_kind])).toEqual([
      [null, 'submitted', 'customer'],
      ['submitted', 'raising', 'staff'],
    ]);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('target_id', '=', a.id).execute();
    expect(audit.map((x) => x.action)).toContain('loans.first_review_published');

    const hall = await get('/api/v1/loans?status=raising');
    const item = hall.json().items.find((x: { id: string }) => x.id === a.id);
    expect(item).toMatchObject({ borrower: '李*', progressBps: 0, grade: 'B', remainingFen: 2_000_000 });
    expect(item.secondsLeft).toBeGreaterThan(6 * 86_400);
    const one = await get(`/api/v1/loans/${a.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      purpose: '装修房屋',
      bids: [],
      bidTotal: 0,
      documents: [{ kind: 'income_proof', count: 1 }],
    });
    expect(one.json().schedule.totalPrincipalFen).toBe(2_000_000);
  });

  it('returns for documents; the borrower resubmits; reject needs a reason', async () => {
    const { application: a } = (await apply()).json();
    const noNote = await review(a.id, { decision: 'return' });
    expect(noNote.json().error.code).toBe('NOTE_REQUIRED');
    expect((await review(a.id, { decision: 'return', note: '请补充收入证明' })).json().status).toBe('returned');
    const mine = (await get(`/api/v1/me/loan-applications/${a.id}`, borrower)).json();
    expect(mine.application).toMatchObject({ status: 'returned', reviewNote: '请补充收入证明' });
    const terms = {
      amountFen: 1_500_000,
      termMonths: 12,
      annualRate: '0.1',
      method: 'equal_installment',
      purpose: '装修',
      documentIds: [myDoc],
    };
    const byOther = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/loan-applications/${a.id}`,
      headers: other.headers,
      payload: terms,
    });
    expect(byOther.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/loan-applications/${a.id}`,
      headers: borrower.headers,
      payload: { ...terms, documentIds: [othersDoc] },
    });
    expect(bad.json().error.code).toBe('DOCUMENT_NOT_FOUND');
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/loan-applications/${a.id}`,
      headers: borrower.headers,
      payload: terms,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().application).toMatchObject({ status: 'submitted', amountFen: 1_500_000, annualRate: '0.1' });
    const again = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/me/loan-applications/${a.id}`,
      headers: borrower.headers,
      payload: terms,
    });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'APPLICATION_NOT_RETURNED']);
    const rej = await review(a.id, { decision: 'reject', note: '负债过高' });
    expect(rej.json().status).toBe('rejected');
    expect((await get(`/api/v1/loans/${a.id}`)).statusCode).toBe(404);
  });

  it('schedules a later publish and a job publishes it when due', async () => {
    const { application: a } = (await apply()).json();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const tooLate = new Date(Date.now() + 40 * 86_400_000).toISOString();
    expect((await review(a.id, { decision: 'approve', grade: 'A', publishAt: tooLate })).json().error.code).toBe(
      'PUBLISH_AT_INVALID',
    );
    expect((await review(a.id, { decision: 'approve', grade: 'A', publishAt: later })).json().status).toBe('scheduled');
    expect(await publishDueLoans(t.database.db, new Date())).toBe(0);
    expect(await publishDueLoans(t.database.db, new Date(Date.now() + 2 * 3_600_000))).toBeGreaterThanOrEqual(1);
    const row = await t.database.db
      .selectFrom('loans')
      .select('status')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('raising');
  });

  it('needs a second person to publish above the product limit', async () => {
    const { application: a } = (await apply({ productId: bigProduct.id, amountFen: 600_000 })).json();
    const res = await review(a.id, { decision: 'approve', grade: 'C' });
    expect(res.json()).toMatchObject({ status: 'submitted' });
    const approvalId = res.json().approvalId as string;
    expect(approvalId).toBeTruthy();
    const dup = await review(a.id, { decision: 'approve', grade: 'C' });
    expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'PUBLISH_APPROVAL_PENDING']);
    const decide = (who: TestStaff) =>
      post(`/api/v1/admin/approvals/${approvalId}/decision`, who, { decision: 'approve' });
    const self = await decide(reviewer);
    expect(self.statusCode).toBeGreaterThanOrEqual(400);
    expect(self.statusCode).toBeLessThan(500);
    const ok = await decide(reviewer2);
    expect(ok.statusCode).toBe(200);
    const row = await t.database.db.selectFrom('loans').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect([row.status, row.grade, row.first_reviewed_by]).toEqual(['raising', 'C', reviewer2.id]);
  });

  it('refuses staff without loans.review and unknown ids', async () => {
    expect((await get('/api/v1/admin/loan-applications', cs)).statusCode).toBe(403);
    expect((await review('loan_nope', { decision: 'reject', note: 'x' }, cs)).statusCode).toBe(403);
    const missing = await review('loan_nope', { decision: 'reject', note: 'x' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'LOAN_NOT_FOUND']);
    expect((await review('loan_nope', { decision: 'maybe' })).statusCode).toBe(400);
  });
});

describe('financing hall (融资大厅)', () => {
  it('filters, sorts, pages and refuses bad input with 400s', async () => {
    const all = await get('/api/v1/loans?limit=1');
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(1);
    expect(all.json().nextCursor).toBeTruthy();
    const next = await get(`/api/v1/loans?limit=1&cursor=${all.json().nextCursor}`);
    expect(next.json().items[0].id).not.toBe(all.json().items[0].id);
    const byRate = (await get('/api/v1/loans?rateMin=0.11&rateMax=0.13&sort=rate_desc')).json().items;
    expect(byRate.every((x: { annualRate: string }) => x.annualRate === '0.12')).toBe(true);
    expect((await get('/api/v1/loans?grade=C')).json().items.every((x: { grade: string }) => x.grade === 'C')).toBe(
      true,
    );
    expect((await get('/api/v1/loans?type=flash')).json().items).toEqual([]);
    for (const q of [
      'status=submitted',
      'rateMin=abc',
      'rateMin=-1',
      'termMin=0',
      'limit=101',
      'cursor=zzz',
      'sort=random',
      'foo=1',
    ]) {
      const res = await get(`/api/v1/loans?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    expect((await get('/api/v1/loans/loan_nope')).statusCode).toBe(404);
  });
});
