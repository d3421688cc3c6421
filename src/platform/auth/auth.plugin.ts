import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { CommonError, defineErrors } from '../errors.ts';
import { isPermission, type Permission } from './permissions.ts';
import { resolveSession, type Session, type SubjectKind } from './sessions.ts';

/** Who may call a route: anyone, a signed-in customer, a signed-in staff member (see `permission`). */
export type RouteAuth = 'public' | 'customer' | 'staff' | 'staff_setup';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Default: 'public' outside /api/v1/me and /api/v1/admin; 'customer' under /api/v1/me; 'staff' under /api/v1/admin. */
    auth?: RouteAuth;
    /** The one permission a staff route requires; every /api/v1/admin route must declare it. */
    permission?: Permission;
  }
  interface FastifyRequest {
    customer: CustomerPrincipal | null;
    staff: StaffPrincipal | null;
  }
  interface FastifyInstance {
    /** Every route with who may call it (for the permission-matrix test and the docs). */
    readonly routeAccess: readonly RouteAccess[];
  }
}

export interface RouteAccess {
  readonly method: string;
  readonly url: string;
  readonly auth: RouteAuth;
  readonly permission: Permission | undefined;
}

export interface CustomerPrincipal {
  readonly id: string;
  readonly session: Session;
}

export interface StaffPrincipal {
  readonly id: string;
  readonly session: Session;
  readonly permissions: ReadonlySet<Permission>;
}

export const AuthError = defineErrors({
  CSRF_TOKEN_INVALID: {
    status: 403,
    zh: '页面已过期，请刷新后重试',
    en: 'The page has expired; please refresh and try again',
  },
  STAFF_SETUP_REQUIRED: {
    status: 403,
    zh: '请先修改初始密码并绑定动态口令',
    en: 'Please change your initial password and set up two-factor authentication first',
  },
  ACCOUNT_FROZEN: {
    status: 403,
    zh: '账户已被冻结，请联系客服',
    en: 'Your account is frozen; please contact customer service',
  },
});

/** Cookie names: customers and staff never share a session. */
export const COOKIES = {
  customer: { session: 'lh_session', csrf: 'csrf_token' },
  staff: { session: 'lh_staff_session', csrf: 'staff_csrf_token' },
} as const satisfies Record<SubjectKind, { session: string; csrf: string }>;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function routeAuth(url: string, declared: RouteAuth | undefined): RouteAuth {
  if (declared) return declared;
  if (url.startsWith('/api/v1/admin')) return 'staff';
  if (url === '/api/v1/me' || url.startsWith('/api/v1/me/')) return 'customer';
  return 'public';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request carries for this kind of subject, and whether it came in a cookie. */
function credentials(request: FastifyRequest, kind: SubjectKind): { token: string; viaCookie: boolean } | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer '))
    return { token: header.slice(7).trim(), viaCookie: false };
  const cookie = request.cookies[COOKIES[kind].session];
  return cookie ? { token: cookie, viaCookie: true } : undefined;
}

async function authenticate(db: Db, request: FastifyRequest, kind: SubjectKind): Promise<Session> {
  const creds = credentials(request, kind);
  const session = creds ? await resolveSession(db, creds.token, kind) : undefined;
  if (!creds || !session) throw CommonError.UNAUTHENTICATED();
  // Double-submit CSRF check for cookie-authenticated writes; bearer tokens are not sent by browsers on their own.
  if (creds.viaCookie && UNSAFE_METHODS.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (typeof header !== 'string' || !safeEqual(header, session.csrfToken)) throw AuthError.CSRF_TOKEN_INVALID();
  }
  return session;
}

export async function staffPermissions(db: Db, staffId: string): Promise<Set<Permission>> {
  const rows = await db
    .selectFrom('staff_roles as sr')
    .innerJoin('role_permissions as rp', 'rp.role_id', 'sr.role_id')
    .select('rp.permission')
    .distinct()
    .where('sr.staff_id', '=', staffId)
    .execute();
  return new Set(rows.map((r) => r.permission).filter(isPermission));
}

/**
 * Authentication and authorisation for every route, from its `config`:
 * - refuses to start when a back-office route declares no permission;
 * - resolves the session (Bearer token or cookie), checks CSRF on cookie writes, checks the permission.
 */
export function installAuth(app: FastifyInstance): void {
  app.decorateRequest('customer', null);
  app.decorateRequest('staff', null);

  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', routeAccess);
  app.addHook('onRoute', (route) => {
    const auth = routeAuth(route.url, route.config?.auth);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeAccess.push({ method, url: route.url, auth, permission: route.config?.permission });
    }
    if (auth === 'staff' && !route.config?.permission) {
      throw new Error(`back-office route ${route.method} ${route.url} must declare config.permission`);
    }
    if (route.config?.permission && !isPermission(route.config.permission)) {
      throw new Error(`route ${route.url} declares an unknown permission ${route.config.permission}`);
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const config = request.routeOptions.config;
    const url = request.routeOptions.url;
    if (url === undefined) return; // not found: the 404 handler answers
    const auth = routeAuth(url, config.auth);
    if (auth === 'public') return;
    if (auth === 'customer') {
      const session = await authenticate(app.db, request, 'customer');
      const user = await app.db
        .selectFrom('users')
        .select(['status'])
        .where('id', '=', session.subjectId)
        .executeTakeFirst();
      if (!user || user.status === 'closed') throw CommonError.UNAUTHENTICATED();
      if (user.status === 'frozen' && UNSAFE_METHODS.has(request.method)) throw AuthError.ACCOUNT_FROZEN();
      request.customer = { id: session.subjectId, session };
      return;
    }
    const session = await authenticate(app.db, request, 'staff');
    const staff = await app.db
      .selectFrom('staff')
      .select(['status'])
      .where('id', '=', session.subjectId)
      .executeTakeFirst();
    if (staff?.status !== 'active') throw CommonError.UNAUTHENTICATED();
    const permissions = await staffPermissions(app.db, session.subjectId);
    request.staff = { id: session.subjectId, session, permissions };
    if (auth === 'staff_setup') return;
    if (session.stage !== 'full') throw AuthError.STAFF_SETUP_REQUIRED();
    const needed = config.permission;
    if (!needed || !permissions.has(needed)) throw CommonError.FORBIDDEN({ permission: needed });
  });
}
