import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { type Selectable, sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { LoansTable } from '../../db/schema.ts';
import { audit } from '../../platform/audit.ts';
import { formatYuan, parseAnnualRate } from '../money/index.ts';
import {
  computeSchedule,
  readCalculatorInput,
  type Schedule,
  type ScheduleInput,
  shanghaiDate,
} from '../servicing/schedule/index.ts';
import { OPEN_STATUSES, recordLoanEvent } from './loan-status.ts';
import { LoanError } from './loans.errors.ts';
import type { ProductRow } from './products.service.ts';
import { rateText } from './products.ts';

export type LoanRow = Selectable<LoansTable>;

/** Most documents one application may attach. */
export const APPLICATION_DOCUMENTS_MAX = 20;
/** Most applications one borrower may have waiting (submitted, returned or scheduled). */
export const OPEN_APPLICATIONS_MAX = 5;
export const PURPOSE_CHARS_MAX = 500;
export const TITLE_CHARS_MAX = 60;
export const APPLICATIONS_PAGE_MAX = 100;

/** What a borrower sends to apply (and again to resubmit). */
export interface ApplicationTerms {
  readonly amountFen: bigint;
  readonly termMonths?: number | undefined;
  readonly termDays?: number | undefined;
  readonly annualRate: string;
  readonly method: string;
  readonly title?: string | undefined;
  readonly purpose: string;
  readonly documentIds: readonly string[];
}

export interface ApplicationInput extends ApplicationTerms {
  readonly productId: string;
}

/** The terms checked against the product; throws a 4xx naming the field at the first rule broken. */
export function checkTermsAgainstProduct(product: ProductRow, terms: ApplicationTerms) {
  if (terms.amountFen < product.amount_min_fen || terms.amountFen > product.amount_max_fen)
    throw LoanError.AMOUNT_OUT_OF_RANGE({
      field: 'amountFen',
      min: formatYuan(product.amount_min_fen),
      max: formatYuan(product.amount_max_fen),
    });
  const inDays = product.term_unit === 'day';
  const term = inDays ? terms.termDays : terms.termMonths;
  const other = inDays ? terms.termMonths : terms.termDays;
  if (term === undefined || other !== undefined)
    throw LoanError.TERM_UNIT_MISMATCH({ field: inDays ? 'termDays' : 'termMonths', unit: product.term_unit });
  if (term < product.term_min || term > product.term_max)
    throw LoanError.TERM_OUT_OF_RANGE({
      field: inDays ? 'termDays' : 'termMonths',
      min: product.term_min,
      max: product.term_max,
    });
  const rate = parseAnnualRate(terms.annualRate, { field: 'annualRate', maxPpm: product.rate_max_ppm });
  if (rate.ppm < product.rate_min_ppm)
    throw LoanError.RATE_OUT_OF_RANGE({
      field: 'annualRate',
      min: rateText(product.rate_min_ppm),
      max: rateText(product.rate_max_ppm),
    });
  if (!product.methods.includes(terms.method)) throw LoanError.METHOD_NOT_ALLOWED({ field: 'method' });
  // The engine's own rules (quarterly needs whole quarters, …) as 400s naming the field.
  const schedule = readCalculatorInput({
    amountFen: terms.amountFen,
    annualRate: terms.annualRate,
    method: terms.method,
    termMonths: terms.termMonths,
    termDays: terms.termDays,
    startDate: shanghaiDate(Date.now()),
  });
  const purpose = terms.purpose.trim();
  if (purpose.length < 2) throw LoanError.PRODUCT_RANGE_INVALID({ field: 'purpose' });
  return {
    ratePpm: rate.ppm,
    termMonths: inDays ? null : term,
    termDays: inDays ? term : null,
    purpose,
    schedule,
  };
}

/** The loan's schedule as if lent on `startDate` (default today in Asia/Shanghai). */
export function schedulePreview(loan: LoanRow, startDate = shanghaiDate(Date.now())): Schedule {
  const common = { amountFen: loan.amount_fen, annualRate: { ppm: loan.annual_rate_ppm, text: '' }, startDate };
  const input: ScheduleInput =
    loan.method === 'daily'
      ? { ...common, method: 'daily', termDays: loan.term_days ?? 1 }
      : {
          ...common,
          method: loan.method as Exclude<ScheduleInput['method'], 'daily'>,
          termMonths: loan.term_months ?? 1,
        };
  return computeSchedule(input);
}

async function checkDocuments(trx: Trx, userId: string, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length > APPLICATION_DOCUMENTS_MAX) throw LoanError.PRODUCT_RANGE_INVALID({ field: 'documentIds' });
  if (unique.length === 0) return [];
  const rows = await trx
    .selectFrom('documents')
    .select(['id', 'status'])
    .where('user_id', '=', userId)
    .where('id', 'in', unique)
    .execute();
  const found = new Map(rows.map((r) => [r.id, r.status]));
  for (const id of unique) {
    const status = found.get(id);
    if (status === undefined) throw LoanError.DOCUMENT_NOT_FOUND({ field: 'documentIds', documentId: id });
    if (status === 'rejected') throw LoanError.DOCUMENT_REJECTED({ field: 'documentIds', documentId: id });
  }
  return unique;
}

