/**
 * `npm run bench:flash`: a flash sale (秒标) through the real HTTP server on a real PostgreSQL.
 *
 * 1. In a scratch database of its own: a loan of 1,000,000.00 and 2,000 funded, verified investors.
 * 2. Every investor bids a random amount (on the product's step) at once through ≥256 concurrent HTTP
 *    connections, plus 5% repeats of earlier requests with the same Idempotency-Key.
 * 3. Prints accepted bids/s, p50/p99 latency, raised vs the loan amount, and verifies the ledger.
 * 4. In the same run, pgbench on one hot row (UPDATE one row + INSERT one history row) with the same client
 *    count (capped below the server's max_connections), in a second scratch database.
 * Last line: `flash bids/s 6200 · hot-row pgbench tps 1460 · ratio 4.2 · oversold 0`.
 * Needs DATABASE_URL (a user allowed to CREATE DATABASE) and pgbench on PATH. Options: --clients N --investors N.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createCustomer } from '../src/modules/identity/customers.service.ts';
import { customerAccounts, platformAccountId, transfer, verifyLedger } from '../src/modules/ledger/index.ts';
import { createSession } from '../src/platform/auth/sessions.ts';

const LOAN_FEN = 100_000_000n; // 1,000,000.00 yuan
const BID_MIN_FEN = 10_000n;
const BID_STEP_FEN = 100n;
const BID_MAX_FEN = 200_000n;
const REPEAT_SHARE = 0.05;
const PGBENCH_SECONDS = 10;

const { values } = parseArgs({
  options: { clients: { type: 'string', default: '256' }, investors: { type: 'string', default: '2000' } },
});
const CLIENTS = Number(values.clients);
const INVESTORS = Number(values.investors);

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} failed: ${error.message}\n${stderr}`)) : resolve(`${stdout}\n${stderr}`),
    );
  });
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin(serverUrl: string, statement: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error('bench:flash needs DATABASE_URL (a PostgreSQL server where the user may CREATE DATABASE)');
    process.exit(2);
  }
  const suffix = randomBytes(4).toString('hex');
  const appDb = `lendhall_flash_${suffix}`;
  const pgbenchDb = `lendhall_flash_${suffix}_pgbench`;
  // The configuration is checked before anything is created, so a bad one leaves nothing behind.
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: withDatabase(serverUrl, appDb),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  await admin(serverUrl, `create database ${appDb}`);
  let appClosed = false;
  const handle = await openDatabase({ databaseUrl: withDatabase(serverUrl, appDb), poolMax: 40 });
  const app = await buildApp(config, { database: handle }).catch(async (error: unknown) => {
    await handle.close();
    await admin(serverUrl, `drop database if exists ${appDb} with (force)`);
    throw error;
  });
  try {
    await migrateToLatest(handle.db);
    const db = handle.db;
    const cipher = app.cipher;
    console.log(`setting up ${INVESTORS} investors…`);
    const mk = async (i: number) => {
      const phone = `137${String(10_000_000 + i).slice(-8)}`;
      const { id } = await db
        .transaction()
        .execute((trx) => createCustomer(trx, cipher, { phone, password: 'Flash-pass-2026' }));
      return id;
    };
    const borrowerId = await mk(99_999_999);
    const ids: string[] = [];
    for (let i = 0; i < INVESTORS; i += 50) {
      ids.push(...(await Promise.all(Array.from({ length: Math.min(50, INVESTORS - i) }, (_, k) => mk(i + k)))));
    }
    await db
      .insertInto('customer_real_names')
      .values(
        ids.map((id, i) => ({
          user_id: id,
          name_cipher: 'x',
          name_masked: '张*',
          id_number_cipher: 'x',
          id_number_hash: `flash-${suffix}-${i}`,
          id_number_masked: '1101**********0000',
          sex: 'male' as const,
          provider: 'bench',
        })) as never,
      )
      .execute();
    const tokens: string[] = [];
    for (const id of ids) {
      tokens.push((await createSession(db, { subjectKind: 'customer', subjectId: id })).token);
      await db.transaction().execute(async (trx) => {
        const a = await customerAccounts(trx, id);
        await transfer(trx, {
          id: `flash-fund-${id}`,
          debitAccountId: platformAccountId('custody_cash'),
          creditAccountId: a.cash.id,
          amountFen: BID_MAX_FEN,
          code: 'recharge',
        });
      });
    }
    const productId = `prd_${randomUUID()}`;
    await db
      .insertInto('loan_products')
      .values({
        id: productId,
        code: `flash_${suffix}`,
        name_zh: '秒标',
        name_en: 'Flash',
        loan_type: 'flash',
        methods: ['bullet'],
        amount_min_fen: 100n,
        amount_max_fen: LOAN_FEN,
        term_unit: 'month',
        term_min: 1,
        term_max: 12,
        rate_min_ppm: 0n,
        rate_max_ppm: 240_000n,
        bid_min_fen: BID_MIN_FEN,
        bid_step_fen: BID_STEP_FEN,
        bid_max_per_investor_fen: null,
        raise_days: 1,
        risk_levels: [],
      })
      .execute();
    const loanId = `loan_${randomUUID()}`;
    await db
      .insertInto('loans')
      .values({
        id: loanId,
        loan_no: `FLASH${suffix}`,
        product_id: productId,
        borrower_id: borrowerId,
        title: 'Flash sale',
        purpose: 'bench',
        amount_fen: LOAN_FEN,
        annual_rate_ppm: 100_000n,
        method: 'bullet',
        term_months: 1,
        status: 'raising',
        raise_ends_at: new Date(Date.now() + 3_600_000),
      })
      .execute();

    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    // Requests: one per investor, random amount on the step; 5% repeats of earlier ones (same key, same body).
    let seed = 20_260_131;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const steps = Number((BID_MAX_FEN - BID_MIN_FEN) / BID_STEP_FEN);
    const base = ids.map((_, i) => ({
      token: tokens[i] as string,
      key: `flash-${i}`,
      amountFen: Number(BID_MIN_FEN + BID_STEP_FEN * BigInt(Math.floor(rand() * (steps + 1)))),
    }));
    const requests = [...base];
    for (let i = 0; i < Math.round(base.length * REPEAT_SHARE); i++)
      requests.push(base[Math.floor(rand() * base.length)] as never);
    for (let i = requests.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [requests[i], requests[j]] = [requests[j] as never, requests[i] as never];
    }
    const latencies: number[] = [];
    let accepted = 0;
    let replayed = 0;
    const refused = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    let lastAcceptAt = started;
    // Node's fetch opens as many keep-alive connections per origin as there are requests in flight: CLIENTS.
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const r = requests[next++];
          if (!r) return;
          const t0 = performance.now();
          const res = await fetch(`${address}/api/v1/loans/${loanId}/bids`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${r.token}`,
              'idempotency-key': r.key,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ amountFen: r.amountFen }),
          });
          const body = (await res.json()) as { error?: { code: string } };
          latencies.push(performance.now() - t0);
          if (res.status === 201) {
            if (res.headers.get('idempotent-replayed')) replayed++;
            else {
              accepted++;
              lastAcceptAt = performance.now();
            }
          } else {
            const code = body.error?.code ?? String(res.status);
            refused.set(code, (refused.get(code) ?? 0) + 1);
          }
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const acceptS = (lastAcceptAt - started) / 1000;
    latencies.sort((a, b) => a - b);
    const loan = await db
      .selectFrom('loans')
      .select(['raised_fen', 'amount_fen', 'status', 'bid_count'])
      .where('id', '=', loanId)
      .executeTakeFirstOrThrow();
    const bidSum = await db
      .selectFrom('bids')
      .select((eb) => eb.fn.sum<string>('amount_fen').as('s'))
      .where('loan_id', '=', loanId)
      .executeTakeFirstOrThrow();
    const oversold = BigInt(bidSum.s ?? 0) > loan.amount_fen ? BigInt(bidSum.s ?? 0) - loan.amount_fen : 0n;
    const report = await verifyLedger(db);
    const bidsPerS = accepted / acceptS;
    console.log(
      `requests ${requests.length} in ${elapsedS.toFixed(2)} s (${CLIENTS} connections): accepted ${accepted}, replayed ${replayed}, refused ${JSON.stringify(Object.fromEntries(refused))}`,
    );
    console.log(
      `accepted bids/s ${bidsPerS.toFixed(0)} (until the loan was full, ${acceptS.toFixed(2)} s) · latency p50 ${percentile(latencies, 50).toFixed(1)} ms p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
    console.log(
      `raised ${loan.raised_fen} of ${loan.amount_fen} fen (bids sum ${bidSum.s}), status ${loan.status}, ${loan.bid_count} bids; ledger breaches ${report.breaches.length}`,
    );
    await app.close();
    appClosed = true;

    // pgbench on one hot row, same server, same client count (below max_connections).
    const maxConnections = Number(
      ((await admin(serverUrl, 'show max_connections')) as { max_connections: string }[])[0]?.max_connections ?? 100,
    );
    const inUse = Number(
      ((await admin(serverUrl, 'select count(*)::int as n from pg_stat_activity')) as { n: number }[])[0]?.n ?? 0,
    );
    const pgClients = Math.max(1, Math.min(CLIENTS, maxConnections - inUse - 5));
    await admin(serverUrl, `create database ${pgbenchDb}`);
    try {
      await admin(
        withDatabase(serverUrl, pgbenchDb),
        'create table hot (id int primary key, v bigint not null); insert into hot values (1, 0); create table hot_history (id bigserial primary key, v bigint not null, at timestamptz default now())',
      );
      const script = path.join(os.tmpdir(), `flash-hot-${suffix}.sql`);
      fs.writeFileSync(script, 'UPDATE hot SET v = v + 1 WHERE id = 1;\nINSERT INTO hot_history (v) VALUES (1);\n');
      const url = new URL(serverUrl);
      const env = {
        ...process.env,
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password),
        PGDATABASE: pgbenchDb,
      };
      const out = await run(
        'pgbench',
        ['-n', '-f', script, '-c', String(pgClients), '-j', '2', '-T', String(PGBENCH_SECONDS)],
        env,
      );
      fs.rmSync(script, { force: true });
      const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
      console.log(
        `pgbench hot row: ${pgClients} clients (max_connections ${maxConnections}), ${PGBENCH_SECONDS} s: tps ${tps.toFixed(0)}`,
      );
      console.log(
        `flash bids/s ${bidsPerS.toFixed(0)} · hot-row pgbench tps ${tps.toFixed(0)} · ratio ${(bidsPerS / tps).toFixed(2)} · oversold ${oversold}`,
      );
    } finally {
      await admin(serverUrl, `drop database if exists ${pgbenchDb} with (force)`);
    }
  } finally {
    if (!appClosed) await app.close();
    await handle.close();
    await admin(serverUrl, `drop database if exists ${appDb} with (force)`);
  }
}

await main();
