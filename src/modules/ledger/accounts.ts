import type { LocalizedText } from '../../platform/i18n.ts';

export type NormalSide = 'debit' | 'credit';

/** The four running totals of an account, as in TigerBeetle. */
export interface AccountTotals {
  readonly debitsPendingFen: bigint;
  readonly debitsPostedFen: bigint;
  readonly creditsPendingFen: bigint;
  readonly creditsPostedFen: bigint;
}

export interface Account extends AccountTotals {
  readonly id: string;
  readonly code: string;
  readonly kind: 'customer' | 'platform';
  readonly ownerId: string | null;
  readonly purpose: string;
  readonly currency: string;
  readonly normalSide: NormalSide;
  readonly debitsMustNotExceedCredits: boolean;
  readonly creditsMustNotExceedDebits: boolean;
  readonly version: bigint;
}

/** Posted balance on the account's normal side (what a customer is owed; what custody holds). */
export function balanceFen(side: NormalSide, t: AccountTotals): bigint {
  return side === 'credit' ? t.creditsPostedFen - t.debitsPostedFen : t.debitsPostedFen - t.creditsPostedFen;
}

/** Funds held by pending transfers going out of the account (冻结). */
export function frozenFen(side: NormalSide, t: AccountTotals): bigint {
  return side === 'credit' ? t.debitsPendingFen : t.creditsPendingFen;
}

/** What may be spent now: posted balance less frozen funds. */
export function availableFen(side: NormalSide, t: AccountTotals): bigint {
  return balanceFen(side, t) - frozenFen(side, t);
}

/** A customer's accounts: cash may be withdrawn; bonus money (体验金/红包) may be invested but not withdrawn. */
export const CUSTOMER_PURPOSES = ['cash', 'bonus'] as const;
export type CustomerPurpose = (typeof CUSTOMER_PURPOSES)[number];

export const PLATFORM_PURPOSES = [
  'custody_cash',
  'loan_escrow',
  'fee_income',
  'penalty_income',
  'risk_reserve',
  'marketing_expense',
  'advance_receivable',
  'suspense',
] as const;
export type PlatformPurpose = (typeof PLATFORM_PURPOSES)[number];

export const PLATFORM_ACCOUNT_NAMES: Record<PlatformPurpose, LocalizedText> = {
  custody_cash: { zh: '存管资金（托管银行现金）', en: 'Custody cash (held by the custodian)' },
  loan_escrow: { zh: '借款募集资金', en: 'Loan escrow (raised, not yet disbursed)' },
  fee_income: { zh: '手续费收入', en: 'Fee income' },
  penalty_income: { zh: '罚息收入', en: 'Penalty income' },
  risk_reserve: { zh: '风险准备金', en: 'Risk reserve' },
  marketing_expense: { zh: '营销费用（红包、体验金）', en: 'Marketing expense (bonuses)' },
  advance_receivable: { zh: '垫付应收款', en: 'Advances receivable' },
  suspense: { zh: '待查明款项', en: 'Suspense' },
};

export const CUSTOMER_ACCOUNT_NAMES: Record<CustomerPurpose, LocalizedText> = {
  cash: { zh: '客户资金', en: 'Customer cash' },
  bonus: { zh: '客户红包/体验金', en: 'Customer bonus money' },
};

export function platformAccountId(purpose: PlatformPurpose): string {
  return `acc_platform_${purpose}`;
}

export function customerAccountCode(ownerId: string, purpose: CustomerPurpose): string {
  return `customer.${ownerId}.${purpose}`;
}
