import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from './app.ts';
import type { Config } from './config.ts';

const SHUTDOWN_GRACE_MS = 10_000;

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
  await app.listen({ port: config.port, host: config.host });
  return app;
}
