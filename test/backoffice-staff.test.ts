import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/platform/totp.ts';
import { signedInStaff, type TestStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
let admin: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInStaff(t, ['super_admin']);
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

async function roleId(code: string): Promise<string> {
  const res = await call(admin, 'GET', '/api/v1/admin/roles');
  const role = res.json().items.find((r: { code: string }) => r.code === code);
  return role.id;
}

describe('staff accounts', () => {
  it('creates a staff member with a temporary password that must be changed at first sign-in', async () => {
    const org = await call(admin, 'POST', '/api/v1/admin/organisations', { nameZh: '风控部', nameEn: 'Risk' });
    expect(org.statusCode).toBe(201);
    const res = await call(admin, 'POST', '/api/v1/admin/staff', {
      username: 'new.checker',
      displayName: '新员工',
      roleIds: [await roleId('risk_officer')],
      organisationId: org.json().id,
    });
    expect(res.statusCode).toBe(201);
    const { staff, temporaryPassword } = res.json();
    expect(staff).toMatchObject({
      username: 'new.checker',
      status: 'active',
      mustChangePassword: true,
      totpEnabled: false,
      organisation: { nameEn: 'Risk' },
      roles: [{ code: 'risk_officer' }],
    });
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/auth/login',
      payload: { username: 'new.checker', password: temporaryPassword },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().staff).toMatchObject({ stage: 'setup', mustChangePassword: true });

    const list = await call(admin, 'GET', '/api/v1/admin/staff?q=checker');
    expect(list.json().items.map((s: { username: string }) => s.username)).toEqual(['new.checker']);

    const audit = await call(admin, 'GET', `/api/v1/admin/audit-log?action=staff.created&targetId=${staff.id}`);
    expect(audit.json().items[0]).toMatchObject({
      actorId: admin.id,
      after: { username: 'new.checker', roles: ['risk_officer'] },
    });
    expect(JSON.stringify(audit.json())).not.toContain(temporaryPassword);
  });

  it('refuses bad input: taken or malformed username, unknown role or organisation', async () => {
    const base = { username: 'someone', displayName: 'X', roleIds: [] as string[] };
    const taken = await call(admin, 'POST', '/api/v1/admin/staff', { ...base, username: admin.username });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'USERNAME_TAKEN']);
    const malformed = await call(admin, 'POST', '/api/v1/admin/staff', { ...base, username: 'A b' });
    expect([malformed.statusCode, malformed.json().error.details.field]).toEqual([400, 'username']);
    const role = await call(admin, 'POST', '/api/v1/admin/staff', { ...base, roleIds: ['role_nope'] });
    expect([role.statusCode, role.json().error.code]).toEqual([400, 'UNKNOWN_ROLE']);
    const org = await call(admin, 'POST', '/api/v1/admin/staff', { ...base, organisationId: 'org_nope' });
    expect([org.statusCode, org.json().error.code]).toEqual([400, 'UNKNOWN_ORGANISATION']);
    const extra = await call(admin, 'POST', '/api/v1/admin/staff', { ...base, password: 'x' });
    expect(extra.statusCode).toBe(400);
    const unknown = await call(admin, 'PATCH', '/api/v1/admin/staff/stf_nope', { displayName: 'X' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'STAFF_NOT_FOUND']);
    const empty = await call(admin, 'PATCH', `/api/v1/admin/staff/${admin.id}`, {});
    expect(empty.statusCode).toBe(400);
  });

  it('edits name, organisation and roles; disabling signs the account out', async () => {
    const other = await signedInStaff(t, ['customer_service']);
    const res = await call(admin, 'PATCH', `/api/v1/admin/staff/${other.id}`, {
      displayName: '客服 新名',
      roleIds: [await roleId('customer_service'), await roleId('operator')],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().roles.map((r: { code: string }) => r.code)).toEqual(['customer_service', 'operator']);
    const me = await call(other, 'GET', '/api/v1/admin/me');
    expect(me.json().permissions).toContain('system.parameters');

    const disabled = await call(admin, 'PATCH', `/api/v1/admin/staff/${other.id}`, { status: 'disabled' });
    expect(disabled.json().status).toBe('disabled');
    expect((await call(other, 'GET', '/api/v1/admin/me')).statusCode).toBe(401);
    const audit = await call(admin, 'GET', `/api/v1/admin/audit-log?action=staff.updated&targetId=${other.id}`);
    expect(audit.json().items[0]).toMatchObject({ before: { status: 'active' }, after: { status: 'disabled' } });
  });

  it('refuses to disable yourself', async () => {
    const res = await call(admin, 'PATCH', `/api/v1/admin/staff/${admin.id}`, { status: 'disabled' });
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'CANNOT_DISABLE_SELF']);
  });

  it('never lets a staff manager grant or manage permissions they do not hold', async () => {
    const role = await call(admin, 'POST', '/api/v1/admin/roles', {
      code: 'hr',
      nameZh: '人事',
      nameEn: 'HR',
      permissions: ['staff.read', 'staff.manage'],
    });
    expect(role.statusCode).toBe(201);
    const hr = await signedInStaff(t, ['hr']);
    const grant = await call(hr, 'POST', '/api/v1/admin/staff', {
      username: 'sneaky',
      displayName: 'S',
      roleIds: [await roleId('super_admin')],
    });
    expect([grant.statusCode, grant.json().error.code]).toEqual([403, 'PERMISSION_NOT_HELD']);
    const self = await call(hr, 'PATCH', `/api/v1/admin/staff/${hr.id}`, { roleIds: [await roleId('super_admin')] });
    expect(self.statusCode).toBe(403);
    const reset = await call(hr, 'POST', `/api/v1/admin/staff/${admin.id}/password-reset`);
    expect([reset.statusCode, reset.json().error.code]).toEqual([403, 'PERMISSION_NOT_HELD']);
    const ok = await call(hr, 'POST', '/api/v1/admin/staff', {
      username: 'hr.assistant',
      displayName: 'HR assistant',
      roleIds: [await roleId('hr')],
    });
    expect(ok.statusCode).toBe(201);
  });

  it('resets a password: new temporary password, authenticator reset, sessions ended', async () => {
    const other = await signedInStaff(t, ['finance']);
    const res = await call(admin, 'POST', `/api/v1/admin/staff/${other.id}/password-reset`);
    expect(res.statusCode).toBe(200);
    const { temporaryPassword } = res.json();
    expect((await call(other, 'GET', '/api/v1/admin/me')).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/auth/login',
      payload: { username: other.username, password: temporaryPassword },
    });
    // No authenticator code is asked for: it must be enrolled again.
    expect(login.statusCode).toBe(200);
    expect(login.json().staff).toMatchObject({ stage: 'setup', mustChangePassword: true, totpEnabled: false });
    const oldCode = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/auth/login',
      payload: {
        username: other.username,
        password: temporaryPassword,
        totpCode: totpCode(other.totpSecret, Date.now()),
      },
    });
    expect(oldCode.json().staff.totpEnabled).toBe(false);

    const self = await call(admin, 'POST', `/api/v1/admin/staff/${admin.id}/password-reset`);
    expect([self.statusCode, self.json().error.code]).toEqual([422, 'CANNOT_RESET_SELF']);
    const unknown = await call(admin, 'POST', '/api/v1/admin/staff/stf_nope/password-reset');
    expect(unknown.statusCode).toBe(404);
  });
});

