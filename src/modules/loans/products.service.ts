import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { LoanProductsTable } from '../../db/schema.ts';
import { audit } from '../../platform/audit.ts';
import { LoanError } from './loans.errors.ts';
import { type ProductInput, rateText, validateProduct } from './products.ts';

export type ProductRow = Selectable<LoanProductsTable>;

/** Most products one installation lists at once (the list is not paged). */
export const PRODUCTS_LIST_MAX = 200;

/** A product as the API shows it. */
export function productView(p: ProductRow) {
  return {
    id: p.id,
    code: p.code,
    nameZh: p.name_zh,
    nameEn: p.name_en,
    loanType: p.loan_type,
    methods: p.methods,
    amountMinFen: p.amount_min_fen,
    amountMaxFen: p.amount_max_fen,
    termUnit: p.term_unit,
    termMin: p.term_min,
    termMax: p.term_max,
    rateMin: rateText(p.rate_min_ppm),
    rateMax: rateText(p.rate_max_ppm),
    bidMinFen: p.bid_min_fen,
    bidStepFen: p.bid_step_fen,
    bidMaxPerInvestorFen: p.bid_max_per_investor_fen,
    raiseDays: p.raise_days,
    serviceFeeRate: rateText(p.service_fee_ppm),
    guaranteeFeeRate: rateText(p.guarantee_fee_ppm),
    managementFeeRate: rateText(p.management_fee_ppm),
    riskLevels: p.risk_levels,
    allowBonus: p.allow_bonus,
    netWorthShare: p.net_worth_share_ppm === null ? null : rateText(p.net_worth_share_ppm),
    publishTwoPersonAboveFen: p.publish_two_person_above_fen,
    status: p.status,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export async function createLoanProduct(trx: Trx, input: ProductInput, request?: FastifyRequest): Promise<ProductRow> {
  const values = validateProduct(input);
  const taken = await trx.selectFrom('loan_products').select('id').where('code', '=', values.code).executeTakeFirst();
  if (taken) throw LoanError.PRODUCT_CODE_TAKEN({ field: 'code' });
  const id = `lp_${randomUUID().replaceAll('-', '')}`;
  let row: ProductRow;
  try {
    row = await trx
      .insertInto('loan_products')
      .values({ id, ...values })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw LoanError.PRODUCT_CODE_TAKEN({ field: 'code' });
    throw error;
  }
  await audit(trx, request, {
    action: 'loans.product_created',
    targetKind: 'loan_product',
    targetId: id,
    after: productView(row),
  });
  return row;
}

export async function updateLoanProduct(
  trx: Trx,
  id: string,
  input: ProductInput,
  request?: FastifyRequest,
): Promise<ProductRow> {
  const before = await trx.selectFrom('loan_products').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!before) throw LoanError.PRODUCT_NOT_FOUND();
  const values = validateProduct(input);
  const clash = await trx
    .selectFrom('loan_products')
    .select('id')
    .where('code', '=', values.code)
    .where('id', '<>', id)
    .executeTakeFirst();
  if (clash) throw LoanError.PRODUCT_CODE_TAKEN({ field: 'code' });
  const row = await trx
    .updateTable('loan_products')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, request, {
    action: 'loans.product_updated',
    targetKind: 'loan_product',
    targetId: id,
    before: productView(before),
    after: productView(row),
  });
  return row;
}

export async function listLoanProducts(db: Db | Trx, options: { activeOnly: boolean }): Promise<ProductRow[]> {
  let q = db.selectFrom('loan_products').selectAll();
  if (options.activeOnly) q = q.where('status', '=', 'active');
  return q.orderBy('created_at').orderBy('id').limit(PRODUCTS_LIST_MAX).execute();
}

export async function findLoanProduct(db: Db | Trx, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('loan_products').selectAll().where('id', '=', id).executeTakeFirst();
}