async function checkBorrower(trx: Trx, userId: string, product: ProductRow) {
  const realName = await trx
    .selectFrom('customer_real_names')
    .select('user_id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!realName) throw LoanError.REAL_NAME_REQUIRED();
  if (product.loan_type === 'corporate') {
    const company = await trx.selectFrom('companies').select('id').where('user_id', '=', userId).executeTakeFirst();
    if (!company) throw LoanError.COMPANY_REQUIRED();
  }
}

function newLoanNo(): string {
  return `JK${shanghaiDate(Date.now()).replaceAll('-', '')}${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** 借款申请: a real-name-verified borrower applies for a loan under an active product. */
export async function applyForLoan(
  trx: Trx,
  userId: string,
  input: ApplicationInput,
  request?: FastifyRequest,
): Promise<LoanRow> {
  const product = await trx
    .selectFrom('loan_products')
    .selectAll()
    .where('id', '=', input.productId)
    .executeTakeFirst();
  if (!product) throw LoanError.PRODUCT_NOT_FOUND({ field: 'productId' });
  if (product.status !== 'active') throw LoanError.PRODUCT_DISABLED({ field: 'productId' });
  const terms = checkTermsAgainstProduct(product, input);
  await checkBorrower(trx, userId, product);
  const documentIds = await checkDocuments(trx, userId, input.documentIds);
  // One borrower's applications are counted under a lock on their user row, so two at once cannot pass.
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  const open = await trx
    .selectFrom('loans')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('borrower_id', '=', userId)
    .where('status', 'in', [...OPEN_STATUSES])
    .executeTakeFirstOrThrow();
  if (Number(open.n) >= OPEN_APPLICATIONS_MAX)
    throw LoanError.TOO_MANY_OPEN_APPLICATIONS({ max: OPEN_APPLICATIONS_MAX });

  const id = `loan_${randomUUID().replaceAll('-', '')}`;
  const loan = await trx
    .insertInto('loans')
    .values({
      id,
      loan_no: newLoanNo(),
      product_id: product.id,
      borrower_id: userId,
      title: input.title?.trim() || product.name_zh,
      purpose: terms.purpose,
      amount_fen: input.amountFen,
      annual_rate_ppm: terms.ratePpm,
      method: input.method,
      term_months: terms.termMonths,
      term_days: terms.termDays,
      status: 'submitted',
      document_ids: documentIds,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordLoanEvent(trx, { loanId: id, from: null, to: 'submitted', actor: { kind: 'customer', id: userId } });
  await audit(trx, request, {
    action: 'loans.application_submitted',
    targetKind: 'loan',
    targetId: id,
    after: { productId: product.id, amountFen: loan.amount_fen, annualRate: rateText(loan.annual_rate_ppm) },
  });
  return loan;
}

/** 补充资料后重新提交: the borrower changes a returned application and sends it back to first review. */
export async function resubmitApplication(
  trx: Trx,
  userId: string,
  loanId: string,
  input: ApplicationTerms,
  request?: FastifyRequest,
): Promise<LoanRow> {
  const loan = await trx
    .selectFrom('loans')
    .selectAll()
    .where('id', '=', loanId)
    .where('borrower_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!loan) throw LoanError.APPLICATION_NOT_FOUND();
  if (loan.status !== 'returned') throw LoanError.APPLICATION_NOT_RETURNED({ status: loan.status });
  const product = await trx
    .selectFrom('loan_products')
    .selectAll()
    .where('id', '=', loan.product_id)
    .executeTakeFirstOrThrow();
  if (product.status !== 'active') throw LoanError.PRODUCT_DISABLED({ field: 'productId' });
  const terms = checkTermsAgainstProduct(product, input);
  await checkBorrower(trx, userId, product);
  const documentIds = await checkDocuments(trx, userId, input.documentIds);
  const updated = await trx
    .updateTable('loans')
    .set({
      title: input.title?.trim() || loan.title,
      purpose: terms.purpose,
      amount_fen: input.amountFen,
      annual_rate_ppm: terms.ratePpm,
      method: input.method,
      term_months: terms.termMonths,
      term_days: terms.termDays,
      document_ids: documentIds,
      status: 'submitted',
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', loanId)
    .where('status', '=', 'returned')
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordLoanEvent(trx, { loanId, from: 'returned', to: 'submitted', actor: { kind: 'customer', id: userId } });
  await audit(trx, request, {
    action: 'loans.application_resubmitted',
    targetKind: 'loan',
    targetId: loanId,
    before: { amountFen: loan.amount_fen, documentIds: loan.document_ids },
    after: { amountFen: updated.amount_fen, documentIds: updated.document_ids },
  });
  return updated;
}

export interface LoanListRow extends LoanRow {
  readonly product_name_zh: string;
  readonly product_name_en: string;
  readonly loan_type: string;
}

/** A borrower's own applications and loans, newest first (offset paging, bounded). */
export async function listMyApplications(
  db: Db,
  userId: string,
  page: { limit: number; offset: number },
): Promise<LoanListRow[]> {
  return db
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .selectAll('l')
    .select(['p.name_zh as product_name_zh', 'p.name_en as product_name_en', 'p.loan_type'])
    .where('l.borrower_id', '=', userId)
    .orderBy('l.created_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
}

export async function findLoanWithProduct(db: Db | Trx, loanId: string): Promise<LoanListRow | undefined> {
  return db
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .selectAll('l')
    .select(['p.name_zh as product_name_zh', 'p.name_en as product_name_en', 'p.loan_type'])
    .where('l.id', '=', loanId)
    .executeTakeFirst();
}

export async function loanEvents(db: Db | Trx, loanId: string) {
  return db
    .selectFrom('loan_events')
    .select(['at', 'from_status', 'to_status', 'actor_kind', 'note'])
    .where('loan_id', '=', loanId)
    .orderBy('id')
    .limit(200)
    .execute();
}
