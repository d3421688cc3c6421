import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../src/platform/auth/auth.plugin.ts';
import { BUILTIN_ROLES } from '../src/platform/auth/permissions.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { signedInCustomer, type TestCustomer } from './helpers/customers.ts';
import { signedInStaff } from './helpers/staff.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

/**
 * The permission matrix (issue 4): every back-office route, present and future, is called as every
 * built-in role, as a customer and as nobody. A caller is "let through" when the answer is neither 401
 * nor 403: with placeholder ids and empty bodies that is usually 400 or 404, which is fine, because what
 * is checked is the access rule, not the action. The set let through must equal the declared one.
 */

const PLACEHOLDER = 'zz_matrix_placeholder';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

let t: TestApp;
let customer: TestCustomer;
const staffByRole = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  customer = await signedInCustomer(t);
  for (const role of BUILTIN_ROLES) staffByRole.set(role.code, (await signedInStaff(t, [role.code])).id);
});
afterAll(async () => t?.close());

function adminRoutes(): RouteAccess[] {
  return t.app.routeAccess.filter((r) => r.url.startsWith('/api/v1/admin'));
}

/** The route's path with every parameter (`:id`, `*`) replaced by a placeholder. */
function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, PLACEHOLDER).replace(/\*/g, PLACEHOLDER);
}

type Caller = { kind: 'staff'; role: string } | { kind: 'customer' } | { kind: 'nobody' };

function declaredAllowed(route: RouteAccess, caller: Caller): boolean {
  if (route.auth === 'public') return true;
  if (caller.kind !== 'staff') return false;
  if (route.auth === 'staff_setup') return true;
  if (route.auth !== 'staff') return false;
  const role = BUILTIN_ROLES.find((r) => r.code === caller.role);
  return route.permission !== undefined && (role?.permissions.includes(route.permission) ?? false);
}

async function headersFor(caller: Caller): Promise<Record<string, string>> {
  if (caller.kind === 'nobody') return {};
  if (caller.kind === 'customer') return customer.headers;
  // A fresh session per call: some routes (sign-out) end the session they are called with.
  const staffId = staffByRole.get(caller.role)!;
  const session = await createSession(t.database.db, { subjectKind: 'staff', subjectId: staffId, stage: 'full' });
  return { authorization: `Bearer ${session.token}` };
}

async function letThrough(route: RouteAccess, caller: Caller): Promise<{ allowed: boolean; status: number }> {
  const res = await t.app.inject({
    method: route.method as 'GET',
    url: concreteUrl(route.url),
    headers: { ...(await headersFor(caller)), 'accept-language': 'en' },
    ...(WRITE_METHODS.has(route.method) ? { payload: {} } : {}),
  });
  return { allowed: res.statusCode !== 401 && res.statusCode !== 403, status: res.statusCode };
}

describe('the permission matrix of the back office', () => {
  it('knows the back-office routes and every one declares its access', () => {
    const routes = adminRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) {
      if (r.auth === 'staff') expect(r.permission, `${r.method} ${r.url}`).toBeDefined();
    }
  });

  const callers: Caller[] = [
    ...BUILTIN_ROLES.map((r) => ({ kind: 'staff' as const, role: r.code })),
    { kind: 'customer' },
    { kind: 'nobody' },
  ];
  for (const caller of callers) {
    const name = caller.kind === 'staff' ? `the ${caller.role} role` : `a ${caller.kind}`;
    it(`lets ${name} through exactly the routes declared for it`, async () => {
      const mismatches: string[] = [];
      for (const route of adminRoutes()) {
        const expected = declaredAllowed(route, caller);
        const got = await letThrough(route, caller);
        // Placeholder ids and empty bodies are bad input: a 500 would be a bug hiding behind "allowed".
        if (got.status >= 500) mismatches.push(`${route.method} ${route.url}: answered ${got.status}`);
        if (got.allowed !== expected) {
          mismatches.push(
            `${route.method} ${route.url} (${route.permission ?? route.auth}): ` +
              `expected ${expected ? 'allowed' : 'refused'}, got ${got.status}`,
          );
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('answers 401 without a session and 403 with a staff session lacking the permission', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/audit-log' });
    expect(res.statusCode).toBe(401);
    const finance = await headersFor({ kind: 'staff', role: 'finance' });
    const refused = await t.app.inject({ method: 'GET', url: '/api/v1/admin/audit-log', headers: finance });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'audit.read' } });
  });
});
