/**
 * `npm run bench:ledger`: how fast the ledger moves money on a real PostgreSQL, next to pgbench on the same
 * server (issue 3, Performance).
 *
 * 1. In a scratch database of its own, opens 10,000 customer accounts and funds them from custody cash.
 * 2. N clients (default 32) make random transfers among them for S seconds (default 20), several transfers per
 *    database transaction through `transferBatch` (--batch), and report transfers/s and batch latency.
 * 3. Checks the ledger afterwards (`verifyLedger`), drops the scratch database.
 * 4. Runs pgbench TPC-B (scale 10, same clients, same seconds, -j 2) in a second scratch database, drops it.
 * 5. Last line: `ledger transfers/s 5123 · pgbench tps 3206 · ratio 1.60`.
 *
 * It needs DATABASE_URL (a server where that user may CREATE DATABASE) and `pgbench` on PATH. It never reads or
 * writes the tables of the database DATABASE_URL names; it only connects there to create and drop its own.
 * Options: --clients N, --seconds N, --batch N, --skip-pgbench.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig, loadDotEnv } from '../src/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import {
  openCustomerAccounts,
  platformAccountId,
  TRANSFER_BATCH_MAX,
  type TransferCommand,
  transferBatch,
  verifyLedger,
} from '../src/modules/ledger/index.ts';
import { runCli } from '../src/platform/cli.ts';

const ACCOUNTS = 10_000;
const FUNDED_PER_ACCOUNT_FEN = 1_000_000n;
/** Transfers are 0.01 to 100.00 yuan, so overdrafts are rare and every batch does real work. */
const TRANSFER_FEN_MAX = 10_000;
const PGBENCH_SCALE = 10;
const PGBENCH_THREADS = 2;
const CLIENTS_DEFAULT = 32;
/** Each client is one connection; PostgreSQL allows 100 by default. */
const CLIENTS_MAX = 90;
const SECONDS_DEFAULT = 20;
const SECONDS_MAX = 3_600;
/** Chosen by measurement on a 2-core machine (see README, "Ledger benchmark"). */
const BATCH_DEFAULT = 25;
/** Customers opened per transaction, and transactions at once, while setting up. */
const SETUP_CUSTOMERS_PER_TRX = 250;
const SETUP_PARALLEL = 4;
/** pgbench may take this much longer than its own run (vacuum, connections) before it is stopped. */
const PGBENCH_GRACE_MS = 120_000;
const PGBENCH_INIT_TIMEOUT_MS = 600_000;
const SAMPLE_INTERVAL_MS = 100;
const SAMPLES_MAX = (SECONDS_MAX * 1000) / SAMPLE_INTERVAL_MS + 100;

/** Ctrl-C ends the run early but still drops the scratch databases; a second Ctrl-C quits at once. */
let stopRequested = false;
process.once('SIGINT', () => {
  stopRequested = true;
  console.error(
    'stopping: finishing the transactions in flight, then dropping the scratch databases (Ctrl-C again to quit now)',
  );
  process.once('SIGINT', () => process.exit(130));
});

/** The options, or a message saying which one is wrong. */
function readOptions(): { clients: number; seconds: number; batch: number; skipPgbench: boolean } | string {
  let values: { clients: string; seconds: string; batch: string; 'skip-pgbench': boolean };
  try {
    ({ values } = parseArgs({
      options: {
        clients: { type: 'string', default: String(CLIENTS_DEFAULT) },
        seconds: { type: 'string', default: String(SECONDS_DEFAULT) },
        batch: { type: 'string', default: String(BATCH_DEFAULT) },
        'skip-pgbench': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return `${(error as Error).message}\noptions: --clients N (${CLIENTS_DEFAULT}) --seconds N (${SECONDS_DEFAULT}) --batch N (${BATCH_DEFAULT}) --skip-pgbench`;
  }
  const limits = { clients: [1, CLIENTS_MAX], seconds: [1, SECONDS_MAX], batch: [1, TRANSFER_BATCH_MAX] } as const;
  const out = { clients: 0, seconds: 0, batch: 0 };
  for (const name of ['clients', 'seconds', 'batch'] as const) {
    const [min, max] = limits[name];
    const n = Number(values[name]);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      return `--${name} must be a whole number from ${min} to ${max}, got "${values[name]}"`;
    }
    out[name] = n;
  }
  return { ...out, skipPgbench: values['skip-pgbench'] };
}

/** A small seeded generator (mulberry32): every run draws the same transfers. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** CREATE/DROP DATABASE through the database DATABASE_URL names (only connecting there, never touching its tables). */
async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'lendhall-bench' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(`${stdout}\n${stderr}`);
    });
  });
}

