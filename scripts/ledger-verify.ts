/**
 * `npm run ledger:verify`: check the ledger's invariants in the configured database (DATABASE_URL, else the
 * embedded one in DATA_DIR) and print a report. Exits 1 on any breach, or when the database cannot be read.
 * It only reads: it never migrates, fixes or writes anything.
 */
import fs from 'node:fs';
import { loadConfig, loadDotEnv } from '../src/config.ts';
import { openConfiguredDatabase } from '../src/db/database.ts';
import { type LedgerReport, verifyLedger } from '../src/modules/ledger/index.ts';
import { formatYuan } from '../src/modules/money/index.ts';
import { runCli } from '../src/platform/cli.ts';

const PG_UNDEFINED_TABLE = '42P01';

/** Where the report came from, without the password. */
function describeDatabase(databaseUrl: string | undefined, embeddedDbDir: string): string {
  if (!databaseUrl) return `embedded PGlite in ${embeddedDbDir}`;
  const url = new URL(databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

function money(fen: bigint): string {
  return `${formatYuan(fen, { symbol: true })} (${fen} fen)`;
}

function render(report: LedgerReport, source: string): string {
  const rows: [string, string][] = [
    ['accounts', report.accounts.toLocaleString('en-US')],
    ['transfers', report.transfers.toLocaleString('en-US')],
    ['customer balances total', money(report.customerBalanceFen)],
    ['custody cash', money(report.custodyCashFen)],
    ['breaches', String(report.breaches.length)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `Ledger verification — ${source}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ];
  for (const b of report.breaches) {
    const where = [b.accountId && `account ${b.accountId}`, b.transferId && `transfer ${b.transferId}`]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ✗ ${b.check}${where ? ` (${where})` : ''}: ${b.detail}`);
  }
  lines.push(
    report.ok
      ? 'OK: every invariant holds.'
      : `FAILED: ${report.breaches.length} breach(es) of the ledger's invariants.`,
  );
  return lines.join('\n');
}

await runCli(async () => {
  loadDotEnv();
  const config = loadConfig();
  const source = describeDatabase(config.databaseUrl, config.embeddedDbDir);
  if (!config.databaseUrl && !fs.existsSync(config.embeddedDbDir)) {
    // Opening PGlite would create an empty database there; say what is wrong instead.
    console.error(`No embedded database at ${config.embeddedDbDir}: set DATABASE_URL, or run \`npm start\` once.`);
    process.exitCode = 1;
    return;
  }
  const handle = await openConfiguredDatabase(config);
  try {
    let report: LedgerReport;
    try {
      report = await verifyLedger(handle.db);
    } catch (error) {
      if ((error as { code?: string }).code === PG_UNDEFINED_TABLE) {
        console.error(`The ledger tables do not exist in ${source}: run \`npm run db:migrate\` first.`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
    console.log(render(report, source));
    if (!report.ok) process.exitCode = 1;
  } finally {
    await handle.close();
  }
});
