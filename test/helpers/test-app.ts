import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { buildApp, cipherFromConfig } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { FieldCipher } from '../../src/platform/crypto.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** A fixed key for tests (never used outside them), so no key file is written. */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64');

/** Configuration for tests: quiet logs, test mode, nothing read from the developer's environment. */
export function testConfig(overrides: Record<string, string> = {}, cwd?: string): Config {
  return loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATA_ENCRYPTION_KEY: TEST_DATA_KEY,
      ...overrides,
    },
    cwd,
  );
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

/** The cipher test apps use (from TEST_DATA_KEY). */
export function testCipher(): FieldCipher {
  return cipherFromConfig(testConfig());
}
