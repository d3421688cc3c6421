import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { AuthError, COOKIES } from '../../platform/auth/auth.plugin.ts';
import { resolveSession, type Session } from '../../platform/auth/sessions.ts';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The customer session a public route's request carries, if any, with the same rules as routes that require one
 * (auth.plugin.ts): a Bearer token, or the session cookie plus a matching X-CSRF-Token on this (write) request.
 * Used where signing in is optional or must also work for a frozen account (sign-out, some SMS purposes).
 */
export async function optionalCustomerSession(
  db: Db,
  request: FastifyRequest,
): Promise<{ session: Session; status: 'active' | 'frozen' } | undefined> {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const token = bearer ?? request.cookies[COOKIES.customer.session];
  if (!token) return undefined;
  const session = await resolveSession(db, token, 'customer');
  if (!session) return undefined;
  if (bearer === undefined) {
    const csrf = request.headers['x-csrf-token'];
    if (typeof csrf !== 'string' || !sameText(csrf, session.csrfToken)) throw AuthError.CSRF_TOKEN_INVALID();
  }
  const user = await db.selectFrom('users').select('status').where('id', '=', session.subjectId).executeTakeFirst();
  if (!user || user.status === 'closed') return undefined;
  return { session, status: user.status };
}
