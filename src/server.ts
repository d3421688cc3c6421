import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from './app.ts';
import type { Config } from './config.ts';
import { publishDueLoans, startFailedRaiseSweep } from './modules/loans/index.ts';
import { reconcileYesterdayIfDue, sweepStaleOrders } from './modules/payments/index.ts';
import { startOutboxWorker } from './platform/outbox.ts';

const SHUTDOWN_GRACE_MS = 10_000;
const OUTBOX_POLL_MS = 500;
const RECONCILIATION_CHECK_MS = 5 * 60_000;
const LOAN_PUBLISH_CHECK_MS = 30_000;

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
  // The daily reconciliation: checked every few minutes, runs once per business date after the statement is ready.
  const reconciliation = setInterval(() => {
    reconcileYesterdayIfDue(app.db, app.custodian).then(
      (runId) => runId && app.log.info({ runId }, 'daily reconciliation done'),
      (error: unknown) => app.log.error({ err: error }, 'daily reconciliation failed'),
    );
    // Orders whose callback never came: ask the custodian.
    sweepStaleOrders(app.db, app.custodian).then(
      (results) => results.length && app.log.info({ results }, 'stale payment orders checked with the custodian'),
      (error: unknown) => app.log.error({ err: error }, 'stale order sweep failed'),
    );
  }, RECONCILIATION_CHECK_MS);
  reconciliation.unref();
  app.addHook('onClose', async () => clearInterval(reconciliation));
  // The marketplace's clock: loans whose raise window ended unfilled fail (holds released); scheduled loans publish.
  const stopFailedRaise = startFailedRaiseSweep(app);
  const publishing = setInterval(() => {
    publishDueLoans(app.db).then(
      (n) => n && app.log.info({ published: n }, 'scheduled loans published'),
      (error: unknown) => app.log.error({ err: error }, 'scheduled publishing failed'),
    );
  }, LOAN_PUBLISH_CHECK_MS);
  publishing.unref();
  app.addHook('onClose', async () => {
    stopFailedRaise();
    clearInterval(publishing);
  });
  await app.listen({ port: config.port, host: config.host });
  return app;
}
