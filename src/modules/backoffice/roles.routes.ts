import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { Id, PermissionCode } from './admin-schemas.ts';
import { createRole, deleteRole, listRoles, permissionCatalogue, updateRole } from './roles-admin.service.ts';

const RoleItem = Type.Object({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  builtin: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  staffCount: Type.Integer(),
});

const RoleName = Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' });
const Permissions = Type.Array(PermissionCode, { maxItems: 200, uniqueItems: true });
const RoleParams = Type.Object({ roleId: Id });
const tags = ['back office: staff and roles'];

/** The permission catalogue and roles (built-in ones read-only). Roles also stand for user groups (用户组). */
export const roleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/permissions',
    {
      config: { permission: 'staff.read' },
      schema: {
        operationId: 'listPermissions',
        summary: 'Every permission with its Chinese and English names',
        tags,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ code: Type.String(), group: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ items: permissionCatalogue() }),
  );

  app.get(
    '/api/v1/admin/roles',
    {
      config: { permission: 'staff.read' },
      schema: {
        operationId: 'listRoles',
        summary: 'Roles with their permissions and how many staff hold each (built-in first)',
        tags,
        response: {
          200: Type.Object({ items: Type.Array(RoleItem), nextCursor: Type.Null() }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ items: await listRoles(app.db), nextCursor: null }),
  );

  app.post(
    '/api/v1/admin/roles',
    {
      config: { permission: 'roles.manage' },
      schema: {
        operationId: 'createRole',
        summary: 'Create a custom role',
        tags,
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
            nameZh: RoleName,
            nameEn: RoleName,
            permissions: Permissions,
          },
          { additionalProperties: false },
        ),
        response: { 201: RoleItem, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const role = await app.db.transaction().execute((trx) => createRole(trx, request.staff!, request.body, request));
      return reply.code(201).send(role);
    },
  );

  app.put(
    '/api/v1/admin/roles/:roleId',
    {
      config: { permission: 'roles.manage' },
      schema: {
        operationId: 'updateRole',
        summary: 'Rename a custom role and set its permissions (built-in roles: BUILTIN_ROLE_READ_ONLY)',
        tags,
        params: RoleParams,
        body: Type.Object(
          { nameZh: RoleName, nameEn: RoleName, permissions: Permissions },
          { additionalProperties: false },
        ),
        response: { 200: RoleItem, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      app.db
        .transaction()
        .execute((trx) => updateRole(trx, request.staff!, request.params.roleId, request.body, request)),
  );

  app.delete(
    '/api/v1/admin/roles/:roleId',
    {
      config: { permission: 'roles.manage' },
      schema: {
        operationId: 'deleteRole',
        summary: 'Delete a custom role nobody holds (ROLE_IN_USE otherwise)',
        tags,
        params: RoleParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await app.db.transaction().execute((trx) => deleteRole(trx, request.staff!, request.params.roleId, request));
      return reply.code(204).send(null);
    },
  );
};
