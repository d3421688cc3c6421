import { sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { type FieldCipher, maskName } from '../../../platform/crypto.ts';
import { CommonError } from '../../../platform/errors.ts';
import { newRecordId, shanghaiDate } from '../records.ts';
import { validateCreditCode } from '../validators.ts';
import { CompanyError } from './companies.errors.ts';
import {
  COMPANY_NAME_CHARS_MAX,
  COMPANY_NAME_CHARS_MIN,
  cleanCompanyName,
  cleanLegalRepresentative,
  FINANCIAL_YEAR_MIN,
  FINANCIAL_YEARS_MAX,
  FOUNDED_ON_MIN,
  type Industry,
  LEGAL_REPRESENTATIVE_CHARS_MAX,
  LEGAL_REPRESENTATIVE_CHARS_MIN,
} from './companies.ts';

/** Field-cipher context of the legal representative's name. Never rename it: it is bound into the ciphertext. */
const LEGAL_REP_CONTEXT = 'company.legal_representative';
const ID_PREFIX = 'cmp';
export const COMPANY_ID_PATTERN = `^${ID_PREFIX}_[0-9a-f]{32}$`;
const ID_REGEX = new RegExp(COMPANY_ID_PATTERN);
const UNIQUE_VIOLATION = '23505';
export const COMPANY_PAGE_DEFAULT = 20;
export const COMPANY_PAGE_MAX = 100;
const SEARCH_CHARS_MAX = 100;

export interface CompanyView {
  readonly id: string;
  readonly customerId: string;
  readonly name: string;
  readonly creditCode: string;
  readonly legalRepresentativeMasked: string;
  readonly registeredCapitalFen: bigint;
  readonly industry: Industry;
  readonly foundedOn: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface FinancialsView {
  readonly year: number;
  readonly revenueFen: bigint;
  readonly netProfitFen: bigint;
  readonly totalAssetsFen: bigint;
  readonly totalLiabilitiesFen: bigint;
  readonly updatedAt: Date;
}

export interface CompanyInput {
  readonly name: string;
  readonly creditCode: string;
  /** Required when the profile is created; when omitted on an update the current name is kept. */
  readonly legalRepresentative?: string | undefined;
  readonly registeredCapitalFen: bigint;
  readonly industry: Industry;
  readonly foundedOn: string;
}

export interface FinancialsInput {
  readonly year: number;
  readonly revenueFen: bigint;
  readonly netProfitFen: bigint;
  readonly totalAssetsFen: bigint;
  readonly totalLiabilitiesFen: bigint;
}

function companyQuery(db: Db | Trx) {
  return db
    .selectFrom('companies as c')
    .select([
      'c.id',
      'c.user_id',
      'c.name',
      'c.credit_code',
      'c.legal_rep_name_masked',
      'c.registered_capital_fen',
      'c.industry',
      sql<string>`c.founded_on::text`.as('founded_on'),
      'c.created_at',
      'c.updated_at',
    ]);
}

type CompanyRow = Awaited<ReturnType<ReturnType<typeof companyQuery>['executeTakeFirstOrThrow']>>;

function toView(row: CompanyRow): CompanyView {
  return {
    id: row.id,
    customerId: row.user_id,
    name: row.name,
    creditCode: row.credit_code,
    legalRepresentativeMasked: row.legal_rep_name_masked,
    registeredCapitalFen: row.registered_capital_fen,
    industry: row.industry as Industry,
    foundedOn: row.founded_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A real calendar date written YYYY-MM-DD. */
function isRealDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Check and normalise a profile; throws the first problem found. */
function checkCompany(input: CompanyInput, today: string) {
  const name = cleanCompanyName(input.name);
  if (name === undefined) {
    throw CompanyError.COMPANY_NAME_INVALID({
      field: 'name',
      min: COMPANY_NAME_CHARS_MIN,
      max: COMPANY_NAME_CHARS_MAX,
    });
  }
  const code = validateCreditCode(input.creditCode);
  if (!code.ok) {
    throw code.reason === 'format'
      ? CompanyError.CREDIT_CODE_INVALID({ field: 'creditCode' })
      : CompanyError.CREDIT_CODE_CHECK_FAILED({ field: 'creditCode' });
  }
  let legalRepresentative: string | undefined;
  if (input.legalRepresentative !== undefined) {
    legalRepresentative = cleanLegalRepresentative(input.legalRepresentative);
    if (legalRepresentative === undefined) {
      throw CompanyError.LEGAL_REPRESENTATIVE_INVALID({
        field: 'legalRepresentative',
        min: LEGAL_REPRESENTATIVE_CHARS_MIN,
        max: LEGAL_REPRESENTATIVE_CHARS_MAX,
      });
    }
  }
  if (!isRealDate(input.foundedOn) || input.foundedOn < FOUNDED_ON_MIN || input.foundedOn > today) {
    throw CompanyError.FOUNDED_ON_INVALID({ field: 'foundedOn', min: FOUNDED_ON_MIN });
  }
  return { name, creditCode: code.normalised, legalRepresentative };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === UNIQUE_VIOLATION;
}

/** The customer's company profile, or undefined when they have not recorded one. */
export async function findCustomerCompany(db: Db | Trx, userId: string): Promise<CompanyView | undefined> {
  const row = await companyQuery(db).where('c.user_id', '=', userId).executeTakeFirst();
  return row ? toView(row) : undefined;
}

/**
 * Create or replace the customer's company profile. The credit code is checked (GB 32100 check character)
 * and must not belong to another customer's profile. Returns the profile and whether it was created.
 */
export async function saveCustomerCompany(
  db: Db,
  cipher: FieldCipher,
  userId: string,
  input: CompanyInput,
  now: Date = new Date(),
): Promise<{ company: CompanyView; created: boolean; before: CompanyView | undefined }> {
  const checked = checkCompany(input, shanghaiDate(now));
  try {
    return await db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('companies')
        .select('user_id')
        .where('credit_code', '=', checked.creditCode)
        .where('user_id', '<>', userId)
        .executeTakeFirst();
      if (taken) throw CompanyError.CREDIT_CODE_TAKEN({ field: 'creditCode' });
      const before = await findCustomerCompany(trx, userId);
      const rep =
        checked.legalRepresentative === undefined
          ? undefined
          : {
              legal_rep_name_cipher: cipher.encrypt(checked.legalRepresentative, LEGAL_REP_CONTEXT),
              legal_rep_name_masked: maskName(checked.legalRepresentative),
            };
      const fields = {
        name: checked.name,
        credit_code: checked.creditCode,
        registered_capital_fen: input.registeredCapitalFen,
        industry: input.industry,
        founded_on: input.foundedOn,
      };
      if (before === undefined) {
        if (rep === undefined) throw CompanyError.LEGAL_REPRESENTATIVE_REQUIRED({ field: 'legalRepresentative' });
        await trx
          .insertInto('companies')
          .values({ id: newRecordId(ID_PREFIX), user_id: userId, ...fields, ...rep })
          .execute();
      } else {
        await trx
          .updateTable('companies')
          .set({ ...fields, ...(rep ?? {}), version: sql`version + 1`, updated_at: sql`now()` })
          .where('id', '=', before.id)
          .execute();
      }
      const company = await findCustomerCompany(trx, userId);
      return { company: company!, created: before === undefined, before };
    });
  } catch (error) {
    // Two customers saving the same code at once: the unique index decides, the loser hears why.
    if (isUniqueViolation(error)) throw CompanyError.CREDIT_CODE_TAKEN({ field: 'creditCode' });
    throw error;
  }
}

function financialsQuery(db: Db | Trx, companyId: string) {
  return db
    .selectFrom('company_financials')
    .select(['year', 'revenue_fen', 'net_profit_fen', 'total_assets_fen', 'total_liabilities_fen', 'updated_at'])
    .where('company_id', '=', companyId)
    .orderBy('year', 'desc');
}

function toFinancials(row: {
  year: number;
  revenue_fen: bigint;
  net_profit_fen: bigint;
  total_assets_fen: bigint;
  total_liabilities_fen: bigint;
  updated_at: Date;
}): FinancialsView {
  return {
    year: row.year,
    revenueFen: row.revenue_fen,
    netProfitFen: row.net_profit_fen,
    totalAssetsFen: row.total_assets_fen,
    totalLiabilitiesFen: row.total_liabilities_fen,
    updatedAt: row.updated_at,
  };
}

/** A company's yearly statements, newest year first (at most FINANCIAL_YEARS_MAX exist). */
export async function listFinancials(db: Db | Trx, companyId: string): Promise<FinancialsView[]> {
  const rows = await financialsQuery(db, companyId).limit(FINANCIAL_YEARS_MAX).execute();
  return rows.map(toFinancials);
}

async function requireCompany(db: Db | Trx, userId: string): Promise<CompanyView> {
  const company = await findCustomerCompany(db, userId);
  if (!company) throw CompanyError.COMPANY_NOT_FOUND();
  return company;
}

function checkYear(year: number, company: CompanyView, now: Date): void {
  const thisYear = Number(shanghaiDate(now).slice(0, 4));
  if (!Number.isInteger(year) || year < FINANCIAL_YEAR_MIN || year > thisYear) {
    throw CompanyError.FINANCIAL_YEAR_INVALID({ field: 'year', min: FINANCIAL_YEAR_MIN, max: thisYear });
  }
  const foundedYear = Number(company.foundedOn.slice(0, 4));
  if (year < foundedYear) throw CompanyError.FINANCIAL_YEAR_BEFORE_FOUNDING({ field: 'year', foundedYear });
}

/** Record one year's statement for the customer's company; one per year (a second one → 409). */
export async function addFinancials(
  db: Db,
  userId: string,
  input: FinancialsInput,
  now: Date = new Date(),
): Promise<FinancialsView> {
  const company = await requireCompany(db, userId);
  checkYear(input.year, company, now);
  try {
    return await db.transaction().execute(async (trx) => {
      await trx.selectFrom('companies').select('id').where('id', '=', company.id).forUpdate().execute();
      const count = await trx
        .selectFrom('company_financials')
        .select(sql<string>`count(*)`.as('n'))
        .where('company_id', '=', company.id)
        .executeTakeFirstOrThrow();
      const exists = await trx
        .selectFrom('company_financials')
        .select('year')
        .where('company_id', '=', company.id)
        .where('year', '=', input.year)
        .executeTakeFirst();
      if (exists) throw CompanyError.FINANCIAL_YEAR_EXISTS({ field: 'year', year: input.year });
      if (Number(count.n) >= FINANCIAL_YEARS_MAX) {
        throw CompanyError.FINANCIAL_YEARS_LIMIT_REACHED({ limit: FINANCIAL_YEARS_MAX });
      }
      const row = await trx
        .insertInto('company_financials')
        .values({
          company_id: company.id,
          year: input.year,
          revenue_fen: input.revenueFen,
          net_profit_fen: input.netProfitFen,
          total_assets_fen: input.totalAssetsFen,
          total_liabilities_fen: input.totalLiabilitiesFen,
        })
        .returning(['year', 'revenue_fen', 'net_profit_fen', 'total_assets_fen', 'total_liabilities_fen', 'updated_at'])
        .executeTakeFirstOrThrow();
      return toFinancials(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw CompanyError.FINANCIAL_YEAR_EXISTS({ field: 'year', year: input.year });
    throw error;
  }
}

/** Correct an existing year's statement. */
export async function updateFinancials(
  db: Db,
  userId: string,
  input: FinancialsInput,
  now: Date = new Date(),
): Promise<{ before: FinancialsView; after: FinancialsView }> {
  const company = await requireCompany(db, userId);
  checkYear(input.year, company, now);
  return db.transaction().execute(async (trx) => {
    const current = await financialsQuery(trx, company.id)
      .where('year', '=', input.year)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw CompanyError.FINANCIAL_YEAR_NOT_FOUND({ year: input.year });
    const row = await trx
      .updateTable('company_financials')
      .set({
        revenue_fen: input.revenueFen,
        net_profit_fen: input.netProfitFen,
        total_assets_fen: input.totalAssetsFen,
        total_liabilities_fen: input.totalLiabilitiesFen,
        updated_at: sql`now()`,
      })
      .where('company_id', '=', company.id)
      .where('year', '=', input.year)
      .returning(['year', 'revenue_fen', 'net_profit_fen', 'total_assets_fen', 'total_liabilities_fen', 'updated_at'])
      .executeTakeFirstOrThrow();
    return { before: toFinancials(current), after: toFinancials(row) };
  });
}

/** The customer's company and its statements (404 without a profile). */
export async function customerFinancials(db: Db, userId: string): Promise<FinancialsView[]> {
  const company = await requireCompany(db, userId);
  return listFinancials(db, company.id);
}

// ---------------------------------------------------------------------------------------------------
// Staff

export interface StaffCompanyView extends CompanyView {
  readonly customerPhoneMasked: string;
}

/** Companies newest first; `q` matches part of the name or a whole credit code. */
export async function listCompaniesForStaff(
  db: Db,
  query: { q?: string; industry?: Industry; customerId?: string; limit?: number; cursor?: string },
): Promise<{ items: StaffCompanyView[]; nextCursor: string | null }> {
  const limit = Math.min(query.limit ?? COMPANY_PAGE_DEFAULT, COMPANY_PAGE_MAX);
  if (query.cursor !== undefined && !ID_REGEX.test(query.cursor)) {
    throw CompanyError.COMPANY_INVALID_CURSOR({ field: 'cursor' });
  }
  let q = companyQuery(db).innerJoin('users as u', 'u.id', 'c.user_id').select('u.phone_masked');
  const text = query.q?.trim().slice(0, SEARCH_CHARS_MAX);
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const code = validateCreditCode(text);
    q = q.where((eb) =>
      eb.or([eb('c.name', 'ilike', like), ...(code.ok ? [eb('c.credit_code', '=', code.normalised)] : [])]),
    );
  }
  if (query.industry) q = q.where('c.industry', '=', query.industry);
  if (query.customerId) q = q.where('c.user_id', '=', query.customerId);
  if (query.cursor) q = q.where('c.id', '<', query.cursor);
  const rows = await q
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return {
    items: items.map((r) => ({ ...toView(r), customerPhoneMasked: r.phone_masked })),
    nextCursor: more ? (items.at(-1)?.id ?? null) : null,
  };
}

/** One company with its statements, for staff. */
export async function companyForStaff(
  db: Db,
  id: string,
): Promise<{ company: StaffCompanyView; financials: FinancialsView[] }> {
  const row = await companyQuery(db)
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select('u.phone_masked')
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!row) throw CommonError.NOT_FOUND({ id });
  return {
    company: { ...toView(row), customerPhoneMasked: row.phone_masked },
    financials: await listFinancials(db, id),
  };
}
