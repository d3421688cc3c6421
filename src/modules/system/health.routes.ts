import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { pingDatabase } from '../../db/database.ts';
import { pendingMigrations } from '../../db/migrate.ts';

const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({
    database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
    migrations: Type.Union([Type.Literal('ok'), Type.Literal('pending'), Type.Literal('unknown')]),
  }),
  pendingMigrations: Type.Array(Type.String()),
});

/** Liveness and readiness probes for load balancers and orchestrators. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness: the process is up',
        tags: ['system'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness: the database answers and every migration is applied',
        tags: ['system'],
        response: { 200: ReadyBody, 503: ReadyBody },
      },
    },
    async (_request, reply) => {
      const reachable = await pingDatabase(app.db);
      let pending: string[] = [];
      let migrations: 'ok' | 'pending' | 'unknown' = 'unknown';
      if (reachable) {
        try {
          pending = await pendingMigrations(app.db);
          migrations = pending.length === 0 ? 'ok' : 'pending';
        } catch {
          migrations = 'unknown';
        }
      }
      const ready = reachable && migrations === 'ok';
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        checks: { database: reachable ? 'ok' : 'unreachable', migrations },
        pendingMigrations: pending,
      });
    },
  );
};