describe('the last super admin', () => {
  it('cannot be disabled or lose the role, but one of two can', async () => {
    const own = await createTestApp();
    try {
      const a = await signedInStaff(own, ['super_admin']);
      const b = await signedInStaff(own, ['super_admin']);
      const roles = await own.app.inject({ method: 'GET', url: '/api/v1/admin/roles', headers: a.headers });
      const operator = roles.json().items.find((r: { code: string }) => r.code === 'operator').id;
      const patch = (who: TestStaff, id: string, body: object) =>
        own.app.inject({ method: 'PATCH', url: `/api/v1/admin/staff/${id}`, headers: who.headers, payload: body });

      expect((await patch(a, b.id, { roleIds: [operator] })).statusCode).toBe(200);
      const demoteSelf = await patch(a, a.id, { roleIds: [operator] });
      expect([demoteSelf.statusCode, demoteSelf.json().error.code]).toEqual([422, 'LAST_SUPER_ADMIN']);
      // b is an operator now and cannot touch a super admin at all.
      const byOperator = await patch(b, a.id, { status: 'disabled' });
      expect(byOperator.statusCode).toBe(403);
      const still = await own.app.inject({ method: 'GET', url: `/api/v1/admin/staff/${a.id}`, headers: a.headers });
      expect(still.json()).toMatchObject({ status: 'active', roles: [{ code: 'super_admin' }] });
    } finally {
      await own.close();
    }
  });
});