/** libpq settings for pgbench from the URL, passed by environment so a password never shows in `ps`. */
function libpqEnv(serverUrl: string, database: string): NodeJS.ProcessEnv {
  const url = new URL(serverUrl);
  const env: NodeJS.ProcessEnv = { ...process.env, PGDATABASE: database };
  if (url.hostname) env.PGHOST = decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '');
  if (url.port) env.PGPORT = url.port;
  if (url.username) env.PGUSER = decodeURIComponent(url.username);
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Open the accounts and fund each from custody cash, several transactions at a time. */
async function setUp(db: DatabaseHandle['db']): Promise<string[]> {
  const ids: string[] = new Array(ACCOUNTS);
  const chunks = Math.ceil(ACCOUNTS / SETUP_CUSTOMERS_PER_TRX);
  let next = 0;
  await Promise.all(
    Array.from({ length: SETUP_PARALLEL }, async () => {
      for (let chunk = next++; chunk < chunks; chunk = next++) {
        await db.transaction().execute(async (trx) => {
          const from = chunk * SETUP_CUSTOMERS_PER_TRX;
          for (let i = from; i < Math.min(ACCOUNTS, from + SETUP_CUSTOMERS_PER_TRX); i++) {
            ids[i] = (await openCustomerAccounts(trx, `bench${String(i).padStart(5, '0')}`)).cash.id;
          }
        });
      }
    }),
  );
  // Custody cash is one account: funding goes through it in batches, one after another.
  for (let from = 0; from < ACCOUNTS; from += TRANSFER_BATCH_MAX) {
    const commands: TransferCommand[] = ids.slice(from, from + TRANSFER_BATCH_MAX).map((id, i) => ({
      kind: 'posted',
      id: `fund-${from + i}`,
      debitAccountId: platformAccountId('custody_cash'),
      creditAccountId: id,
      amountFen: FUNDED_PER_ACCOUNT_FEN,
      code: 'recharge',
    }));
    const outcomes = await db.transaction().execute((trx) => transferBatch(trx, commands));
    const refused = outcomes.find((o) => !o.ok);
    if (refused && !refused.ok) throw refused.error;
  }
  return ids;
}

/** What the server's sessions for one database were doing, sampled while the benchmark ran. */
interface SessionSamples {
  samples: number;
  lock: number;
  running: number;
  otherWait: number;
  clientInTransaction: number;
  idle: number;
}

/**
 * Sample pg_stat_activity every SAMPLE_INTERVAL_MS: are the ledger's sessions waiting for a row lock, running,
 * waiting for something else (WAL flush at commit, I/O), or waiting for Node inside a transaction?
 */
function sampleSessions(serverUrl: string, database: string): { stop: () => Promise<SessionSamples> } {
  const totals: SessionSamples = { samples: 0, lock: 0, running: 0, otherWait: 0, clientInTransaction: 0, idle: 0 };
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'lendhall-bench-sampler' });
  let stopped = false;
  const done = (async () => {
    await client.connect();
    for (let i = 0; i < SAMPLES_MAX && !stopped; i++) {
      const { rows } = await client.query<Record<keyof Omit<SessionSamples, 'samples'>, string>>(
        `select count(*) filter (where state = 'active' and wait_event_type = 'Lock') as lock,
                count(*) filter (where state = 'active' and wait_event_type is null) as running,
                count(*) filter (where state = 'active' and wait_event_type <> 'Lock') as "otherWait",
                count(*) filter (where state like 'idle in transaction%') as "clientInTransaction",
                count(*) filter (where state = 'idle') as idle
         from pg_stat_activity
         where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()`,
        [database],
      );
      const row = rows[0];
      if (row) {
        totals.samples++;
        for (const k of ['lock', 'running', 'otherWait', 'clientInTransaction', 'idle'] as const)
          totals[k] += Number(row[k]);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
    }
  })().catch((error: unknown) => {
    // The figures are a diagnosis, not the benchmark: report the failure and carry on without them.
    console.error(`(could not sample pg_stat_activity: ${(error as Error).message})`);
  });
  return {
    stop: async () => {
      stopped = true;
      await done.finally(() => client.end());
      return totals;
    },
  };
}

