import type { FastifyReply } from 'fastify';
import { COOKIES } from './auth.plugin.ts';
import type { NewSession, SubjectKind } from './sessions.ts';

/** Set the session cookie (httpOnly) and the readable CSRF cookie for double-submit. */
export function setSessionCookies(reply: FastifyReply, kind: SubjectKind, session: NewSession, secure: boolean): void {
  const common = { path: '/', sameSite: 'strict' as const, secure, expires: session.expiresAt };
  reply.setCookie(COOKIES[kind].session, session.token, { ...common, httpOnly: true });
  reply.setCookie(COOKIES[kind].csrf, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply, kind: SubjectKind): void {
  reply.clearCookie(COOKIES[kind].session, { path: '/' });
  reply.clearCookie(COOKIES[kind].csrf, { path: '/' });
}
