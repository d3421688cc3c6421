/** Production entry point: `node src/main.ts` (Node >= 22.12 runs TypeScript directly). */
import { loadConfig, loadDotEnv } from './config.ts';
import { runCli } from './platform/cli.ts';
import { startServer } from './server.ts';

await runCli(async () => {
  loadDotEnv();
  await startServer(loadConfig());
});
