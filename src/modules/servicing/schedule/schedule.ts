import { assert } from '../../../platform/errors.ts';
import { type AnnualRate, divRound, RATE_PPM_PER_UNIT } from '../../money/index.ts';
import { addDays, addMonthsClamped, formatIsoDate, monthlyDueDates, parseIsoDate } from './dates.ts';

/**
 * How a loan is repaid. Stored with every loan; the UI translates the names.
 * - equal_installment 等额本息 · equal_principal 等额本金 · interest_monthly 按月付息到期还本
 * - bullet 一次性还本付息 · quarterly 按季等额本息 · daily 按天计息 (term in days)
 */
export const REPAYMENT_METHODS = [
  'equal_installment',
  'equal_principal',
  'interest_monthly',
  'bullet',
  'quarterly',
  'daily',
] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];
/** The methods whose term is counted in months. */
export type MonthlyMethod = Exclude<RepaymentMethod, 'daily'>;

/** The longest terms the engine computes (callers such as the public calculator set narrower limits). */
export const SCHEDULE_TERM_MONTHS_MAX = 600;
export const SCHEDULE_TERM_DAYS_MAX = 36_600;
/** Day-count basis of day loans: actual days over a 365-day year. */
export const DAYS_PER_YEAR = 365n;
const MONTHS_PER_YEAR = 12n;
const QUARTERS_PER_YEAR = 4n;
const MONTHS_PER_QUARTER = 3;

interface CommonInput {
  /** The loan's principal, in fen, at least 1. */
  readonly amountFen: bigint;
  readonly annualRate: AnnualRate;
  /** The day the money is lent, 'YYYY-MM-DD'; due dates count from it. */
  readonly startDate: string;
}
export type ScheduleInput =
  | (CommonInput & { readonly method: MonthlyMethod; readonly termMonths: number })
  | (CommonInput & { readonly method: 'daily'; readonly termDays: number });

export interface ScheduleRow {
  /** 1, 2, … */
  readonly period: number;
  readonly dueDate: string;
  readonly principalFen: bigint;
  readonly interestFen: bigint;
  /** principalFen + interestFen */
  readonly paymentFen: bigint;
  /** Principal still owed after this period's payment; 0 after the last. */
  readonly remainingPrincipalFen: bigint;
}

export interface Schedule {
  readonly rows: readonly ScheduleRow[];
  readonly totalPrincipalFen: bigint;
  readonly totalInterestFen: bigint;
  readonly totalPaymentFen: bigint;
}

/**
 * The repayment schedule of a loan, exact to the fen. Every rounding is half-up to the fen, and only where
 * the conventions say (see docs/schedules.md): the installment, each period's interest and a fixed
 * principal part. The last period takes whatever principal remains, so principal always sums to the loan.
 * Inputs are expected to be validated (readCalculatorInput or the loans module); a bad one is an assertion.
 */
export function computeSchedule(input: ScheduleInput): Schedule {
  const start = parseIsoDate(input.startDate);
  assert(start !== undefined, `computeSchedule: bad start date ${input.startDate}`);
  assert(input.amountFen > 0n, `computeSchedule: amount must be positive, got ${input.amountFen}`);
  assert(input.annualRate.ppm >= 0n, 'computeSchedule: negative rate');
  const A = input.amountFen;
  const ppm = input.annualRate.ppm;

  if (input.method === 'daily') {
    const days = input.termDays;
    assert(Number.isInteger(days) && days >= 1 && days <= SCHEDULE_TERM_DAYS_MAX, `computeSchedule: termDays ${days}`);
    // interest = round(A · annualRate · days / 365)
    const interest = divRound(A * ppm * BigInt(days), DAYS_PER_YEAR * RATE_PPM_PER_UNIT);
    return finish([row(1, formatIsoDate(addDays(start, days)), A, interest, 0n)], A);
  }

  const months = input.termMonths;
  assert(
    Number.isInteger(months) && months >= 1 && months <= SCHEDULE_TERM_MONTHS_MAX,
    `computeSchedule: termMonths ${months}`,
  );
  switch (input.method) {
    case 'equal_installment':
      return finish(equalInstallment(A, ppm, MONTHS_PER_YEAR, monthlyDueDates(start, months, 1)), A);
    case 'quarterly':
      assert(months % MONTHS_PER_QUARTER === 0, `computeSchedule: quarterly needs whole quarters, got ${months}`);
      return finish(
        equalInstallment(
          A,
          ppm,
          QUARTERS_PER_YEAR,
          monthlyDueDates(start, months / MONTHS_PER_QUARTER, MONTHS_PER_QUARTER),
        ),
        A,
      );
    case 'equal_principal':
      return finish(equalPrincipal(A, ppm, monthlyDueDates(start, months, 1)), A);
    case 'interest_monthly':
      return finish(interestMonthly(A, ppm, monthlyDueDates(start, months, 1)), A);
    case 'bullet': {
      // interest = round(A · (annualRate / 12) · months)
      const interest = divRound(A * ppm * BigInt(months), MONTHS_PER_YEAR * RATE_PPM_PER_UNIT);
      return finish([row(1, formatIsoDate(addMonthsClamped(start, months)), A, interest, 0n)], A);
    }
    default: {
      const never: never = input;
      throw new Error(`unknown repayment method ${String((never as { method: unknown }).method)}`);
    }
  }
}

