import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest, pendingMigrations } from '../src/db/migrate.ts';
import { isDatabaseEmpty, seedDemo } from '../src/seed/demo.ts';
import { testCipher, testConfig } from './helpers/test-app.ts';
import { createTestDatabase } from './helpers/test-db.ts';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the embedded database (PGlite)', () => {
  it('starts empty, migrates, and reports readiness through the app', async () => {
    const handle = await openDatabase({ databaseUrl: undefined });
    expect(handle.kind).toBe('pglite');
    const pendingBefore = await pendingMigrations(handle.db);
    expect(pendingBefore.length).toBeGreaterThan(0);
    const app = await buildApp(testConfig(), { database: handle, closeDatabase: true });
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(await pendingMigrations(handle.db)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('is not ready while migrations are pending', async () => {
    const handle = await openDatabase({ databaseUrl: undefined });
    const app = await buildApp(testConfig(), { database: handle, closeDatabase: true, migrate: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not_ready', checks: { database: 'ok', migrations: 'pending' } });
      expect(res.json().pendingMigrations).toContain('0001_system_parameters');
    } finally {
      await app.close();
    }
  });

  it('keeps its data in a folder across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-pglite-'));
    tmpDirs.push(dir);
    const first = await openDatabase({ databaseUrl: undefined, pgliteDir: dir });
    await migrateToLatest(first.db);
    expect(await isDatabaseEmpty(first.db)).toBe(true);
    await seedDemo(first.db, testCipher());
    await first.close();

    const second = await openDatabase({ databaseUrl: undefined, pgliteDir: dir });
    try {
      expect(await pendingMigrations(second.db)).toEqual([]);
      expect(await isDatabaseEmpty(second.db)).toBe(false);
      const row = await second.db
        .selectFrom('system_parameters')
        .select('value')
        .where('key', '=', 'margin.enabled')
        .executeTakeFirstOrThrow();
      expect(row.value).toBe(false);
    } finally {
      await second.close();
    }
  });

  it('runs transactions one at a time on its single connection', async () => {
    const handle = await openDatabase({ databaseUrl: undefined });
    try {
      await sql`create table counter (n bigint not null)`.execute(handle.db);
      await sql`insert into counter values (0)`.execute(handle.db);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          handle.db.transaction().execute(async (trx) => {
            const { rows } = await sql<{ n: bigint }>`select n from counter`.execute(trx);
            await new Promise((r) => setTimeout(r, 1));
            await sql`update counter set n = ${rows[0]!.n + 1n}`.execute(trx);
          }),
        ),
      );
      const { rows } = await sql<{ n: bigint }>`select n from counter`.execute(handle.db);
      expect(rows[0]!.n).toBe(20n);
    } finally {
      await handle.close();
    }
  });
});

describe('the database tests run on', () => {
  it('is fresh for this file, migrated, and reads BIGINT as bigint', async () => {
    const handle = await createTestDatabase();
    try {
      expect(await pendingMigrations(handle.db)).toEqual([]);
      expect(await isDatabaseEmpty(handle.db)).toBe(true);
      const { rows } = await sql<{ big: bigint; small: bigint }>`
        select 9007199254740993::bigint as big, 5::bigint as small`.execute(handle.db);
      expect(rows[0]!.big).toBe(9007199254740993n);
      expect(rows[0]!.small).toBe(5n);
      // Kind follows the environment: CI sets TEST_DATABASE_URL, so this runs on the real server there.
      expect(handle.kind).toBe(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? 'postgres' : 'pglite');
    } finally {
      await handle.close();
    }
  });

  it('seeds demo data idempotently', async () => {
    const handle = await createTestDatabase();
    try {
      await seedDemo(handle.db, testCipher());
      await seedDemo(handle.db, testCipher());
      const rows = await handle.db.selectFrom('system_parameters').select('key').execute();
      expect(rows.map((r) => r.key).sort()).toEqual(['margin.enabled', 'platform.name', 'platform.service_hotline']);
    } finally {
      await handle.close();
    }
  });
});
