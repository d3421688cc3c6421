/** `npm run db:migrate`: apply pending migrations to DATABASE_URL or the embedded database. */
import { loadConfig, loadDotEnv } from '../config.ts';
import { runCli } from '../platform/cli.ts';
import { openConfiguredDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

await runCli(async () => {
  loadDotEnv();
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config);
  try {
    const applied = await migrateToLatest(handle.db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await handle.close();
  }
});