function describeSamples(s: SessionSamples): string {
  const all = s.lock + s.running + s.otherWait + s.clientInTransaction + s.idle;
  const pct = (n: number) => `${all ? Math.round((100 * n) / all) : 0}%`;
  return (
    `server sessions (${s.samples} samples): ${pct(s.lock)} waiting for a row lock · ${pct(s.running)} running · ` +
    `${pct(s.otherWait)} other waits (WAL/IO/LWLock) · ${pct(s.clientInTransaction)} in a transaction waiting for Node · ${pct(s.idle)} idle`
  );
}

interface LedgerFigures {
  readonly transfers: number;
  readonly refused: number;
  readonly batches: number;
  readonly seconds: number;
  readonly latencyMsP50: number;
  readonly latencyMsP99: number;
  readonly latencyMsMax: number;
  /** CPU this Node process used during the run, in % of one core (100 = one core busy all the time). */
  readonly nodeCpuPercent: number;
}

async function benchLedger(
  db: DatabaseHandle['db'],
  ids: readonly string[],
  clients: number,
  seconds: number,
  batch: number,
): Promise<LedgerFigures> {
  const latenciesMs: number[] = [];
  let transfers = 0;
  let refused = 0;
  const batchesPerClientMax = Math.ceil((seconds * 1000) / 0.05); // far above any real rate; only a bound
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const random = generator(1_000 + client);
      for (let n = 0; n < batchesPerClientMax && performance.now() < deadline && !stopRequested; n++) {
        const commands: TransferCommand[] = new Array(batch);
        for (let i = 0; i < batch; i++) {
          const a = Math.floor(random() * ids.length);
          let b = Math.floor(random() * (ids.length - 1));
          if (b >= a) b++;
          commands[i] = {
            kind: 'posted',
            id: `bench-${client}-${n}-${i}`,
            debitAccountId: ids[a] as string,
            creditAccountId: ids[b] as string,
            amountFen: 1n + BigInt(Math.floor(random() * TRANSFER_FEN_MAX)),
            code: 'internal',
          };
        }
        const t0 = performance.now();
        const outcomes = await db.transaction().execute((trx) => transferBatch(trx, commands));
        latenciesMs.push(performance.now() - t0);
        for (const o of outcomes) {
          if (o.ok && o.created) transfers++;
          else refused++;
        }
      }
    }),
  );
  const elapsedS = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    transfers,
    refused,
    batches: latenciesMs.length,
    seconds: elapsedS,
    latencyMsP50: percentile(sorted, 50),
    latencyMsP99: percentile(sorted, 99),
    latencyMsMax: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    nodeCpuPercent: (100 * (cpu.user + cpu.system)) / 1e6 / elapsedS,
  };
}

async function benchPgbench(
  serverUrl: string,
  database: string,
  clients: number,
  seconds: number,
): Promise<{ tps: number; latencyMsAvg: number }> {
  const env = libpqEnv(serverUrl, database);
  await run('pgbench', ['-i', '-q', '-s', String(PGBENCH_SCALE)], env, PGBENCH_INIT_TIMEOUT_MS);
  const out = await run(
    'pgbench',
    ['-c', String(clients), '-j', String(Math.min(PGBENCH_THREADS, clients)), '-T', String(seconds)],
    env,
    seconds * 1000 + PGBENCH_GRACE_MS,
  );
  const tps = /tps = ([\d.]+)/.exec(out);
  if (!tps?.[1]) throw new Error(`could not read tps from pgbench:\n${out}`);
  const latency = /latency average = ([\d.]+) ms/.exec(out);
  return { tps: Number(tps[1]), latencyMsAvg: Number(latency?.[1] ?? Number.NaN) };
}

