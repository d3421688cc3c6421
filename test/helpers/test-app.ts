import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** Configuration for tests: quiet logs, test mode, nothing read from the developer's environment. */
export function testConfig(overrides: Record<string, string> = {}, cwd?: string): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...overrides }, cwd);
}

export interface TestAppOptions {
  /** Environment overrides for the configuration. */
  readonly env?: Record<string, string>;
  /** Working folder the configuration resolves paths against (web assets in <cwd>/dist/web). */
  readonly cwd?: string;
  readonly plugins?: readonly FastifyPluginAsync[];
}

/** Build the app on a fresh database of its own; close() closes the app and drops the database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp(testConfig(options.env, options.cwd), { database, plugins: options.plugins ?? [] });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
