import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** A database transaction; use cases take it first (`placeBid(trx, input)`), whoever opened it decides its scope. */
export type Trx = Transaction<Database>;

/** Where the data lives: a PostgreSQL server, or the embedded PGlite database. */
export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; undefined selects PGlite. */
  readonly databaseUrl: string | undefined;
  /** PGlite data folder; undefined keeps the embedded database in memory (tests). */
  readonly pgliteDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  readonly poolMax?: number;
}

const PG_INT8_OID = 20;
const PG_DATE_OID = 1082;
const POOL_MAX_DEFAULT = 20;
const STATEMENT_TIMEOUT_MS = 30_000;

/** node-postgres types for this pool only: BIGINT as bigint (money is bigint fen), DATE as text, NUMERIC stays a string. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8_OID) return (value: string) => BigInt(value);
    // A DATE is a business date ('YYYY-MM-DD' in Asia/Shanghai), not an instant: keep it as text.
    if (oid === PG_DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Open the database named by the options: a node-postgres pool, or PGlite in a folder or in memory. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax ?? POOL_MAX_DEFAULT,
      types: pgTypes,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      application_name: 'lendhall',
    });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.pgliteDir) await fs.mkdir(options.pgliteDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.pgliteDir ? { dataDir: path.resolve(options.pgliteDir) } : {}),
    // PGlite reads small BIGINTs as number by default; money is bigint fen, always.
    parsers: { [PG_INT8_OID]: (value: string) => BigInt(value), [PG_DATE_OID]: (value: string) => value },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

/** Open the database the configuration names: DATABASE_URL, or the embedded one in DATA_DIR. */
export function openConfiguredDatabase(config: {
  databaseUrl: string | undefined;
  embeddedDbDir: string;
}): Promise<DatabaseHandle> {
  return openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.embeddedDbDir });
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
