import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { DateTime, Id, Nullable, NullableDateTime, page, pageQuery } from './admin-schemas.ts';
import { PAGE_LIMIT_DEFAULT } from './cursor.ts';
import {
  createStaffMember,
  getStaff,
  listStaff,
  resetStaffPassword,
  STAFF_ROLES_MAX,
  updateStaffMember,
} from './staff-admin.service.ts';

const StaffItem = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  status: Type.String({ enum: ['active', 'disabled'] }),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  lockedUntil: NullableDateTime,
  organisation: Nullable(Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  roles: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      builtin: Type.Boolean(),
    }),
  ),
  createdAt: DateTime,
});

const DisplayName = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' });
const RoleIds = Type.Array(Id, { maxItems: STAFF_ROLES_MAX, uniqueItems: true });
const StaffParams = Type.Object({ staffId: Id });
const tags = ['back office: staff and roles'];

/** Staff accounts: list, create with a temporary password, edit, disable, reset password. */
export const staffAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/staff',
    {
      config: { permission: 'staff.read' },
      schema: {
        operationId: 'listStaff',
        summary: 'Staff accounts, newest first; q matches the username or display name',
        tags,
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(Type.String({ enum: ['active', 'disabled'] })),
            organisationId: Type.Optional(Id),
            roleId: Type.Optional(Id),
            ...pageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: page(StaffItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return listStaff(app.db, {
        q: q.q,
        status: q.status as 'active' | 'disabled' | undefined,
        organisationId: q.organisationId,
        roleId: q.roleId,
        cursor: q.cursor,
        limit: q.limit ?? PAGE_LIMIT_DEFAULT,
      });
    },
  );

  app.get(
    '/api/v1/admin/staff/:staffId',
    {
      config: { permission: 'staff.read' },
      schema: {
        operationId: 'getStaff',
        summary: 'One staff account',
        tags,
        params: StaffParams,
        response: { 200: StaffItem, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getStaff(app.db, request.params.staffId),
  );

  app.post(
    '/api/v1/admin/staff',
    {
      config: { permission: 'staff.manage' },
      schema: {
        operationId: 'createStaff',
        summary: 'Create a staff account; the answer carries its temporary password, shown once',
        description:
          'The new staff member must change the temporary password and enrol an authenticator at first sign-in. ' +
          'Roles may only grant permissions the creator holds (PERMISSION_NOT_HELD).',
        tags,
        body: Type.Object(
          {
            username: Type.String({ pattern: '^[a-z][a-z0-9_.-]{2,31}$' }),
            displayName: DisplayName,
            roleIds: RoleIds,
            organisationId: Type.Optional(Nullable(Id)),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ staff: StaffItem, temporaryPassword: Type.String() }),
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const result = await createStaffMember(app.db, request.staff!, request.body, request);
      return reply.code(201).send(result);
    },
  );

  app.patch(
    '/api/v1/admin/staff/:staffId',
    {
      config: { permission: 'staff.manage' },
      schema: {
        operationId: 'updateStaff',
        summary: 'Change display name, organisation, roles, or disable/enable',
        description:
          'Refused: disabling yourself (CANNOT_DISABLE_SELF), leaving no active super admin (LAST_SUPER_ADMIN), ' +
          'managing or granting permissions you do not hold (PERMISSION_NOT_HELD). Disabling signs the account out.',
        tags,
        params: StaffParams,
        body: Type.Object(
          {
            displayName: Type.Optional(DisplayName),
            organisationId: Type.Optional(Nullable(Id)),
            roleIds: Type.Optional(RoleIds),
            status: Type.Optional(Type.String({ enum: ['active', 'disabled'] })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: StaffItem, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const body = request.body;
      return app.db
        .transaction()
        .execute((trx) =>
          updateStaffMember(
            trx,
            request.staff!,
            request.params.staffId,
            { ...body, status: body.status as 'active' | 'disabled' | undefined },
            request,
          ),
        );
    },
  );

  app.post(
    '/api/v1/admin/staff/:staffId/password-reset',
    {
      config: { permission: 'staff.manage' },
      schema: {
        operationId: 'resetStaffPassword',
        summary: 'A new temporary password (shown once); the authenticator must be enrolled again',
        tags,
        params: StaffParams,
        response: {
          200: Type.Object({ temporaryPassword: Type.String() }),
          ...errorResponses(401, 403, 404, 422),
        },
      },
    },
    async (request) => resetStaffPassword(app.db, request.staff!, request.params.staffId, request),
  );
};
