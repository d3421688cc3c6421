import { randomUUID } from 'node:crypto';
import { customerAccounts, platformAccountId, transfer } from '../../src/modules/ledger/index.ts';
import { signedInCustomer, type TestCustomer } from './customers.ts';
import { verifyCustomer } from './kyc.ts';
import type { TestApp } from './test-app.ts';

/** Loan products and loans written straight into their tables (sections 1–4 build them through the API). */

export interface ProductOptions {
  bidMinFen?: bigint;
  bidStepFen?: bigint;
  bidMaxPerInvestorFen?: bigint | null;
  riskLevels?: string[];
  allowBonus?: boolean;
  serviceFeePpm?: bigint;
  guaranteeFeePpm?: bigint;
  managementFeePpm?: bigint;
}

let serial = 0;

export async function insertProduct(t: TestApp, o: ProductOptions = {}): Promise<string> {
  serial += 1;
  const id = `prd_${randomUUID()}`;
  await t.database.db
    .insertInto('loan_products')
    .values({
      id,
      code: `t${process.pid}_${serial}_${randomUUID().slice(0, 6)}`,
      name_zh: '测试标',
      name_en: 'Test product',
      loan_type: 'credit',
      methods: ['equal_installment', 'equal_principal', 'bullet', 'interest_monthly', 'quarterly'],
      amount_min_fen: 100n,
      amount_max_fen: 100_000_000_000n,
      term_unit: 'month',
      term_min: 1,
      term_max: 36,
      rate_min_ppm: 0n,
      rate_max_ppm: 240_000n,
      bid_min_fen: o.bidMinFen ?? 100n,
      bid_step_fen: o.bidStepFen ?? 100n,
      bid_max_per_investor_fen: o.bidMaxPerInvestorFen ?? null,
      raise_days: 7,
      service_fee_ppm: o.serviceFeePpm ?? 0n,
      guarantee_fee_ppm: o.guaranteeFeePpm ?? 0n,
      management_fee_ppm: o.managementFeePpm ?? 0n,
      risk_levels: o.riskLevels ?? [],
      allow_bonus: o.allowBonus ?? false,
    })
    .execute();
  return id;
}

export interface LoanOptions {
  amountFen?: bigint;
  annualRatePpm?: bigint;
  method?: string;
  termMonths?: number;
  raiseEndsAt?: Date;
  status?: 'raising' | 'submitted';
}

export async function insertRaisingLoan(
  t: TestApp,
  productId: string,
  borrowerId: string,
  o: LoanOptions = {},
): Promise<string> {
  serial += 1;
  const id = `loan_${randomUUID()}`;
  await t.database.db
    .insertInto('loans')
    .values({
      id,
      loan_no: `T${Date.now()}${serial}${randomUUID().slice(0, 4)}`,
      product_id: productId,
      borrower_id: borrowerId,
      title: `测试借款 ${serial}`,
      purpose: '经营周转',
      amount_fen: o.amountFen ?? 1_000_000n,
      annual_rate_ppm: o.annualRatePpm ?? 120_000n,
      method: o.method ?? 'equal_installment',
      term_months: o.termMonths ?? 6,
      term_days: null,
      grade: 'A',
      status: o.status ?? 'raising',
      publish_at: new Date(),
      raise_ends_at: o.raiseEndsAt ?? new Date(Date.now() + 24 * 3600 * 1000),
    })
    .execute();
  return id;
}

/** A verified investor with a risk level, `cashFen` of cash and `bonusFen` of bonus money. */
export async function investor(
  t: TestApp,
  o: { cashFen?: bigint; bonusFen?: bigint; level?: string | null; verified?: boolean } = {},
): Promise<TestCustomer> {
  const c = await signedInCustomer(t);
  if (o.verified !== false) await verifyCustomer(t, c.id, '李四');
  if (o.level !== null) {
    await t.database.db
      .insertInto('risk_assessments')
      .values({
        id: `ra_${randomUUID()}`,
        user_id: c.id,
        questionnaire_version: 1,
        answers: '{}',
        score: 50,
        level: (o.level ?? 'balanced') as 'balanced',
        expires_at: new Date(Date.now() + 365 * 24 * 3600 * 1000),
      })
      .execute();
  }
  await fund(t, c.id, o.cashFen ?? 0n, o.bonusFen ?? 0n);
  return c;
}

export async function fund(t: TestApp, userId: string, cashFen: bigint, bonusFen = 0n): Promise<void> {
  if (cashFen === 0n && bonusFen === 0n) return;
  await t.database.db.transaction().execute(async (trx) => {
    const accounts = await customerAccounts(trx, userId);
    serial += 1;
    if (cashFen > 0n)
      await transfer(trx, {
        id: `test-recharge-${userId}-${serial}`,
        debitAccountId: platformAccountId('custody_cash'),
        creditAccountId: accounts.cash.id,
        amountFen: cashFen,
        code: 'recharge',
      });
    if (bonusFen > 0n)
      await transfer(trx, {
        id: `test-bonus-${userId}-${serial}`,
        debitAccountId: platformAccountId('marketing_expense'),
        creditAccountId: accounts.bonus.id,
        amountFen: bonusFen,
        code: 'bonus',
      });
  });
}

let keySerial = 0;

export function bid(t: TestApp, c: TestCustomer, loanId: string, amountFen: unknown, idem?: string) {
  keySerial += 1;
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/loans/${loanId}/bids`,
    payload: { amountFen },
    headers: { ...c.headers, 'idempotency-key': idem ?? `bid-${process.pid}-${keySerial}-${randomUUID()}` },
  });
}
