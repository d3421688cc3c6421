/**
 * The repayment schedule engine: pure code shared by the server, the contract and the browser
 * (web/src imports this file). Conventions in docs/schedules.md.
 */
export {
  CALCULATOR_AMOUNT_FEN_MAX,
  CALCULATOR_AMOUNT_FEN_MIN,
  CALCULATOR_RATE_PPM_MAX,
  CALCULATOR_START_DATE_MAX,
  CALCULATOR_START_DATE_MIN,
  CALCULATOR_TERM_DAYS_MAX,
  CALCULATOR_TERM_MONTHS_MAX,
  type CalculatorRequest,
  isRepaymentMethod,
  readCalculatorInput,
} from './calculator.ts';
export { addDays, addMonthsClamped, formatIsoDate, parseIsoDate, shanghaiDate } from './dates.ts';
export { firstScheduleDifference, type ScheduleJson, type ScheduleRowJson, scheduleToJson } from './json.ts';
export { ScheduleError } from './schedule.errors.ts';
export {
  computeSchedule,
  DAYS_PER_YEAR,
  type MonthlyMethod,
  REPAYMENT_METHODS,
  type RepaymentMethod,
  SCHEDULE_TERM_DAYS_MAX,
  SCHEDULE_TERM_MONTHS_MAX,
  type Schedule,
  type ScheduleInput,
  type ScheduleRow,
} from './schedule.ts';
export { type InvestorSchedule, splitSchedule } from './split.ts';
