import { AMOUNT_FEN_MAX, fenToJson, parseRatePercent, parseYuan } from '../../../../src/modules/money/index.ts';
import {
  CALCULATOR_AMOUNT_FEN_MAX,
  CALCULATOR_AMOUNT_FEN_MIN,
  CALCULATOR_RATE_PPM_MAX,
  CALCULATOR_START_DATE_MAX,
  CALCULATOR_START_DATE_MIN,
  CALCULATOR_TERM_DAYS_MAX,
  CALCULATOR_TERM_MONTHS_MAX,
  computeSchedule,
  parseIsoDate,
  type RepaymentMethod,
  readCalculatorInput,
  type Schedule,
  type ScheduleInput,
} from '../../../../src/modules/servicing/schedule/index.ts';
import { AppError } from '../../../../src/platform/errors.ts';

/** The calculator's methods in the order the page offers them (seed 001 lists the first three). */
export const CALCULATOR_METHODS: readonly RepaymentMethod[] = [
  'equal_installment',
  'bullet',
  'quarterly',
  'equal_principal',
  'interest_monthly',
  'daily',
];

/** What the form holds: text as typed (yuan, percent), the term as a whole number, the start date 'YYYY-MM-DD'. */
export interface CalculatorFormValues {
  readonly amount?: string | undefined;
  readonly rate?: string | undefined;
  readonly term?: number | null | undefined;
  readonly startDate?: string | undefined;
}
export type CalculatorField = 'amount' | 'rate' | 'term' | 'startDate';

/** A problem with one input: a code for the locale's `tools.errors` and values for its placeholders. */
export interface FieldProblem {
  readonly field: CalculatorField;
  readonly code: string;
  readonly values?: Record<string, string | number>;
}

/** The request the API takes, built from the same parsed input the browser computes with. */
export interface ScheduleRequestJson {
  readonly amountFen: number;
  readonly annualRate: string;
  readonly method: RepaymentMethod;
  readonly termMonths?: number;
  readonly termDays?: number;
  readonly startDate: string;
}

export interface Calculation {
  readonly input: ScheduleInput;
  readonly schedule: Schedule;
  readonly request: ScheduleRequestJson;
}

export function termMax(method: RepaymentMethod): number {
  return method === 'daily' ? CALCULATOR_TERM_DAYS_MAX : CALCULATOR_TERM_MONTHS_MAX;
}

export function checkAmount(text: string | undefined): FieldProblem | undefined {
  if (!text?.trim()) return { field: 'amount', code: 'AMOUNT_REQUIRED' };
  let fen: bigint;
  try {
    fen = parseYuan(text, { field: 'amount' });
  } catch (error) {
    return problemOf(error, 'amount');
  }
  if (fen < CALCULATOR_AMOUNT_FEN_MIN || fen > CALCULATOR_AMOUNT_FEN_MAX || fen > AMOUNT_FEN_MAX) {
    return { field: 'amount', code: 'AMOUNT_OUT_OF_RANGE' };
  }
  return undefined;
}

export function checkRate(text: string | undefined): FieldProblem | undefined {
  if (!text?.trim()) return { field: 'rate', code: 'RATE_REQUIRED' };
  try {
    parseRatePercent(text, { field: 'rate', maxPpm: CALCULATOR_RATE_PPM_MAX });
    return undefined;
  } catch (error) {
    return problemOf(error, 'rate');
  }
}

export function checkTerm(method: RepaymentMethod, term: number | null | undefined): FieldProblem | undefined {
  if (term === undefined || term === null) return { field: 'term', code: 'TERM_REQUIRED' };
  const max = termMax(method);
  if (!Number.isInteger(term) || term < 1 || term > max) {
    return { field: 'term', code: 'TERM_OUT_OF_RANGE', values: { max } };
  }
  if (method === 'quarterly' && term % 3 !== 0) return { field: 'term', code: 'TERM_NOT_WHOLE_QUARTERS' };
  return undefined;
}

export function checkStartDate(text: string | undefined): FieldProblem | undefined {
  if (!text || !parseIsoDate(text) || text < CALCULATOR_START_DATE_MIN || text > CALCULATOR_START_DATE_MAX) {
    return { field: 'startDate', code: 'INVALID_START_DATE' };
  }
  return undefined;
}

/** Thrown by `calculate` with every problem of the form. */
export class CalculatorInputError extends Error {
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.code}`).join('; '));
    this.name = 'CalculatorInputError';
    this.problems = problems;
  }
}

/**
 * The form → the schedule, computed in the browser with the shared engine, and the API request that must
 * give the same figures. The shared `readCalculatorInput` has the last word on the rules.
 */
export function calculate(method: RepaymentMethod, values: CalculatorFormValues): Calculation {
  const problems = [
    checkAmount(values.amount),
    checkRate(values.rate),
    checkTerm(method, values.term),
    checkStartDate(values.startDate),
  ].filter((p): p is FieldProblem => p !== undefined);
  if (problems.length > 0) throw new CalculatorInputError(problems);

  const amountFen = parseYuan(values.amount ?? '');
  const rate = parseRatePercent(values.rate ?? '', { maxPpm: CALCULATOR_RATE_PPM_MAX });
  const term = values.term ?? 0;
  const startDate = values.startDate ?? '';
  const termField = method === 'daily' ? { termDays: term } : { termMonths: term };
  let input: ScheduleInput;
  try {
    input = readCalculatorInput({ amountFen, annualRate: rate.text, method, startDate, ...termField });
  } catch (error) {
    throw new CalculatorInputError([problemOf(error, fieldOfDetails(error))]);
  }
  return {
    input,
    schedule: computeSchedule(input),
    request: { amountFen: fenToJson(amountFen), annualRate: rate.text, method, startDate, ...termField },
  };
}

function problemOf(error: unknown, field: CalculatorField): FieldProblem {
  if (error instanceof AppError) return { field, code: error.code };
  throw error;
}

function fieldOfDetails(error: unknown): CalculatorField {
  const field = error instanceof AppError ? error.details?.field : undefined;
  if (field === 'amountFen') return 'amount';
  if (field === 'annualRate') return 'rate';
  if (field === 'startDate') return 'startDate';
  return 'term';
}
