import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { countDecidable } from './approvals.service.ts';

/** The workbench (工作台): what waits for the signed-in staff member. */
export const workbenchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/workbench',
    {
      config: { permission: 'workbench.read' },
      schema: {
        operationId: 'getWorkbench',
        summary: 'Counts of what waits for the caller (pending approvals they may decide)',
        tags: ['back office: workbench'],
        response: { 200: Type.Object({ pendingApprovals: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ pendingApprovals: await countDecidable(app.db, request.staff!) }),
  );
};