await runCli(async () => {
  loadDotEnv();
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) {
    console.error(
      'bench:ledger needs a real PostgreSQL: set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres\n' +
        '(the user must be allowed to CREATE DATABASE; the benchmark works in scratch databases it creates and drops).',
    );
    process.exitCode = 1;
    return;
  }
  const options = readOptions();
  if (typeof options === 'string') {
    console.error(options);
    process.exitCode = 2;
    return;
  }
  const { clients, seconds, batch, skipPgbench } = options;
  if (!skipPgbench) {
    try {
      await run('pgbench', ['--version'], process.env, 10_000);
    } catch {
      console.error('bench:ledger needs `pgbench` on PATH (Debian: apt-get install postgresql-client).');
      process.exitCode = 1;
      return;
    }
  }

  const suffix = randomBytes(4).toString('hex');
  const ledgerDb = `lendhall_bench_${suffix}`;
  const pgbenchDb = `lendhall_bench_${suffix}_pgbench`;
  const server = new URL(databaseUrl);
  console.log(
    `server ${server.host} · ${clients} clients · ${seconds} s · ${batch} transfers per transaction · ${ACCOUNTS} accounts`,
  );

  let ledger: LedgerFigures;
  await admin(databaseUrl, `create database ${ledgerDb}`);
  try {
    const handle = await openDatabase({ databaseUrl: withDatabase(databaseUrl, ledgerDb), poolMax: clients + 2 });
    try {
      await migrateToLatest(handle.db);
      const setUpAt = performance.now();
      const ids = await setUp(handle.db);
      console.log(`set up ${ACCOUNTS} funded accounts in ${((performance.now() - setUpAt) / 1000).toFixed(1)} s`);
      const sampler = sampleSessions(withDatabase(databaseUrl, ledgerDb), ledgerDb);
      ledger = await benchLedger(handle.db, ids, clients, seconds, batch);
      const samples = await sampler.stop();
      console.log(
        `ledger: ${ledger.transfers} transfers in ${ledger.batches} transactions over ${ledger.seconds.toFixed(1)} s` +
          (ledger.refused ? ` (${ledger.refused} refused)` : ''),
      );
      console.log(
        `ledger latency per transaction of ${batch}: p50 ${ledger.latencyMsP50.toFixed(1)} ms · p99 ${ledger.latencyMsP99.toFixed(1)} ms · max ${ledger.latencyMsMax.toFixed(1)} ms`,
      );
      console.log(`${describeSamples(samples)}; Node used ${ledger.nodeCpuPercent.toFixed(0)}% of one core`);
      const report = await verifyLedger(handle.db);
      console.log(
        `verifyLedger: ${report.ok ? 'clean' : `${report.breaches.length} breaches`} (${report.transfers} transfers)`,
      );
      if (!report.ok) {
        for (const b of report.breaches) console.error(`  ${b.check}: ${b.detail}`);
        process.exitCode = 1;
      }
    } finally {
      await handle.close();
    }
  } finally {
    await admin(databaseUrl, `drop database if exists ${ledgerDb} with (force)`);
  }

  const ledgerPerSecond = ledger.transfers / ledger.seconds;
  if (skipPgbench) {
    console.log(`ledger transfers/s ${Math.round(ledgerPerSecond)}`);
    return;
  }
  if (stopRequested) {
    process.exitCode = 130;
    return;
  }
  let pgbench: { tps: number; latencyMsAvg: number };
  await admin(databaseUrl, `create database ${pgbenchDb}`);
  try {
    pgbench = await benchPgbench(databaseUrl, pgbenchDb, clients, seconds);
  } finally {
    await admin(databaseUrl, `drop database if exists ${pgbenchDb} with (force)`);
  }
  console.log(
    `pgbench TPC-B: scale ${PGBENCH_SCALE}, ${clients} clients, -j ${Math.min(PGBENCH_THREADS, clients)}, ${seconds} s: tps ${pgbench.tps.toFixed(0)}, latency avg ${pgbench.latencyMsAvg.toFixed(1)} ms`,
  );
  console.log(
    `ledger transfers/s ${Math.round(ledgerPerSecond)} · pgbench tps ${Math.round(pgbench.tps)} · ratio ${(ledgerPerSecond / pgbench.tps).toFixed(2)}`,
  );
});