/**
 * The period rate r = annualRate / periodsPerYear as a fraction num/den in lowest terms, so that (1 + r)^n
 * stays as small as it can be while exact.
 */
interface PeriodRate {
  readonly num: bigint;
  readonly den: bigint;
  /** round(balance · r), half-up, for a balance ≥ 0. */
  interestOn(balance: bigint): bigint;
}

function periodRate(ppm: bigint, periodsPerYear: bigint): PeriodRate {
  const fullDen = periodsPerYear * RATE_PPM_PER_UNIT;
  const g = gcd(ppm, fullDen);
  const num = ppm / g;
  const den = fullDen / g;
  // Half-up rounding of x/den for x ≥ 0 is floor((2x + den) / 2den): the same figure as divRound(x, den),
  // with the constant parts prepared once, because this runs once per period of every schedule.
  const twoNum = 2n * num;
  const twoDen = 2n * den;
  return { num, den, interestOn: (balance) => (balance * twoNum + den) / twoDen };
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/**
 * 等额本息: P = round(A·r·(1+r)^n / ((1+r)^n − 1)), each period interest = round(balance·r) and
 * principal = P − interest (never more than the balance); the last period repays all that remains.
 * With r = 0: P = round(A/n).
 */
function equalInstallment(A: bigint, ppm: bigint, periodsPerYear: bigint, dates: readonly string[]): ScheduleRow[] {
  const n = dates.length;
  const rate = periodRate(ppm, periodsPerYear);
  const { num, den } = rate;
  let payment: bigint;
  if (num === 0n) {
    payment = divRound(A, BigInt(n));
  } else {
    // With r = num/den: A·r·(1+r)^n / ((1+r)^n − 1) = A·num·(den+num)^n / (den·((den+num)^n − den^n)).
    const grown = (den + num) ** BigInt(n);
    payment = divRound(A * num * grown, den * (grown - den ** BigInt(n)));
  }
  const rows: ScheduleRow[] = new Array(n);
  let balance = A;
  for (let k = 1; k <= n; k++) {
    const interest = rate.interestOn(balance);
    let principal: bigint;
    if (k === n) {
      principal = balance;
    } else {
      principal = payment - interest;
      if (principal > balance) principal = balance;
    }
    assert(principal >= 0n, 'equalInstallment: interest exceeds the installment');
    balance -= principal;
    rows[k - 1] = row(k, dates[k - 1] as string, principal, interest, balance);
  }
  return rows;
}

/** 等额本金: principal = round(A/n) (never more than the balance), the last period the rest; interest = round(balance·r). */
function equalPrincipal(A: bigint, ppm: bigint, dates: readonly string[]): ScheduleRow[] {
  const n = dates.length;
  const rate = periodRate(ppm, MONTHS_PER_YEAR);
  const part = divRound(A, BigInt(n));
  const rows: ScheduleRow[] = new Array(n);
  let balance = A;
  for (let k = 1; k <= n; k++) {
    const interest = rate.interestOn(balance);
    const principal = k === n || part > balance ? balance : part;
    balance -= principal;
    rows[k - 1] = row(k, dates[k - 1] as string, principal, interest, balance);
  }
  return rows;
}

/** 按月付息到期还本: interest = round(A·r) every period, all the principal in the last. */
function interestMonthly(A: bigint, ppm: bigint, dates: readonly string[]): ScheduleRow[] {
  const n = dates.length;
  const interest = divRound(A * ppm, MONTHS_PER_YEAR * RATE_PPM_PER_UNIT);
  const rows: ScheduleRow[] = new Array(n);
  for (let k = 1; k <= n; k++) {
    const last = k === n;
    rows[k - 1] = row(k, dates[k - 1] as string, last ? A : 0n, interest, last ? 0n : A);
  }
  return rows;
}

function row(
  period: number,
  dueDate: string,
  principalFen: bigint,
  interestFen: bigint,
  remainingPrincipalFen: bigint,
): ScheduleRow {
  return { period, dueDate, principalFen, interestFen, paymentFen: principalFen + interestFen, remainingPrincipalFen };
}

/** Totals, and the postconditions every schedule must meet. */
function finish(rows: ScheduleRow[], amountFen: bigint): Schedule {
  let totalPrincipalFen = 0n;
  let totalInterestFen = 0n;
  let remaining = amountFen;
  for (const r of rows) {
    assert(r.principalFen >= 0n && r.interestFen >= 0n, `schedule: negative figure in period ${r.period}`);
    remaining -= r.principalFen;
    assert(remaining === r.remainingPrincipalFen, `schedule: remaining principal is off in period ${r.period}`);
    totalPrincipalFen += r.principalFen;
    totalInterestFen += r.interestFen;
  }
  assert(totalPrincipalFen === amountFen, `schedule: principal sums to ${totalPrincipalFen}, not ${amountFen}`);
  return { rows, totalPrincipalFen, totalInterestFen, totalPaymentFen: totalPrincipalFen + totalInterestFen };
}
