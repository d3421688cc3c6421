import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { DateTime, Id, Nullable, page, pageQuery } from './admin-schemas.ts';
import { type ActorKind, listAuditLog } from './audit-log.service.ts';
import { PAGE_LIMIT_DEFAULT } from './cursor.ts';

const Entry = Type.Object({
  id: Type.String(),
  at: DateTime,
  actorKind: Type.String({ enum: ['customer', 'staff', 'system', 'anonymous'] }),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  action: Type.String(),
  targetKind: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  outcome: Type.String({ enum: ['ok', 'refused'] }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  before: Type.Unknown({ description: 'State before the action (JSON), or null' }),
  after: Type.Unknown({ description: 'State after the action (JSON), or null' }),
  detail: Type.Unknown(),
});

/** The audit log viewer (append-only log of every staff action and every login). */
export const auditLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/audit-log',
    {
      config: { permission: 'audit.read' },
      schema: {
        operationId: 'listAuditLog',
        summary: 'Audit log entries, newest first, with before/after as JSON',
        description:
          '`action` is an exact action (`member.frozen`) or a prefix ending in a dot (`member.`); `from`/`to` ' +
          'are business dates (Asia/Shanghai), inclusive.',
        tags: ['back office: audit'],
        querystring: Type.Object(
          {
            actorKind: Type.Optional(Type.String({ enum: ['customer', 'staff', 'system', 'anonymous'] })),
            actorId: Type.Optional(Id),
            action: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_.]{0,63}$' })),
            targetKind: Type.Optional(Type.String({ maxLength: 40 })),
            targetId: Type.Optional(Id),
            outcome: Type.Optional(Type.String({ enum: ['ok', 'refused'] })),
            from: Type.Optional(Type.String({ format: 'date' })),
            to: Type.Optional(Type.String({ format: 'date' })),
            ...pageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: page(Entry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return listAuditLog(app.db, {
        ...q,
        actorKind: q.actorKind as ActorKind | undefined,
        outcome: q.outcome as 'ok' | 'refused' | undefined,
        limit: q.limit ?? PAGE_LIMIT_DEFAULT,
      });
    },
  );
};
