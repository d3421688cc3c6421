import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from './app.ts';
import type { Config } from './config.ts';
import { startOutboxWorker } from './platform/outbox.ts';

const SHUTDOWN_GRACE_MS = 10_000;
const OUTBOX_POLL_MS = 500;

/** Build the app, listen, and close gracefully on SIGINT/SIGTERM (in-flight requests finish, then the pool closes). */
export async function startServer(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(config, options);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // The outbox worker: custodian calls, callback deliveries of the sandbox, SMS; stops before the pool closes.
  const worker = startOutboxWorker(app.db, app.outboxHandlers, {
    intervalMs: OUTBOX_POLL_MS,
    onError: (error) => app.log.error({ err: error }, 'outbox worker'),
  });
  app.addHook('preClose', async () => worker.stop());
  await app.listen({ port: config.port, host: config.host });
  return app;
}
