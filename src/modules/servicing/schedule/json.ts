import { fenToJson } from '../../money/index.ts';
import type { Schedule } from './schedule.ts';

/** A schedule as the API sends it: fen as JSON integers. The page builds the same shape to compare. */
export interface ScheduleRowJson {
  readonly period: number;
  readonly dueDate: string;
  readonly principalFen: number;
  readonly interestFen: number;
  readonly paymentFen: number;
  readonly remainingPrincipalFen: number;
}
export interface ScheduleJson {
  readonly rows: ScheduleRowJson[];
  readonly totalPrincipalFen: number;
  readonly totalInterestFen: number;
  readonly totalPaymentFen: number;
}

export function scheduleToJson(schedule: Schedule): ScheduleJson {
  return {
    rows: schedule.rows.map((r) => ({
      period: r.period,
      dueDate: r.dueDate,
      principalFen: fenToJson(r.principalFen),
      interestFen: fenToJson(r.interestFen),
      paymentFen: fenToJson(r.paymentFen),
      remainingPrincipalFen: fenToJson(r.remainingPrincipalFen),
    })),
    totalPrincipalFen: fenToJson(schedule.totalPrincipalFen),
    totalInterestFen: fenToJson(schedule.totalInterestFen),
    totalPaymentFen: fenToJson(schedule.totalPaymentFen),
  };
}

/** The first difference between two schedules (e.g. the browser's and the server's), or undefined if identical. */
export function firstScheduleDifference(a: ScheduleJson, b: ScheduleJson): string | undefined {
  for (const key of ['totalPrincipalFen', 'totalInterestFen', 'totalPaymentFen'] as const) {
    if (a[key] !== b[key]) return `${key}: ${a[key]} ≠ ${b[key]}`;
  }
  if (a.rows.length !== b.rows.length) return `rows: ${a.rows.length} ≠ ${b.rows.length}`;
  for (let i = 0; i < a.rows.length; i++) {
    const x = a.rows[i] as ScheduleRowJson;
    const y = b.rows[i] as ScheduleRowJson;
    for (const key of [
      'period',
      'dueDate',
      'principalFen',
      'interestFen',
      'paymentFen',
      'remainingPrincipalFen',
    ] as const) {
      if (x[key] !== y[key]) return `period ${x.period} ${key}: ${x[key]} ≠ ${y[key]}`;
    }
  }
  return undefined;
}
