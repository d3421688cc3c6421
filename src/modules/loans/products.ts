import type { LoanType } from '../../db/schema.ts';
import { RISK_LEVELS } from '../identity/risk/index.ts';
import { annualRateFromPpm, formatYuan, parseAnnualRate, RATE_PPM_PER_UNIT } from '../money/index.ts';
import { REPAYMENT_METHODS, type RepaymentMethod } from '../servicing/schedule/index.ts';
import { LoanError } from './loans.errors.ts';

/** 标种: credit 信用标 · guaranteed 担保标 · net_worth 净值标 · flash 秒标 · mortgage 抵押标 · experience 体验标 · corporate 企业借款 */
export const LOAN_TYPES = [
  'credit',
  'guaranteed',
  'net_worth',
  'flash',
  'mortgage',
  'experience',
  'corporate',
] as const satisfies readonly LoanType[];

/** Credit grades staff assign at first review, best first. */
export const CREDIT_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type CreditGrade = (typeof CREDIT_GRADES)[number];

/** Limits every product must keep (the table's CHECK constraints, said again so bad input is a 400). */
export const PRODUCT_RATE_PPM_MAX = 360_000n;
export const PRODUCT_AMOUNT_FEN_MAX = 100_000_000_00n; // 100,000,000.00 yuan
export const PRODUCT_TERM_MONTHS_MAX = 360;
export const PRODUCT_TERM_DAYS_MAX = 3650;
export const RAISE_DAYS_MAX = 60;
export const FEE_PPM_MAX = 200_000n;
export const MANAGEMENT_FEE_PPM_MAX = 500_000n;

/** A product as staff send it (API shape: fen as bigint, rates as decimal strings). */
export interface ProductInput {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly loanType: LoanType;
  readonly methods: readonly string[];
  readonly amountMinFen: bigint;
  readonly amountMaxFen: bigint;
  readonly termUnit: 'month' | 'day';
  readonly termMin: number;
  readonly termMax: number;
  readonly rateMin: string;
  readonly rateMax: string;
  readonly bidMinFen: bigint;
  readonly bidStepFen: bigint;
  readonly bidMaxPerInvestorFen: bigint | null;
  readonly raiseDays: number;
  readonly serviceFeeRate: string;
  readonly guaranteeFeeRate: string;
  readonly managementFeeRate: string;
  readonly riskLevels: readonly string[];
  readonly allowBonus: boolean;
  readonly netWorthShare: string | null;
  readonly publishTwoPersonAboveFen: bigint | null;
  readonly status: 'active' | 'disabled';
}

/** The product's row values after every rule is checked; throws 400s naming the field. */
export interface ProductValues {
  code: string;
  name_zh: string;
  name_en: string;
  loan_type: LoanType;
  methods: string[];
  amount_min_fen: bigint;
  amount_max_fen: bigint;
  term_unit: 'month' | 'day';
  term_min: number;
  term_max: number;
  rate_min_ppm: bigint;
  rate_max_ppm: bigint;
  bid_min_fen: bigint;
  bid_step_fen: bigint;
  bid_max_per_investor_fen: bigint | null;
  raise_days: number;
  service_fee_ppm: bigint;
  guarantee_fee_ppm: bigint;
  management_fee_ppm: bigint;
  risk_levels: string[];
  allow_bonus: boolean;
  net_worth_share_ppm: bigint | null;
  publish_two_person_above_fen: bigint | null;
  status: 'active' | 'disabled';
}

const range = (field: string, extra: Record<string, unknown> = {}) =>
  LoanError.PRODUCT_RANGE_INVALID({ field, ...extra });

