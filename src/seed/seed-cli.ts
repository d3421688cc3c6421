/** `npm run db:seed-demo`: apply migrations and fill demo data in DATABASE_URL or the embedded database. */
import { cipherFromConfig } from '../app.ts';
import { loadConfig, loadDotEnv } from '../config.ts';
import { openConfiguredDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { runCli } from '../platform/cli.ts';
import { formatLogins, seedDemo } from './demo.ts';

await runCli(async () => {
  loadDotEnv();
  const config = loadConfig();
  const handle = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(handle.db);
    await seedDemo(handle.db, cipherFromConfig(config));
    console.log('demo data seeded');
    console.log(formatLogins(`http://localhost:${config.port}`));
  } finally {
    await handle.close();
  }
});
