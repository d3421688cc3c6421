import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { staffPermissions } from '../../platform/auth/auth.plugin.ts';
import { clearSessionCookies, setSessionCookies } from '../../platform/auth/cookies.ts';
import { createSession, promoteSession, revokeSession, revokeSubjectSessions } from '../../platform/auth/sessions.ts';
import { errorResponses } from '../../platform/http-schemas.ts';
import {
  beginTotpEnrolment,
  changeStaffPassword,
  confirmTotpEnrolment,
  signInStaff,
  staffProfile,
} from './staff.service.ts';

const StaffMe = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  stage: Type.Union([Type.Literal('full'), Type.Literal('setup')]),
  roles: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  permissions: Type.Array(Type.String()),
});

const tags = ['back office: sign-in'];

/** Staff sign-in with password and authenticator code, first-login password change and TOTP enrolment. */
export const staffAuthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function me(staffId: string, stage: 'full' | 'setup') {
    const profile = await staffProfile(app.db, staffId);
    const permissions = [...(await staffPermissions(app.db, staffId))].sort();
    return { ...profile, roles: [...profile.roles], stage, permissions };
  }

  app.post(
    '/api/v1/admin/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'staffLogin',
        summary: 'Staff sign-in: password, then the authenticator code once enrolled',
        tags,
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 128 }),
            totpCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ token: Type.String(), staff: StaffMe }), ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      let result: Awaited<ReturnType<typeof signInStaff>>;
      try {
        result = await signInStaff(app.db, app.cipher, request.body);
      } catch (error) {
        await audit(app.db, request, {
          action: 'staff.login',
          outcome: 'refused',
          detail: { username: request.body.username.slice(0, 64), reason: (error as { code?: string }).code },
        });
        throw error;
      }
      const session = await createSession(app.db, {
        subjectKind: 'staff',
        subjectId: result.staffId,
        stage: result.stage,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      await audit(app.db, request, {
        action: 'staff.login',
        actor: { kind: 'staff', id: result.staffId },
        detail: { stage: result.stage },
      });
      setSessionCookies(reply, 'staff', session, app.config.cookieSecure);
      return { token: session.token, staff: await me(result.staffId, result.stage) };
    },
  );

  app.post(
    '/api/v1/admin/auth/logout',
    {
      config: { auth: 'staff_setup' },
      schema: {
        operationId: 'staffLogout',
        summary: 'Sign out of this session',
        tags,
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      await revokeSession(app.db, staff.session.tokenHash);
      await audit(app.db, request, { action: 'staff.logout' });
      clearSessionCookies(reply, 'staff');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/me',
    {
      config: { auth: 'staff_setup' },
      schema: {
        operationId: 'getStaffMe',
        summary: 'The signed-in staff member, roles and permissions',
        tags,
        response: { 200: StaffMe, ...errorResponses(401) },
      },
    },
    async (request) => me(request.staff!.id, request.staff!.session.stage),
  );

  /** After the password change or TOTP confirmation: a session whose set-up is complete becomes full. */
  async function promoteIfReady(staffId: string, tokenHash: string) {
    const profile = await staffProfile(app.db, staffId);
    if (!profile.mustChangePassword && profile.totpEnabled) {
      await promoteSession(app.db, tokenHash);
      return 'full' as const;
    }
    return 'setup' as const;
  }

  app.post(
    '/api/v1/admin/me/password',
    {
      config: { auth: 'staff_setup' },
      schema: {
        operationId: 'changeStaffPassword',
        summary: 'Change the password (required on first sign-in); other sessions are signed out',
        tags,
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
            newPassword: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffMe, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const staff = request.staff!;
      await changeStaffPassword(app.db, staff.id, request.body.currentPassword, request.body.newPassword);
      await revokeSubjectSessions(app.db, 'staff', staff.id, staff.session.tokenHash);
      await audit(app.db, request, { action: 'staff.password_changed', targetKind: 'staff', targetId: staff.id });
      return me(staff.id, await promoteIfReady(staff.id, staff.session.tokenHash));
    },
  );

  app.post(
    '/api/v1/admin/me/totp/enrolment',
    {
      config: { auth: 'staff_setup' },
      schema: {
        operationId: 'beginStaffTotpEnrolment',
        summary: 'Start authenticator set-up: a secret and its QR code',
        tags,
        response: {
          200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() }),
          ...errorResponses(401, 409),
        },
      },
    },
    async (request) => {
      const result = await beginTotpEnrolment(app.db, app.cipher, request.staff!.id);
      await audit(app.db, request, {
        action: 'staff.totp_enrolment_started',
        targetKind: 'staff',
        targetId: request.staff!.id,
      });
      return result;
    },
  );

  app.post(
    '/api/v1/admin/me/totp/confirmation',
    {
      config: { auth: 'staff_setup' },
      schema: {
        operationId: 'confirmStaffTotpEnrolment',
        summary: 'Finish authenticator set-up with a code from the app',
        tags,
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
        response: { 200: StaffMe, ...errorResponses(400, 401, 409) },
      },
    },
    async (request) => {
      const staff = request.staff!;
      await confirmTotpEnrolment(app.db, app.cipher, staff.id, request.body.code);
      await audit(app.db, request, { action: 'staff.totp_enabled', targetKind: 'staff', targetId: staff.id });
      return me(staff.id, await promoteIfReady(staff.id, staff.session.tokenHash));
    },
  );
};
