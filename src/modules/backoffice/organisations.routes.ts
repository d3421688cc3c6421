import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { DateTime, Id, Nullable } from './admin-schemas.ts';
import { createOrganisation, listOrganisations, updateOrganisation } from './organisations.service.ts';

const OrganisationItem = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  nameZh: Type.String(),
  nameEn: Type.String(),
  staffCount: Type.Integer(),
  createdAt: DateTime,
});
const Name = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
const tags = ['back office: staff and roles'];

/** Organisations (组织机构): departments in a tree. */
export const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/organisations',
    {
      config: { permission: 'staff.read' },
      schema: {
        operationId: 'listOrganisations',
        summary: 'Every organisation, flat, each naming its parent (a tree of at most 8 levels, 500 nodes)',
        tags,
        response: {
          200: Type.Object({ items: Type.Array(OrganisationItem), nextCursor: Type.Null() }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ items: await listOrganisations(app.db), nextCursor: null }),
  );

  app.post(
    '/api/v1/admin/organisations',
    {
      config: { permission: 'staff.manage' },
      schema: {
        operationId: 'createOrganisation',
        summary: 'Create an organisation, at the root or under a parent',
        tags,
        body: Type.Object(
          { parentId: Type.Optional(Nullable(Id)), nameZh: Name, nameEn: Name },
          { additionalProperties: false },
        ),
        response: { 201: OrganisationItem, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const org = await app.db.transaction().execute((trx) => createOrganisation(trx, request.body, request));
      return reply.code(201).send(org);
    },
  );

  app.patch(
    '/api/v1/admin/organisations/:organisationId',
    {
      config: { permission: 'staff.manage' },
      schema: {
        operationId: 'updateOrganisation',
        summary: 'Rename or move an organisation (parentId null: to the root); no cycles',
        tags,
        params: Type.Object({ organisationId: Id }),
        body: Type.Object(
          { parentId: Type.Optional(Nullable(Id)), nameZh: Type.Optional(Name), nameEn: Type.Optional(Name) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: OrganisationItem, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      app.db
        .transaction()
        .execute((trx) => updateOrganisation(trx, request.params.organisationId, request.body, request)),
  );
};
