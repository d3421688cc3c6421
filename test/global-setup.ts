import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { adminQuery, isReachable, testServerUrl, withDatabase } from './helpers/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Migrated template database on the real server, or '' when tests use PGlite. */
    templateDatabase: string;
    /** The real server's URL, or '' when tests use PGlite. */
    testServerUrl: string;
  }
}

/**
 * With a real PostgreSQL (TEST_DATABASE_URL or DATABASE_URL), migrate one template database per run;
 * each test file then copies it into a fresh database of its own (CREATE DATABASE … TEMPLATE).
 * Without one, each test file uses its own in-memory PGlite.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = testServerUrl();
  if (!serverUrl) {
    project.provide('templateDatabase', '');
    project.provide('testServerUrl', '');
    return async () => {};
  }
  if (!(await isReachable(serverUrl))) {
    throw new Error(
      `TEST_DATABASE_URL/DATABASE_URL is set but PostgreSQL does not answer at ${new URL(serverUrl).host}`,
    );
  }
  const template = `lendhall_tpl_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, [`create database ${template}`]);
  const handle = await openDatabase({ databaseUrl: withDatabase(serverUrl, template), poolMax: 1 });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  project.provide('templateDatabase', template);
  project.provide('testServerUrl', serverUrl);
  return async () => {
    await adminQuery(serverUrl, [`drop database if exists ${template} with (force)`]);
  };
}
