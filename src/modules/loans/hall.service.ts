import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { HALL_STATUSES, type HallStatus } from './loan-status.ts';

/** Sort orders of the financing hall. */
export const HALL_SORTS = [
  'newest',
  'rate_desc',
  'rate_asc',
  'term_asc',
  'term_desc',
  'amount_desc',
  'progress_desc',
] as const;
export type HallSort = (typeof HALL_SORTS)[number];
/** Most bid records a loan's detail page shows (newest first); the total count is given too. */
export const DETAIL_BIDS_MAX = 50;

export interface HallFilter {
  readonly status?: HallStatus | undefined;
  readonly type?: string | undefined;
  readonly method?: string | undefined;
  readonly grade?: string | undefined;
  readonly rateMinPpm?: bigint | undefined;
  readonly rateMaxPpm?: bigint | undefined;
  readonly termMin?: number | undefined;
  readonly termMax?: number | undefined;
  readonly sort: HallSort;
  readonly limit: number;
  readonly offset: number;
}

/** A loan's term in whole months for filtering; day loans count as the months they touch. */
const termMonthsExpr = sql<number>`coalesce(l.term_months, ceil(l.term_days / 30.0)::int)`;

function hallQuery(db: Db) {
  return db
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .innerJoin('users as u', 'u.id', 'l.borrower_id')
    .leftJoin('customer_real_names as r', 'r.user_id', 'l.borrower_id')
    .leftJoin('companies as c', 'c.user_id', 'l.borrower_id')
    .selectAll('l')
    .select([
      'p.name_zh as product_name_zh',
      'p.name_en as product_name_en',
      'p.loan_type',
      'p.bid_min_fen',
      'p.bid_step_fen',
      'p.bid_max_per_investor_fen',
      'p.management_fee_ppm',
      'p.risk_levels',
      'p.allow_bonus',
      'u.phone_masked as borrower_phone_masked',
      'u.kind as borrower_kind',
      'r.name_masked as borrower_name_masked',
      'c.name as company_name',
    ]);
}
export type HallRow = Awaited<ReturnType<ReturnType<typeof hallQuery>['execute']>>[number];

/** 融资大厅: public loans with filters, sorted, offset-paged (bounded). */
export async function listHallLoans(db: Db, f: HallFilter): Promise<HallRow[]> {
  let q = hallQuery(db).where('l.status', 'in', f.status ? [f.status] : [...HALL_STATUSES]);
  if (f.type) q = q.where('p.loan_type', '=', f.type as never);
  if (f.method) q = q.where('l.method', '=', f.method);
  if (f.grade) q = q.where('l.grade', '=', f.grade);
  if (f.rateMinPpm !== undefined) q = q.where('l.annual_rate_ppm', '>=', f.rateMinPpm);
  if (f.rateMaxPpm !== undefined) q = q.where('l.annual_rate_ppm', '<=', f.rateMaxPpm);
  if (f.termMin !== undefined) q = q.where(termMonthsExpr, '>=', f.termMin);
  if (f.termMax !== undefined) q = q.where(termMonthsExpr, '<=', f.termMax);
  // Raising loans first, then second review, repaying, finished.
  q = q.orderBy(sql`case l.status when 'raising' then 0 when 'second_review' then 1 when 'repaying' then 2 else 3 end`);
  switch (f.sort) {
    case 'rate_desc':
      q = q.orderBy('l.annual_rate_ppm', 'desc');
      break;
    case 'rate_asc':
      q = q.orderBy('l.annual_rate_ppm', 'asc');
      break;
    case 'term_asc':
      q = q.orderBy(termMonthsExpr, 'asc').orderBy('l.term_days', 'asc');
      break;
    case 'term_desc':
      q = q.orderBy(termMonthsExpr, 'desc').orderBy('l.term_days', 'desc');
      break;
    case 'amount_desc':
      q = q.orderBy('l.amount_fen', 'desc');
      break;
    case 'progress_desc':
      q = q.orderBy(sql`l.raised_fen::numeric / l.amount_fen`, 'desc');
      break;
    default:
      break;
  }
  return q
    .orderBy('l.publish_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(f.limit + 1)
    .offset(f.offset)
    .execute();
}

export async function findHallLoan(db: Db, id: string): Promise<HallRow | undefined> {
  return hallQuery(db)
    .where('l.id', '=', id)
    .where('l.status', 'in', [...HALL_STATUSES])
    .executeTakeFirst();
}

/** The newest bids on a loan with investors masked, and how many there are in all (held or posted). */
export async function loanBidRecords(db: Db, loanId: string) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('bids as b')
      .innerJoin('users as u', 'u.id', 'b.investor_id')
      .select(['b.id', 'b.amount_fen', 'b.source', 'b.status', 'b.created_at', 'u.phone_masked'])
      .where('b.loan_id', '=', loanId)
      .where('b.status', '<>', 'voided')
      .orderBy('b.created_at', 'desc')
      .orderBy('b.id', 'desc')
      .limit(DETAIL_BIDS_MAX)
      .execute(),
    db
      .selectFrom('bids')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('loan_id', '=', loanId)
      .where('status', '<>', 'voided')
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Kinds of the documents a loan carries and how many of each (no files, no names). */
export async function documentSummary(db: Db, borrowerId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('documents')
    .select(['kind', 'status'])
    .where('user_id', '=', borrowerId)
    .where('id', 'in', [...ids])
    .execute();
  const byKind = new Map<string, { kind: string; count: number; approved: number }>();
  for (const r of rows) {
    const entry = byKind.get(r.kind) ?? { kind: r.kind, count: 0, approved: 0 };
    entry.count += 1;
    if (r.status === 'approved') entry.approved += 1;
    byKind.set(r.kind, entry);
  }
  return [...byKind.values()];
}

/** Masked borrower as the public sees them: "张**", a masked company name, or the masked phone. */
export function maskedBorrower(row: HallRow): string {
  if (row.borrower_kind === 'company' && row.company_name) {
    const name = row.company_name;
    return `${name.slice(0, 2)}${'*'.repeat(Math.max(2, Math.min(6, name.length - 2)))}`;
  }
  return row.borrower_name_masked ?? row.borrower_phone_masked;
}
