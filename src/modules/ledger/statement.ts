import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { defineErrors } from '../../platform/errors.ts';
import { type Language, localize } from '../../platform/i18n.ts';
import { formatYuan } from '../money/index.ts';
import type { NormalSide } from './accounts.ts';
import { isTransferCode, TRANSFER_CODES, type TransferCode } from './transfer-codes.ts';

export const StatementError = defineErrors({
  INVALID_CURSOR: { status: 400, zh: '分页游标无效', en: 'Invalid page cursor' },
  INVALID_DATE_RANGE: { status: 400, zh: '日期范围无效', en: 'Invalid date range' },
});

export const STATEMENT_PAGE_MAX = 100;
export const STATEMENT_PAGE_DEFAULT = 20;
/** Most rows one CSV export may hold. */
export const STATEMENT_EXPORT_ROWS_MAX = 10_000;

/** One line of a statement (资金流水), seen from the account's side. */
export interface StatementEntry {
  readonly transferId: string;
  readonly createdAt: Date;
  readonly code: string;
  readonly kind: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  /** Money that came in (posted). */
  readonly inFen: bigint;
  /** Money that went out (posted). */
  readonly outFen: bigint;
  /** Change in frozen funds: positive when frozen, negative when released or paid out of a hold. */
  readonly frozenChangeFen: bigint;
  readonly balanceAfterFen: bigint;
  readonly frozenAfterFen: bigint;
  readonly availableAfterFen: bigint;
  readonly refs: Readonly<Record<string, string>>;
  readonly memo: string | null;
}

export interface StatementQuery {
  readonly limit?: number;
  readonly cursor?: string;
  readonly codes?: readonly string[];
  /** Business dates (Asia/Shanghai), inclusive. */
  readonly fromDate?: string;
  readonly toDate?: string;
}

export interface StatementPage {
  readonly items: StatementEntry[];
  readonly nextCursor: string | null;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function encodeCursor(seq: bigint): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^s\d{1,19}$/.test(text)) throw StatementError.INVALID_CURSOR({ field: 'cursor' });
  return BigInt(text.slice(1));
}

/** How a transfer changed one account: posted balance and frozen funds, on the account's normal side. */
function effect(
  side: NormalSide,
  accountIsDebit: boolean,
  kind: StatementEntry['kind'],
  amountFen: bigint,
  heldFen: bigint | null,
): { balanceDeltaFen: bigint; frozenDeltaFen: bigint } {
  const towardsNormal = (side === 'debit') === accountIsDebit ? 1n : -1n;
  const posted = kind === 'posted' || kind === 'post_pending' ? amountFen : 0n;
  // Frozen funds are the pending amounts on the side that reduces the balance.
  const reducesBalance = towardsNormal === -1n;
  let frozen = 0n;
  if (reducesBalance) {
    if (kind === 'pending') frozen = amountFen;
    else if (kind === 'post_pending' || kind === 'void_pending') frozen = -(heldFen ?? 0n);
  }
  return { balanceDeltaFen: towardsNormal * posted, frozenDeltaFen: frozen };
}

