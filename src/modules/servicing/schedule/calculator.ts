import { AMOUNT_FEN_MAX, MoneyError, parseAnnualRate } from '../../money/index.ts';
import { parseIsoDate } from './dates.ts';
import { ScheduleError } from './schedule.errors.ts';
import { REPAYMENT_METHODS, type RepaymentMethod, type ScheduleInput } from './schedule.ts';

/**
 * Limits of the public loan calculator (网贷工具), shared by the API and the page so that both refuse the
 * same inputs with the same codes.
 */
export const CALCULATOR_AMOUNT_FEN_MIN = 100n; // 1.00 yuan
export const CALCULATOR_AMOUNT_FEN_MAX = 10_000_000_000n; // 100,000,000.00 yuan
export const CALCULATOR_RATE_PPM_MAX = 360_000n; // 0.36 = 36% a year
export const CALCULATOR_TERM_MONTHS_MAX = 360;
export const CALCULATOR_TERM_DAYS_MAX = 3650;
export const CALCULATOR_START_DATE_MIN = '1900-01-01';
export const CALCULATOR_START_DATE_MAX = '2199-12-31';

/** A calculator request as it arrives (fen already a bigint; everything else as sent). */
export interface CalculatorRequest {
  readonly amountFen: bigint;
  readonly annualRate: string;
  readonly method: string;
  readonly termMonths?: number | undefined;
  readonly termDays?: number | undefined;
  readonly startDate: string;
}

/**
 * Check a calculator request against the calculator's limits and the method's rules, field by field in
 * the order of the form; the first problem throws a 400 whose `details.field` names the input.
 */
export function readCalculatorInput(request: CalculatorRequest): ScheduleInput {
  const { amountFen } = request;
  if (amountFen < CALCULATOR_AMOUNT_FEN_MIN || amountFen > CALCULATOR_AMOUNT_FEN_MAX || amountFen > AMOUNT_FEN_MAX) {
    throw MoneyError.AMOUNT_OUT_OF_RANGE({
      field: 'amountFen',
      minFen: Number(CALCULATOR_AMOUNT_FEN_MIN),
      maxFen: Number(CALCULATOR_AMOUNT_FEN_MAX),
    });
  }
  const annualRate = parseAnnualRate(request.annualRate, { field: 'annualRate', maxPpm: CALCULATOR_RATE_PPM_MAX });
  if (!isRepaymentMethod(request.method)) throw ScheduleError.INVALID_METHOD({ field: 'method' });
  const method = request.method;

  const start = parseIsoDate(request.startDate);
  if (!start || request.startDate < CALCULATOR_START_DATE_MIN || request.startDate > CALCULATOR_START_DATE_MAX) {
    throw ScheduleError.INVALID_START_DATE({
      field: 'startDate',
      min: CALCULATOR_START_DATE_MIN,
      max: CALCULATOR_START_DATE_MAX,
    });
  }
  const startDate = request.startDate;

  if (method === 'daily') {
    if (request.termMonths !== undefined) throw ScheduleError.TERM_NOT_APPLICABLE({ field: 'termMonths', method });
    const termDays = checkedTerm(request.termDays, 'termDays', CALCULATOR_TERM_DAYS_MAX);
    return { method, amountFen, annualRate, termDays, startDate };
  }
  if (request.termDays !== undefined) throw ScheduleError.TERM_NOT_APPLICABLE({ field: 'termDays', method });
  const termMonths = checkedTerm(request.termMonths, 'termMonths', CALCULATOR_TERM_MONTHS_MAX);
  if (method === 'quarterly' && termMonths % 3 !== 0) {
    throw ScheduleError.TERM_NOT_WHOLE_QUARTERS({ field: 'termMonths', method });
  }
  return { method, amountFen, annualRate, termMonths, startDate };
}

function checkedTerm(value: number | undefined, field: 'termMonths' | 'termDays', max: number): number {
  if (value === undefined) throw ScheduleError.TERM_REQUIRED({ field });
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw ScheduleError.TERM_OUT_OF_RANGE({ field, min: 1, max });
  }
  return value;
}

export function isRepaymentMethod(value: unknown): value is RepaymentMethod {
  return typeof value === 'string' && (REPAYMENT_METHODS as readonly string[]).includes(value);
}
