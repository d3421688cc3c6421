/**
 * `npm start`: build the web app if it is missing or stale, open the database (embedded PGlite in
 * ./data unless DATABASE_URL is set), apply migrations, fill demo data on an empty database, and serve
 * everything on http://localhost:3000. A second start reuses the data.
 */
import { cipherFromConfig } from '../src/app.ts';
import { loadConfig, loadDotEnv } from '../src/config.ts';
import { openConfiguredDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { runCli } from '../src/platform/cli.ts';
import { formatLogins, isDatabaseEmpty, seedDemo } from '../src/seed/demo.ts';
import { startServer } from '../src/server.ts';
import { buildWeb, webBuildIsStale } from './web-build.ts';

await runCli(async () => {
  loadDotEnv();
  process.env.NODE_ENV ??= 'production';
  // A demo: the sandbox custodian, the SMS outbox and a generated data key are allowed even on a real database.
  process.env.LENDHALL_DEMO ??= '1';
  const config = loadConfig();
  const started = Date.now();

  if (webBuildIsStale()) {
    console.log('Building the web app (first start takes a minute)…');
    await buildWeb();
    console.log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  const database = await openConfiguredDatabase(config);
  console.log(database.kind === 'pglite' ? `Embedded database: ${config.embeddedDbDir}` : 'Database: DATABASE_URL');
  await migrateToLatest(database.db);
  if (await isDatabaseEmpty(database.db)) {
    console.log('Empty database: filling demo data…');
    await seedDemo(database.db, cipherFromConfig(config));
  }
  const app = await startServer(config, { database, closeDatabase: true, migrate: false });
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  app.log.info({ readyInMs: Date.now() - started }, 'ready');
  console.log(formatLogins(`http://${host}:${config.port}`));
});