/** A page of one account's statement, newest first. */
export async function listStatement(db: Db, accountId: string, query: StatementQuery = {}): Promise<StatementPage> {
  const limit = Math.min(Math.max(query.limit ?? STATEMENT_PAGE_DEFAULT, 1), STATEMENT_EXPORT_ROWS_MAX);
  const beforeSeq = query.cursor ? decodeCursor(query.cursor) : undefined;
  for (const [field, value] of [
    ['fromDate', query.fromDate],
    ['toDate', query.toDate],
  ] as const) {
    if (value !== undefined && !validDate(value)) throw StatementError.INVALID_DATE_RANGE({ field });
  }
  if (query.fromDate && query.toDate && query.fromDate > query.toDate)
    throw StatementError.INVALID_DATE_RANGE({ field: 'fromDate' });
  const codes = query.codes?.filter(isTransferCode);

  const account = await db
    .selectFrom('ledger_accounts')
    .select(['normal_side'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!account) return { items: [], nextCursor: null };

  const rows = await sql<{
    id: string;
    seq: bigint;
    created_at: Date;
    code: string;
    kind: StatementEntry['kind'];
    amount_fen: bigint;
    held_fen: bigint | null;
    is_debit: boolean;
    balance_after_fen: bigint;
    frozen_after_fen: bigint;
    refs: Record<string, string>;
    memo: string | null;
  }>`
    select t.id, t.seq, t.created_at, t.code, t.kind, t.amount_fen, p.amount_fen as held_fen,
           t.debit_account_id = ${accountId} as is_debit,
           case when t.debit_account_id = ${accountId} then t.debit_balance_after_fen else t.credit_balance_after_fen end as balance_after_fen,
           case when t.debit_account_id = ${accountId} then t.debit_frozen_after_fen else t.credit_frozen_after_fen end as frozen_after_fen,
           t.refs, t.memo
    from ledger_transfers t
    left join ledger_transfers p on p.id = t.pending_id
    where (t.debit_account_id = ${accountId} or t.credit_account_id = ${accountId})
      ${beforeSeq !== undefined ? sql`and t.seq < ${beforeSeq}` : sql``}
      ${codes !== undefined ? (codes.length ? sql`and t.code in (${sql.join(codes)})` : sql`and false`) : sql``}
      ${query.fromDate ? sql`and t.created_at >= (${query.fromDate}::date)::timestamp at time zone 'Asia/Shanghai'` : sql``}
      ${query.toDate ? sql`and t.created_at < (${query.toDate}::date + 1)::timestamp at time zone 'Asia/Shanghai'` : sql``}
    order by t.seq desc
    limit ${limit + 1}
  `.execute(db);

  const page = rows.rows.slice(0, limit);
  const items = page.map((r): StatementEntry => {
    const e = effect(account.normal_side, r.is_debit, r.kind, r.amount_fen, r.held_fen);
    return {
      transferId: r.id,
      createdAt: r.created_at,
      code: r.code,
      kind: r.kind,
      inFen: e.balanceDeltaFen > 0n ? e.balanceDeltaFen : 0n,
      outFen: e.balanceDeltaFen < 0n ? -e.balanceDeltaFen : 0n,
      frozenChangeFen: e.frozenDeltaFen,
      balanceAfterFen: r.balance_after_fen,
      frozenAfterFen: r.frozen_after_fen,
      availableAfterFen: r.balance_after_fen - r.frozen_after_fen,
      refs: r.refs ?? {},
      memo: r.memo,
    };
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.rows.length > limit && last ? encodeCursor(last.seq) : null };
}

/** The name of a transfer code in a language (the code itself when unknown). */
export function transferCodeName(code: string, language: Language): string {
  return isTransferCode(code) ? localize(TRANSFER_CODES[code as TransferCode], language) : code;
}

function csvCell(text: string): string {
  // Quote always; neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

const NO_GROUPING = { grouping: false } as const;

const CSV_HEADERS = {
  zh: ['时间', '类型', '收入(元)', '支出(元)', '冻结变动(元)', '余额(元)', '冻结(元)', '可用(元)', '流水号'],
  en: [
    'Time',
    'Type',
    'In (CNY)',
    'Out (CNY)',
    'Frozen change (CNY)',
    'Balance (CNY)',
    'Frozen (CNY)',
    'Available (CNY)',
    'Reference',
  ],
};

/** The statement as CSV (UTF-8 with BOM so spreadsheet programs read Chinese), times in Asia/Shanghai. */
export function statementCsv(entries: readonly StatementEntry[], language: Language): string {
  const time = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const header = language === 'en-US' ? CSV_HEADERS.en : CSV_HEADERS.zh;
  const lines = [header.map(csvCell).join(',')];
  for (const e of entries) {
    // Amounts are plain numbers (no formula risk) and are left unquoted so spreadsheets sum them.
    lines.push(
      [
        csvCell(time.format(e.createdAt)),
        csvCell(transferCodeName(e.code, language)),
        formatYuan(e.inFen, NO_GROUPING),
        formatYuan(e.outFen, NO_GROUPING),
        formatYuan(e.frozenChangeFen, NO_GROUPING),
        formatYuan(e.balanceAfterFen, NO_GROUPING),
        formatYuan(e.frozenAfterFen, NO_GROUPING),
        formatYuan(e.availableAfterFen, NO_GROUPING),
        csvCell(e.transferId),
      ].join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
