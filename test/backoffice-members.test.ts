import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneHash, rulesOnlyKycProvider, verifyRealName } from '../src/modules/identity/index.ts';
import { idNumberCheckChar } from '../src/modules/identity/validators.ts';
import { maskPhone } from '../src/platform/crypto.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let admin: TestStaff;
let risk: TestStaff;
let risk2: TestStaff;
let finance: TestStaff;
let service: TestStaff;
let alice: TestCustomer;
let bob: TestCustomer;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInStaff(t, ['super_admin']);
  risk = await signedInStaff(t, ['risk_officer']);
  risk2 = await signedInStaff(t, ['risk_officer']);
  finance = await signedInStaff(t, ['finance']);
  service = await signedInStaff(t, ['customer_service']);
  alice = await signedInCustomer(t);
  bob = await signedInCustomer(t);
});
afterAll(async () => t?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
function call(who: { headers: Record<string, string> }, method: Method, url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { ...who.headers, 'accept-language': 'en' },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

describe('finding members', () => {
  it('finds a member by full phone (keyed hash), id or referral code, never by partial text', async () => {
    const byPhone = await call(service, 'GET', `/api/v1/admin/members?q=${alice.phone}`);
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.json().items).toEqual([
      expect.objectContaining({ id: alice.id, phoneMasked: maskPhone(alice.phone), status: 'active', points: 0 }),
    ]);
    expect(JSON.stringify(byPhone.json())).not.toContain(alice.phone);
    const byId = await call(service, 'GET', `/api/v1/admin/members?q=${alice.id}`);
    expect(byId.json().items.map((m: { id: string }) => m.id)).toEqual([alice.id]);
    const code = byId.json().items[0].referralCode;
    const byCode = await call(service, 'GET', `/api/v1/admin/members?q=${code.toLowerCase()}`);
    expect(byCode.json().items.map((m: { id: string }) => m.id)).toEqual([alice.id]);

    const partial = await call(service, 'GET', `/api/v1/admin/members?q=${alice.phone.slice(0, 7)}`);
    expect([partial.statusCode, partial.json().error.code]).toEqual([400, 'SEARCH_TERM_UNRECOGNISED']);
    const nobody = await call(service, 'GET', '/api/v1/admin/members?q=13900000000');
    expect(nobody.json()).toEqual({ items: [], nextCursor: null });
  });

  it('pages newest first with a cursor and refuses bad cursors and limits', async () => {
    const first = await call(service, 'GET', '/api/v1/admin/members?limit=1');
    expect(first.json().items.map((m: { id: string }) => m.id)).toEqual([bob.id]);
    const second = await call(service, 'GET', `/api/v1/admin/members?limit=1&cursor=${first.json().nextCursor}`);
    expect(second.json().items.map((m: { id: string }) => m.id)).toEqual([alice.id]);
    expect((await call(service, 'GET', '/api/v1/admin/members?cursor=garbage')).json().error.code).toBe(
      'INVALID_CURSOR',
    );
    expect((await call(service, 'GET', '/api/v1/admin/members?limit=101')).statusCode).toBe(400);
    expect((await call(service, 'GET', '/api/v1/admin/members?limit=0')).statusCode).toBe(400);
    expect((await call(service, 'GET', '/api/v1/admin/members?status=gone')).statusCode).toBe(400);
  });

  it('shows one member with balances and VIP level; unknown ids are 404', async () => {
    const res = await call(service, 'GET', `/api/v1/admin/members/${alice.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: alice.id,
      status: 'active',
      balances: { availableFen: 0, frozenFen: 0 },
      vip: { points: 0, level: { level: 0, name: 'Member' }, next: { pointsNeeded: 1000 } },
      pendingUnfreezeId: null,
    });
    expect(res.json().certification).toEqual({
      realName: null,
      bankCards: { bound: 0, pending: 0 },
      documents: { pending: 0, approved: 0, rejected: 0 },
      riskLevel: null,
    });
    await verifyRealName(t.database.db, t.app.cipher, rulesOnlyKycProvider, {
      userId: bob.id,
      name: '张三丰',
      idNumber: `11010119900307123${idNumberCheckChar('11010119900307123')}`,
    });
    const verified = await call(service, 'GET', `/api/v1/admin/members/${bob.id}`);
    expect(verified.statusCode).toBe(200);
    expect(verified.json().certification.realName).toEqual({
      nameMasked: '张**',
      idNumberMasked: expect.stringMatching(/^1101\*+\w{4}$/),
      verifiedAt: expect.any(String),
    });
    expect((await call(service, 'GET', '/api/v1/admin/members/usr_nope')).statusCode).toBe(404);
    expect((await call(service, 'GET', '/api/v1/admin/members/usr_nope/violations')).statusCode).toBe(404);
  });
});

describe('freezing and unfreezing (two-person approval)', () => {
  let carol: TestCustomer;
  let approvalId: string;

  beforeAll(async () => {
    carol = await signedInCustomer(t);
  });

  it('needs a reason and the members.manage permission', async () => {
    const url = `/api/v1/admin/members/${carol.id}/freeze`;
    expect((await call(risk, 'POST', url, {})).statusCode).toBe(400);
    expect((await call(risk, 'POST', url, { reason: '   ' })).statusCode).toBe(400);
    expect((await call(risk, 'POST', url, { reason: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await call(service, 'POST', url, { reason: 'spam' })).statusCode).toBe(403);
    expect((await call(risk, 'POST', '/api/v1/admin/members/usr_nope/freeze', { reason: 'x' })).statusCode).toBe(404);
  });

  it('freezes at once, ends the member’s sessions, records a violation and an audit entry', async () => {
    expect((await call(carol, 'GET', '/api/v1/me/messages')).statusCode).toBe(200);
    const res = await call(risk, 'POST', `/api/v1/admin/members/${carol.id}/freeze`, { reason: 'Suspected fraud' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'frozen', statusReason: 'Suspected fraud' });
    expect((await call(carol, 'GET', '/api/v1/me/messages')).statusCode).toBe(401);

    const again = await call(risk, 'POST', `/api/v1/admin/members/${carol.id}/freeze`, { reason: 'again' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'MEMBER_ALREADY_FROZEN']);

    const violations = await call(service, 'GET', `/api/v1/admin/members/${carol.id}/violations`);
    expect(violations.json().items).toEqual([
      expect.objectContaining({
        action: 'freeze',
        reason: 'Suspected fraud',
        staff: expect.objectContaining({ id: risk.id }),
      }),
    ]);
    const audit = await call(admin, 'GET', `/api/v1/admin/audit-log?action=member.frozen&targetId=${carol.id}`);
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        actorKind: 'staff',
        actorId: risk.id,
        before: { status: 'active', statusReason: null },
        after: { status: 'frozen', statusReason: 'Suspected fraud' },
      }),
    ]);
  });

  it('unfreezing is a request; a second identical request is refused', async () => {
    const res = await call(risk, 'POST', `/api/v1/admin/members/${carol.id}/unfreeze`, { reason: 'Cleared' });
    expect(res.statusCode).toBe(202);
    approvalId = res.json().approvalId;
    expect(res.json().status).toBe('pending');
    const member = await call(risk, 'GET', `/api/v1/admin/members/${carol.id}`);
    expect(member.json()).toMatchObject({ status: 'frozen', pendingUnfreezeId: approvalId });
    const twice = await call(risk2, 'POST', `/api/v1/admin/members/${carol.id}/unfreeze`, { reason: 'Cleared' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'APPROVAL_ALREADY_PENDING']);
    const notFrozen = await call(risk, 'POST', `/api/v1/admin/members/${alice.id}/unfreeze`, { reason: 'x' });
    expect([notFrozen.statusCode, notFrozen.json().error.code]).toEqual([409, 'MEMBER_NOT_FROZEN']);
  });

  it('shows the request in the queue to whom may decide it, and counts it on their workbench', async () => {
    const queue = await call(risk2, 'GET', '/api/v1/admin/approvals?status=pending');
    expect(queue.json().items).toEqual([
      expect.objectContaining({
        id: approvalId,
        kind: 'member.unfreeze',
        kindName: 'Unfreeze a member',
        targetId: carol.id,
        note: 'Cleared',
        maker: expect.objectContaining({ id: risk.id }),
        canDecide: true,
        canCancel: false,
      }),
    ]);
    const own = await call(risk, 'GET', '/api/v1/admin/approvals?status=pending');
    expect(own.json().items[0]).toMatchObject({ canDecide: false, canCancel: true });
    // Finance may decide approvals, but not of this kind: it does not see it.
    expect((await call(finance, 'GET', '/api/v1/admin/approvals')).json().items).toEqual([]);
    expect((await call(risk2, 'GET', '/api/v1/admin/workbench')).json()).toEqual({ pendingApprovals: 1 });
    expect((await call(risk, 'GET', '/api/v1/admin/workbench')).json()).toEqual({ pendingApprovals: 0 });
  });

  it('refuses the maker as checker, a checker without the kind’s permission, and a rejection without reason', async () => {
    const url = `/api/v1/admin/approvals/${approvalId}/decision`;
    const maker = await call(risk, 'POST', url, { decision: 'approve' });
    expect([maker.statusCode, maker.json().error.code]).toEqual([422, 'APPROVAL_MAKER_CANNOT_DECIDE']);
    const financeTry = await call(finance, 'POST', url, { decision: 'approve' });
    expect([financeTry.statusCode, financeTry.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const noReason = await call(risk2, 'POST', url, { decision: 'reject' });
    expect([noReason.statusCode, noReason.json().error.code]).toEqual([400, 'APPROVAL_REASON_REQUIRED']);
    const badDecision = await call(risk2, 'POST', url, { decision: 'maybe' });
    expect(badDecision.statusCode).toBe(400);
    const unknown = await call(risk2, 'POST', '/api/v1/admin/approvals/apr_nope/decision', { decision: 'approve' });
    expect(unknown.statusCode).toBe(404);
    const member = await call(risk, 'GET', `/api/v1/admin/members/${carol.id}`);
    expect(member.json().status).toBe('frozen');
  });

  it('a second person approves: the member is active again, once', async () => {
    const url = `/api/v1/admin/approvals/${approvalId}/decision`;
    const res = await call(risk2, 'POST', url, { decision: 'approve', reason: 'Checked the documents' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', checker: { id: risk2.id }, canDecide: false });
    const member = await call(risk, 'GET', `/api/v1/admin/members/${carol.id}`);
    expect(member.json()).toMatchObject({ status: 'active', statusReason: null, pendingUnfreezeId: null });

    const twice = await call(admin, 'POST', url, { decision: 'reject', reason: 'too late' });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'APPROVAL_ALREADY_DECIDED']);

    const violations = await call(service, 'GET', `/api/v1/admin/members/${carol.id}/violations`);
    expect(violations.json().items.map((v: { action: string }) => v.action)).toEqual(['unfreeze', 'freeze']);
    const audit = await call(admin, 'GET', `/api/v1/admin/audit-log?targetId=${carol.id}&action=member.unfrozen`);
    expect(audit.json().items[0]).toMatchObject({
      actorId: risk2.id,
      before: { status: 'frozen' },
      after: { status: 'active' },
      detail: { approvalId, makerId: risk.id },
    });
    const approvals = await call(admin, 'GET', `/api/v1/admin/audit-log?action=approval.&targetId=${approvalId}`);
    expect(approvals.json().items.map((e: { action: string }) => e.action)).toEqual([
      'approval.approved',
      'approval.requested',
    ]);
  });

  it('two concurrent decisions: exactly one wins, the other gets 409', async () => {
    await call(risk, 'POST', `/api/v1/admin/members/${carol.id}/freeze`, { reason: 'Again' });
    const req = await call(risk, 'POST', `/api/v1/admin/members/${carol.id}/unfreeze`, { reason: 'OK now' });
    const url = `/api/v1/admin/approvals/${req.json().approvalId}/decision`;
    const answers = await Promise.all([
      call(risk2, 'POST', url, { decision: 'approve' }),
      call(admin, 'POST', url, { decision: 'reject', reason: 'No' }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
  });

  it('when the action cannot apply any more, the approval is refused and the request stays pending', async () => {
    const erin = await signedInCustomer(t);
    await call(risk, 'POST', `/api/v1/admin/members/${erin.id}/freeze`, { reason: 'Check' });
    const req = (await call(risk, 'POST', `/api/v1/admin/members/${erin.id}/unfreeze`, { reason: 'OK' })).json();
    // Something else made the member active meanwhile (here: directly in the database).
    await t.database.db.updateTable('users').set({ status: 'active' }).where('id', '=', erin.id).execute();
    const res = await call(risk2, 'POST', `/api/v1/admin/approvals/${req.approvalId}/decision`, {
      decision: 'approve',
    });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'MEMBER_NOT_FROZEN']);
    const queue = await call(risk2, 'GET', `/api/v1/admin/approvals?targetId=${erin.id}`);
    expect(queue.json().items[0]).toMatchObject({ id: req.approvalId, status: 'pending', checker: null });
    const violations = await call(risk, 'GET', `/api/v1/admin/members/${erin.id}/violations`);
    expect(violations.json().items.map((v: { action: string }) => v.action)).toEqual(['freeze']);
  });

  it('a rejected or cancelled request changes nothing; only the maker cancels', async () => {
    const dave = await signedInCustomer(t);
    await call(risk, 'POST', `/api/v1/admin/members/${dave.id}/freeze`, { reason: 'Abuse' });
    const first = (await call(risk, 'POST', `/api/v1/admin/members/${dave.id}/unfreeze`, { reason: 'r1' })).json();
    const rejected = await call(risk2, 'POST', `/api/v1/admin/approvals/${first.approvalId}/decision`, {
      decision: 'reject',
      reason: 'Not yet',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: 'Not yet' });
    const second = (await call(risk, 'POST', `/api/v1/admin/members/${dave.id}/unfreeze`, { reason: 'r2' })).json();
    const notMine = await call(risk2, 'POST', `/api/v1/admin/approvals/${second.approvalId}/cancellation`, {});
    expect([notMine.statusCode, notMine.json().error.code]).toEqual([422, 'APPROVAL_ONLY_MAKER_CANCELS']);
    const cancelled = await call(risk, 'POST', `/api/v1/admin/approvals/${second.approvalId}/cancellation`, {});
    expect(cancelled.json().status).toBe('cancelled');
    const member = await call(risk, 'GET', `/api/v1/admin/members/${dave.id}`);
    expect(member.json().status).toBe('frozen');
  });
});

describe('VIP points', () => {
  it('adds and deducts points with a reason; the level follows; never below zero', async () => {
    const url = `/api/v1/admin/members/${bob.id}/points`;
    const add = await call(risk, 'POST', url, { deltaPoints: 1500, reason: 'Campaign' });
    expect(add.json()).toMatchObject({
      points: 1500,
      level: { level: 1, name: 'Silver' },
      next: { pointsNeeded: 3500 },
    });
    const tooMuch = await call(risk, 'POST', url, { deltaPoints: -2000, reason: 'Correction' });
    expect([tooMuch.statusCode, tooMuch.json().error.code]).toEqual([422, 'POINTS_INSUFFICIENT']);
    expect((await call(risk, 'POST', url, { deltaPoints: 0, reason: 'x' })).statusCode).toBe(400);
    expect((await call(risk, 'POST', url, { deltaPoints: 1.5, reason: 'x' })).statusCode).toBe(400);
    expect((await call(risk, 'POST', url, { deltaPoints: '10', reason: 'x' })).statusCode).toBe(400);
    expect((await call(risk, 'POST', url, { deltaPoints: 10_000_000, reason: 'x' })).statusCode).toBe(400);
    const member = await call(service, 'GET', `/api/v1/admin/members/${bob.id}`);
    expect(member.json().vip).toMatchObject({ points: 1500, level: { level: 1 } });
  });
});

describe('in-site messages', () => {
  it('staff send, the member reads and marks read; another member cannot', async () => {
    const sent = await call(risk, 'POST', `/api/v1/admin/members/${alice.id}/messages`, {
      title: '账户提醒',
      body: '请完成实名认证。',
    });
    expect(sent.statusCode).toBe(201);
    const id = sent.json().id;
    const mine = await call(alice, 'GET', '/api/v1/me/messages');
    expect(mine.json()).toMatchObject({ unreadCount: 1, items: [{ id, title: '账户提醒', readAt: null }] });
    expect((await call(bob, 'GET', '/api/v1/me/messages')).json().items).toEqual([]);

    const stolen = await call(bob, 'POST', `/api/v1/me/messages/${id}/read`);
    expect([stolen.statusCode, stolen.json().error.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    const read = await call(alice, 'POST', `/api/v1/me/messages/${id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    const again = await call(alice, 'POST', `/api/v1/me/messages/${id}/read`);
    expect(again.json().readAt).toBe(read.json().readAt);
    expect((await call(alice, 'GET', '/api/v1/me/messages')).json().unreadCount).toBe(0);
    expect((await call(alice, 'POST', '/api/v1/me/messages/msg_nope/read')).statusCode).toBe(404);

    const staffView = await call(service, 'GET', `/api/v1/admin/members/${alice.id}/messages`);
    expect(staffView.json().items[0]).toMatchObject({ id, readAt: read.json().readAt });
    expect(
      (await call(service, 'POST', `/api/v1/admin/members/${alice.id}/messages`, { title: 'x', body: 'y' })).statusCode,
    ).toBe(403);
    expect(
      (await call(risk, 'POST', '/api/v1/admin/members/usr_nope/messages', { title: 'x', body: 'y' })).statusCode,
    ).toBe(404);
    expect(
      (await call(risk, 'POST', `/api/v1/admin/members/${alice.id}/messages`, { title: '', body: 'y' })).statusCode,
    ).toBe(400);
    expect((await call(admin, 'GET', '/api/v1/me/messages')).statusCode).toBe(401);
  });
});

describe('the SMS outbox', () => {
  it('lists messages with masked phones and starred codes, found by full phone', async () => {
    const cipher = t.app.cipher;
    await t.database.db
      .insertInto('sms_messages')
      .values({
        id: randomUUID(),
        phone_hash: phoneHash(cipher, alice.phone),
        phone_masked: maskPhone(alice.phone),
        phone_cipher: cipher.encrypt(alice.phone, 'user.phone'),
        purpose: 'login',
        body: '【借贷厅】您的验证码是 482913，5 分钟内有效。',
        provider: 'outbox',
        status: 'sent',
      })
      .execute();
    const res = await call(service, 'GET', `/api/v1/admin/sms-messages?phone=${alice.phone}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        phoneMasked: maskPhone(alice.phone),
        purpose: 'login',
        body: '【借贷厅】您的验证码是 ******，5 分钟内有效。',
      }),
    ]);
    expect(JSON.stringify(res.json())).not.toContain(alice.phone);
    expect((await call(service, 'GET', `/api/v1/admin/sms-messages?phone=${bob.phone}`)).json().items).toEqual([]);
    expect((await call(service, 'GET', '/api/v1/admin/sms-messages?phone=123')).statusCode).toBe(400);
    expect((await call(risk, 'GET', '/api/v1/admin/sms-messages')).statusCode).toBe(403);
  });
});

describe('the audit log viewer', () => {
  it('pages newest first and filters; refuses bad filters', async () => {
    const page1 = await call(admin, 'GET', '/api/v1/admin/audit-log?limit=2');
    expect(page1.json().items).toHaveLength(2);
    const [a, b] = page1.json().items;
    expect(Number(a.id)).toBeGreaterThan(Number(b.id));
    const page2 = await call(admin, 'GET', `/api/v1/admin/audit-log?limit=2&cursor=${page1.json().nextCursor}`);
    expect(Number(page2.json().items[0].id)).toBeLessThan(Number(b.id));

    const byActor = await call(admin, 'GET', `/api/v1/admin/audit-log?actorKind=staff&actorId=${risk2.id}`);
    expect(byActor.json().items.every((e: { actorId: string }) => e.actorId === risk2.id)).toBe(true);
    expect(byActor.json().items[0].actorName).toContain(risk2.username);

    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const dated = await call(admin, 'GET', `/api/v1/admin/audit-log?from=${today}&to=${today}&limit=100`);
    expect(dated.json().items.length).toBeGreaterThan(0);
    const past = await call(admin, 'GET', '/api/v1/admin/audit-log?from=2000-01-01&to=2000-01-02');
    expect(past.json().items).toEqual([]);

    for (const bad of ['limit=101', 'cursor=zzz', 'from=yesterday', 'actorKind=robot', 'action=DROP%20TABLE']) {
      expect((await call(admin, 'GET', `/api/v1/admin/audit-log?${bad}`)).statusCode, bad).toBe(400);
    }
  });
});
