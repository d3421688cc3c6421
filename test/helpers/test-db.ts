import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { adminQuery, withDatabase } from './postgres.ts';

export interface TestDatabase extends DatabaseHandle {
  /** The URL of this file's own database on the real server; undefined on PGlite. */
  readonly url: string | undefined;
}

/**
 * A fresh, migrated database for one test file: a copy of the run's template on the real
 * PostgreSQL when one is configured, else an in-memory PGlite. `close()` drops it.
 */
export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  const template = inject('templateDatabase');
  const serverUrl = inject('testServerUrl');
  if (!template || !serverUrl) {
    const handle = await openDatabase({ databaseUrl: undefined });
    await migrateToLatest(handle.db);
    return { ...handle, url: undefined };
  }
  const name = `lendhall_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, [`create database ${name} template ${template}`]);
  const url = withDatabase(serverUrl, name);
  const handle = await openDatabase({ databaseUrl: url, ...(options.poolMax ? { poolMax: options.poolMax } : {}) });
  return {
    db: handle.db,
    kind: handle.kind,
    url,
    close: async () => {
      await handle.close();
      await adminQuery(serverUrl, [`drop database if exists ${name} with (force)`]);
    },
  };
}
