import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createStaff } from '../src/modules/backoffice/index.ts';
import { BUILTIN_ROLES } from '../src/platform/auth/permissions.ts';
import { totpCode } from '../src/platform/totp.ts';
import { STAFF_TEST_PASSWORD, signedInStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp, testConfig } from './helpers/test-app.ts';
import { createTestDatabase } from './helpers/test-db.ts';

/** A back-office probe route needing `audit.read`. */
const probe: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/v1/admin/test/probe',
    { config: { permission: 'audit.read' }, schema: { operationId: 'testAdminProbe' } },
    async () => ({
      ok: true,
    }),
  );
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ plugins: [probe] });
});
afterAll(async () => t?.close());

function cookieJar(setCookie: string | string[] | undefined): { cookie: string; csrf: string } {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const pairs = list.map((c) => c.split(';')[0] ?? '');
  const csrf = pairs.find((p) => p.startsWith('staff_csrf_token='))?.split('=')[1] ?? '';
  return { cookie: pairs.join('; '), csrf };
}

const login = (body: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/auth/login',
    payload: body,
    headers: { 'accept-language': 'en' },
  });

describe('first sign-in of a new staff member', () => {
  it('must change the password and enrol TOTP before doing anything else', async () => {
    await createStaff(t.database.db, {
      username: 'newbie',
      displayName: 'New',
      password: 'Temporary-1',
      roleCodes: ['super_admin'],
    });
    const res = await login({ username: 'newbie', password: 'Temporary-1' });
    expect(res.statusCode).toBe(200);
    const { token, staff } = res.json();
    expect(staff).toMatchObject({ stage: 'setup', mustChangePassword: true, totpEnabled: false });
    const auth = { authorization: `Bearer ${token}` };

    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/admin/test/probe', headers: auth });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('STAFF_SETUP_REQUIRED');

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/me/password',
      headers: auth,
      payload: { currentPassword: 'Temporary-1', newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    const wrongCurrent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/me/password',
      headers: auth,
      payload: { currentPassword: 'nope', newPassword: 'Much-better-2026' },
    });
    expect(wrongCurrent.statusCode).toBe(401);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/me/password',
      headers: auth,
      payload: { currentPassword: 'Temporary-1', newPassword: 'Much-better-2026' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ mustChangePassword: false, stage: 'setup' });

    const enrol = await t.app.inject({ method: 'POST', url: '/api/v1/admin/me/totp/enrolment', headers: auth });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = enrol.json();
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const badCode = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/me/totp/confirmation',
      headers: auth,
      payload: { code: '000000' },
    });
    expect(badCode.statusCode).toBe(401);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/me/totp/confirmation',
      headers: auth,
      payload: { code: totpCode(secret, Date.now()) },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ stage: 'full', totpEnabled: true });
    const allowed = await t.app.inject({ method: 'GET', url: '/api/v1/admin/test/probe', headers: auth });
    expect(allowed.statusCode).toBe(200);
  });
});

