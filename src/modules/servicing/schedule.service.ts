import { fenFromJson } from '../money/index.ts';
import {
  computeSchedule,
  readCalculatorInput,
  type ScheduleJson,
  scheduleToJson,
  shanghaiDate,
} from './schedule/index.ts';

/** The public calculator's request, as validated by the route's schema (fen as a JSON integer). */
export interface RepaymentScheduleRequest {
  readonly amountFen: number;
  readonly annualRate: string;
  readonly method: string;
  readonly termMonths?: number | undefined;
  readonly termDays?: number | undefined;
  /** Default: today in Asia/Shanghai. */
  readonly startDate?: string | undefined;
}

/** 网贷工具: the repayment schedule of a would-be loan. Rule violations throw 400s naming the field. */
export function calculateRepaymentSchedule(request: RepaymentScheduleRequest, nowMs: number): ScheduleJson {
  const input = readCalculatorInput({
    ...request,
    amountFen: fenFromJson(request.amountFen),
    startDate: request.startDate ?? shanghaiDate(nowMs),
  });
  return scheduleToJson(computeSchedule(input));
}