describe('roles and permissions', () => {
  it('lists the permission catalogue in both languages', async () => {
    const res = await call(admin, 'GET', '/api/v1/admin/permissions');
    expect(res.json().items).toContainEqual({
      code: 'members.manage',
      group: 'members',
      nameZh: expect.stringContaining('冻结'),
      nameEn: expect.stringContaining('freeze'),
    });
  });

  it('creates, edits and deletes a custom role; built-in roles are read-only', async () => {
    const created = await call(admin, 'POST', '/api/v1/admin/roles', {
      code: 'auditor',
      nameZh: '审计',
      nameEn: 'Auditor',
      permissions: ['audit.read'],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const dup = await call(admin, 'POST', '/api/v1/admin/roles', {
      code: 'auditor',
      nameZh: 'x',
      nameEn: 'x',
      permissions: [],
    });
    expect([dup.statusCode, dup.json().error.code]).toEqual([409, 'ROLE_CODE_TAKEN']);
    const unknownPermission = await call(admin, 'POST', '/api/v1/admin/roles', {
      code: 'odd',
      nameZh: 'x',
      nameEn: 'x',
      permissions: ['everything'],
    });
    expect(unknownPermission.statusCode).toBe(400);

    const edited = await call(admin, 'PUT', `/api/v1/admin/roles/${id}`, {
      nameZh: '审计员',
      nameEn: 'Auditor',
      permissions: ['audit.read', 'staff.read'],
    });
    expect(edited.json()).toMatchObject({ nameZh: '审计员', permissions: ['staff.read', 'audit.read'] });

    const builtin = await roleId('finance');
    const editBuiltin = await call(admin, 'PUT', `/api/v1/admin/roles/${builtin}`, {
      nameZh: '财务',
      nameEn: 'Finance',
      permissions: ['audit.read'],
    });
    expect([editBuiltin.statusCode, editBuiltin.json().error.code]).toEqual([422, 'BUILTIN_ROLE_READ_ONLY']);
    const deleteBuiltin = await call(admin, 'DELETE', `/api/v1/admin/roles/${builtin}`);
    expect([deleteBuiltin.statusCode, deleteBuiltin.json().error.code]).toEqual([422, 'BUILTIN_ROLE_READ_ONLY']);

    const holder = await signedInStaff(t, ['auditor']);
    const inUse = await call(admin, 'DELETE', `/api/v1/admin/roles/${id}`);
    expect([inUse.statusCode, inUse.json().error.code]).toEqual([409, 'ROLE_IN_USE']);
    await call(admin, 'PATCH', `/api/v1/admin/staff/${holder.id}`, { roleIds: [] });
    expect((await call(admin, 'DELETE', `/api/v1/admin/roles/${id}`)).statusCode).toBe(204);
    expect((await call(admin, 'DELETE', `/api/v1/admin/roles/${id}`)).statusCode).toBe(404);
    expect(
      (await call(admin, 'PUT', '/api/v1/admin/roles/role_nope', { nameZh: 'x', nameEn: 'x', permissions: [] }))
        .statusCode,
    ).toBe(404);
  });
});

describe('organisations', () => {
  it('builds a tree and refuses cycles, unknown parents and ids', async () => {
    const post = (body: object) => call(admin, 'POST', '/api/v1/admin/organisations', body);
    const head = (await post({ nameZh: '总部', nameEn: 'Head office' })).json();
    const ops = (await post({ nameZh: '运营部', nameEn: 'Operations', parentId: head.id })).json();
    const team = (await post({ nameZh: '客服组', nameEn: 'Service team', parentId: ops.id })).json();
    expect(team.parentId).toBe(ops.id);

    const cycle = await call(admin, 'PATCH', `/api/v1/admin/organisations/${head.id}`, { parentId: team.id });
    expect([cycle.statusCode, cycle.json().error.code]).toEqual([422, 'ORGANISATION_CYCLE']);
    const selfParent = await call(admin, 'PATCH', `/api/v1/admin/organisations/${ops.id}`, { parentId: ops.id });
    expect(selfParent.statusCode).toBe(422);
    const unknownParent = await post({ nameZh: 'x', nameEn: 'x', parentId: 'org_nope' });
    expect([unknownParent.statusCode, unknownParent.json().error.code]).toEqual([400, 'UNKNOWN_ORGANISATION']);
    const unknown = await call(admin, 'PATCH', '/api/v1/admin/organisations/org_nope', { nameZh: 'x' });
    expect(unknown.statusCode).toBe(404);
    const blank = await post({ nameZh: '   ', nameEn: 'x' });
    expect(blank.statusCode).toBe(400);

    const moved = await call(admin, 'PATCH', `/api/v1/admin/organisations/${team.id}`, { parentId: null });
    expect(moved.json().parentId).toBeNull();
    const list = await call(admin, 'GET', '/api/v1/admin/organisations');
    expect(list.json().items.map((o: { id: string }) => o.id)).toEqual(
      expect.arrayContaining([head.id, ops.id, team.id]),
    );
  });
});