/** Check a product's configuration as a whole and turn it into row values. Pure. */
export function validateProduct(input: ProductInput): ProductValues {
  const methods = [...new Set(input.methods)];
  if (methods.length === 0 || methods.some((m) => !(REPAYMENT_METHODS as readonly string[]).includes(m)))
    throw range('methods');
  const daily = methods.includes('daily');
  if (input.termUnit === 'day' ? methods.length !== 1 || !daily : daily)
    throw LoanError.PRODUCT_METHODS_INVALID({ field: 'methods' });

  if (input.amountMinFen < 1n) throw range('amountMinFen');
  if (input.amountMaxFen < input.amountMinFen || input.amountMaxFen > PRODUCT_AMOUNT_FEN_MAX)
    throw range('amountMaxFen', { max: formatYuan(PRODUCT_AMOUNT_FEN_MAX) });

  const termLimit = input.termUnit === 'month' ? PRODUCT_TERM_MONTHS_MAX : PRODUCT_TERM_DAYS_MAX;
  if (input.termMin < 1 || input.termMin > termLimit) throw range('termMin', { max: termLimit });
  if (input.termMax < input.termMin || input.termMax > termLimit) throw range('termMax', { max: termLimit });

  const rateMin = parseAnnualRate(input.rateMin, { field: 'rateMin', maxPpm: PRODUCT_RATE_PPM_MAX });
  const rateMax = parseAnnualRate(input.rateMax, { field: 'rateMax', maxPpm: PRODUCT_RATE_PPM_MAX });
  if (rateMax.ppm < rateMin.ppm) throw range('rateMax');

  if (input.bidMinFen < 1n || input.bidMinFen > input.amountMinFen) throw range('bidMinFen');
  if (input.bidStepFen < 1n || input.bidStepFen > input.bidMinFen) throw range('bidStepFen');
  if (input.bidMaxPerInvestorFen !== null && input.bidMaxPerInvestorFen < input.bidMinFen)
    throw range('bidMaxPerInvestorFen');
  if (input.raiseDays < 1 || input.raiseDays > RAISE_DAYS_MAX) throw range('raiseDays', { max: RAISE_DAYS_MAX });

  const serviceFee = parseAnnualRate(input.serviceFeeRate, { field: 'serviceFeeRate', maxPpm: FEE_PPM_MAX });
  const guaranteeFee = parseAnnualRate(input.guaranteeFeeRate, { field: 'guaranteeFeeRate', maxPpm: FEE_PPM_MAX });
  const managementFee = parseAnnualRate(input.managementFeeRate, {
    field: 'managementFeeRate',
    maxPpm: MANAGEMENT_FEE_PPM_MAX,
  });

  const riskLevels = [...new Set(input.riskLevels)];
  if (riskLevels.length === 0 || riskLevels.some((l) => !(RISK_LEVELS as readonly string[]).includes(l)))
    throw range('riskLevels');

  let netWorthShare: bigint | null = null;
  if (input.netWorthShare !== null) {
    netWorthShare = parseAnnualRate(input.netWorthShare, { field: 'netWorthShare', maxPpm: RATE_PPM_PER_UNIT }).ppm;
    if (netWorthShare < 1n) throw range('netWorthShare');
  }
  if (input.loanType === 'net_worth' && netWorthShare === null)
    throw LoanError.PRODUCT_NET_WORTH_SHARE_REQUIRED({ field: 'netWorthShare' });
  if (input.publishTwoPersonAboveFen !== null && input.publishTwoPersonAboveFen < 0n)
    throw range('publishTwoPersonAboveFen');

  return {
    code: input.code,
    name_zh: input.nameZh.trim(),
    name_en: input.nameEn.trim(),
    loan_type: input.loanType,
    methods,
    amount_min_fen: input.amountMinFen,
    amount_max_fen: input.amountMaxFen,
    term_unit: input.termUnit,
    term_min: input.termMin,
    term_max: input.termMax,
    rate_min_ppm: rateMin.ppm,
    rate_max_ppm: rateMax.ppm,
    bid_min_fen: input.bidMinFen,
    bid_step_fen: input.bidStepFen,
    bid_max_per_investor_fen: input.bidMaxPerInvestorFen,
    raise_days: input.raiseDays,
    service_fee_ppm: serviceFee.ppm,
    guarantee_fee_ppm: guaranteeFee.ppm,
    management_fee_ppm: managementFee.ppm,
    risk_levels: riskLevels,
    allow_bonus: input.allowBonus,
    net_worth_share_ppm: netWorthShare,
    publish_two_person_above_fen: input.publishTwoPersonAboveFen,
    status: input.status,
  };
}

export const rateText = (ppm: bigint): string => annualRateFromPpm(ppm).text;
export const isRepaymentMethod = (m: string): m is RepaymentMethod =>
  (REPAYMENT_METHODS as readonly string[]).includes(m);