describe('signing in with password and authenticator code', () => {
  it('asks for the code, refuses a wrong one and a replayed one', async () => {
    const s = await signedInStaff(t, ['finance']);
    const noCode = await login({ username: s.username, password: STAFF_TEST_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error).toMatchObject({
      code: 'TOTP_REQUIRED',
      message: 'Please enter your authenticator code',
    });
    const current = totpCode(s.totpSecret, Date.now());
    const wrong = await login({
      username: s.username,
      password: STAFF_TEST_PASSWORD,
      totpCode: current === '123456' ? '654321' : '123456',
    });
    expect(wrong.json().error.code).toBe('TOTP_INVALID');
    const code = totpCode(s.totpSecret, Date.now());
    const ok = await login({ username: s.username, password: STAFF_TEST_PASSWORD, totpCode: code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().staff).toMatchObject({
      stage: 'full',
      permissions: [...(BUILTIN_ROLES.find((r) => r.code === 'finance')?.permissions ?? [])].sort(),
    });
    const replay = await login({ username: s.username, password: STAFF_TEST_PASSWORD, totpCode: code });
    expect(replay.json().error.code).toBe('TOTP_INVALID');
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const s = await signedInStaff(t, []);
    const unknown = await login({ username: 'nobody-here', password: 'x' });
    const wrong = await login({ username: s.username, password: 'wrong-password-1' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error).toEqual(
      expect.objectContaining({ code: 'INVALID_CREDENTIALS', message: wrong.json().error.message }),
    );
  });

  it('locks the account for 15 minutes after 5 failures, even for the right password', async () => {
    const s = await signedInStaff(t, []);
    const codes = [];
    for (let i = 0; i < 5; i++)
      codes.push((await login({ username: s.username, password: `wrong-${i}-pass` })).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const right = await login({
      username: s.username,
      password: STAFF_TEST_PASSWORD,
      totpCode: totpCode(s.totpSecret, Date.now()),
    });
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('records sign-ins, refused and accepted, in the audit log', async () => {
    const rows = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.login').execute();
    expect(rows.some((r) => r.outcome === 'refused')).toBe(true);
    expect(rows.some((r) => r.outcome === 'ok' && r.actor_kind === 'staff')).toBe(true);
    await expect(t.database.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('rejects malformed input with 400', async () => {
    const res = await login({ username: 'a', password: 'b', totpCode: '12ab56' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('totpCode');
  });
});

describe('sessions in cookies', () => {
  it('sets httpOnly session and readable CSRF cookies; writes need the CSRF header', async () => {
    const s = await signedInStaff(t, ['risk_officer']);
    const res = await login({
      username: s.username,
      password: STAFF_TEST_PASSWORD,
      totpCode: totpCode(s.totpSecret, Date.now()),
    });
    const setCookie = res.headers['set-cookie'];
    const list = Array.isArray(setCookie) ? setCookie : [String(setCookie)];
    expect(list.find((c) => c.startsWith('lh_staff_session='))).toMatch(/HttpOnly/i);
    expect(list.find((c) => c.startsWith('lh_staff_session='))).toMatch(/SameSite=Strict/i);
    expect(list.find((c) => c.startsWith('staff_csrf_token='))).not.toMatch(/HttpOnly/i);
    const jar = cookieJar(setCookie);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/admin/me', headers: { cookie: jar.cookie } });
    expect(me.statusCode).toBe(200);
    const probeRes = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/test/probe',
      headers: { cookie: jar.cookie },
    });
    expect(probeRes.statusCode).toBe(200);

    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/auth/logout',
      headers: { cookie: jar.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const badCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/auth/logout',
      headers: { cookie: jar.cookie, 'x-csrf-token': 'nope' },
    });
    expect(badCsrf.statusCode).toBe(403);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/auth/logout',
      headers: { cookie: jar.cookie, 'x-csrf-token': jar.csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/admin/me', headers: { cookie: jar.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('refuses missing, unknown and expired tokens', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/me' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/admin/me', headers: { authorization: 'Bearer nope' } }))
        .statusCode,
    ).toBe(401);
    const s = await signedInStaff(t, ['super_admin']);
    await t.database.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 16 * 60_000) })
      .where('subject_id', '=', s.id)
      .execute();
    const idle = await t.app.inject({ method: 'GET', url: '/api/v1/admin/me', headers: s.headers });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('answers 403 FORBIDDEN to staff without the route’s permission', async () => {
    const s = await signedInStaff(t, ['reviewer']);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/test/probe', headers: s.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });
});

describe('route declarations', () => {
  it('refuses to start when a back-office route declares no permission', async () => {
    const database = await createTestDatabase();
    const careless: FastifyPluginAsync = async (app) => {
      app.get('/api/v1/admin/careless', async () => ({}));
    };
    try {
      await expect(buildApp(testConfig(), { database, plugins: [careless] })).rejects.toThrow(
        /must declare config.permission/,
      );
    } finally {
      await database.close();
    }
  });
});
