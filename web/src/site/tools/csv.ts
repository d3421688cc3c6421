import { formatYuan } from '../../../../src/modules/money/index.ts';
import type { Schedule } from '../../../../src/modules/servicing/schedule/index.ts';

/** Column titles of the CSV, in the user's language. */
export interface ScheduleCsvLabels {
  readonly period: string;
  readonly dueDate: string;
  readonly payment: string;
  readonly principal: string;
  readonly interest: string;
  readonly remaining: string;
  readonly total: string;
}

/** UTF-8 byte order mark: without it Excel reads a UTF-8 CSV as the local code page and garbles Chinese. */
const BOM = '\uFEFF';

/**
 * A schedule as CSV text (BOM, CRLF lines): one row per period and a total row. Amounts are yuan with two
 * decimals and no thousands separators, so spreadsheets read them as numbers.
 */
export function scheduleCsv(schedule: Schedule, labels: ScheduleCsvLabels): string {
  const yuan = (fen: bigint) => formatYuan(fen, { grouping: false });
  const lines: string[][] = [
    [labels.period, labels.dueDate, labels.payment, labels.principal, labels.interest, labels.remaining],
    ...schedule.rows.map((r) => [
      String(r.period),
      r.dueDate,
      yuan(r.paymentFen),
      yuan(r.principalFen),
      yuan(r.interestFen),
      yuan(r.remainingPrincipalFen),
    ]),
    [
      labels.total,
      '',
      yuan(schedule.totalPaymentFen),
      yuan(schedule.totalPrincipalFen),
      yuan(schedule.totalInterestFen),
      '',
    ],
  ];
  const body = lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n');
  return `${BOM}${body}\r\n`;
}

/** Quote a cell when it needs it; neutralise a leading =, +, - or @ so a spreadsheet never runs it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
