import pg from 'pg';

/** The real PostgreSQL server tests use: TEST_DATABASE_URL, else DATABASE_URL; undefined means PGlite. */
export function testServerUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL?.trim() || process.env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

/** The same server URL pointing at another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Run statements on the server's maintenance database (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminQuery(serverUrl: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

export async function isReachable(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: withDatabase(serverUrl, 'postgres'),
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
