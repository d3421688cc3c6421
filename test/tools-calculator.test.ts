/**
 * The calculator page's pure parts (web/src/site/tools): what a person types becomes exactly the request
 * the API gets and exactly the schedule the API answers; the CSV holds the same figures.
 */
import { describe, expect, it } from 'vitest';
import { scheduleToJson } from '../src/modules/servicing/schedule/index.ts';
import {
  CALCULATOR_METHODS,
  type CalculatorFormValues,
  CalculatorInputError,
  calculate,
} from '../web/src/site/tools/calculator.ts';
import { csvCell, scheduleCsv } from '../web/src/site/tools/csv.ts';
import { createTestApp } from './helpers/test-app.ts';

const FORM: CalculatorFormValues = { amount: '¥10,000.00', rate: '12', term: 6, startDate: '2026-01-31' };

function problems(method: (typeof CALCULATOR_METHODS)[number], values: CalculatorFormValues) {
  try {
    calculate(method, values);
  } catch (error) {
    if (error instanceof CalculatorInputError) return error.problems.map((p) => `${p.field}:${p.code}`);
    throw error;
  }
  return [];
}

describe('the calculator form', () => {
  it('turns yuan and percent text into fen and a decimal rate, exactly', () => {
    const { request, schedule } = calculate('equal_installment', FORM);
    expect(request).toEqual({
      amountFen: 1_000_000,
      annualRate: '0.12',
      method: 'equal_installment',
      termMonths: 6,
      startDate: '2026-01-31',
    });
    expect(schedule.rows.map((r) => r.paymentFen)).toEqual([172548n, 172548n, 172548n, 172548n, 172548n, 172551n]);
    expect(calculate('equal_installment', { ...FORM, rate: '8.7654%' }).request.annualRate).toBe('0.087654');
    expect(calculate('daily', { ...FORM, term: 30 }).request).toMatchObject({ termDays: 30 });
    expect(calculate('daily', { ...FORM, term: 30 }).request).not.toHaveProperty('termMonths');
  });

  it('reports every problem of the form at once, by field', () => {
    expect(problems('quarterly', { amount: '1.234', rate: '40', term: 7, startDate: '2026-02-30' })).toEqual([
      'amount:INVALID_AMOUNT',
      'rate:RATE_OUT_OF_RANGE',
      'term:TERM_NOT_WHOLE_QUARTERS',
      'startDate:INVALID_START_DATE',
    ]);
    expect(problems('equal_installment', {})).toEqual([
      'amount:AMOUNT_REQUIRED',
      'rate:RATE_REQUIRED',
      'term:TERM_REQUIRED',
      'startDate:INVALID_START_DATE',
    ]);
    expect(problems('equal_installment', { ...FORM, amount: '0.99' })).toEqual(['amount:AMOUNT_OUT_OF_RANGE']);
    expect(problems('equal_installment', { ...FORM, amount: '100,000,000.01' })).toEqual([
      'amount:AMOUNT_OUT_OF_RANGE',
    ]);
    expect(problems('equal_installment', { ...FORM, amount: '-100' })).toEqual(['amount:INVALID_AMOUNT']);
    expect(problems('equal_installment', { ...FORM, rate: '12.34567' })).toEqual(['rate:INVALID_RATE']);
    expect(problems('equal_installment', { ...FORM, term: 361 })).toEqual(['term:TERM_OUT_OF_RANGE']);
    expect(problems('equal_installment', { ...FORM, term: 0 })).toEqual(['term:TERM_OUT_OF_RANGE']);
    expect(problems('daily', { ...FORM, term: 3651 })).toEqual(['term:TERM_OUT_OF_RANGE']);
    expect(problems('equal_installment', { ...FORM, startDate: '1899-12-31' })).toEqual([
      'startDate:INVALID_START_DATE',
    ]);
    expect(problems('equal_installment', { ...FORM, amount: '100', rate: '36', term: 360 })).toEqual([]);
  });

  it('computes in the browser exactly what the API answers, for every method', async () => {
    const t = await createTestApp();
    try {
      for (const method of CALCULATOR_METHODS) {
        for (const values of [FORM, { amount: '123,456.78', rate: '7.25', term: 36, startDate: '2024-02-29' }]) {
          const { request, schedule } = calculate(method, method === 'daily' ? { ...values, term: 200 } : values);
          const res = await t.app.inject({ method: 'POST', url: '/api/v1/tools/repayment-schedule', payload: request });
          expect(res.statusCode, `${method} ${JSON.stringify(request)}`).toBe(200);
          expect(res.json()).toEqual(scheduleToJson(schedule));
        }
      }
    } finally {
      await t.close();
    }
  });
});

describe('the CSV export', () => {
  const labels = {
    period: '期数',
    dueDate: '还款日',
    payment: '应还本息（元）',
    principal: '应还本金（元）',
    interest: '应还利息（元）',
    remaining: '剩余本金（元）',
    total: '合计',
  };

  it('starts with a UTF-8 BOM, has a row per period and a total, amounts as plain yuan', () => {
    const { schedule } = calculate('equal_installment', FORM);
    const csv = scheduleCsv(schedule, labels);
    expect(csv.startsWith('\uFEFF期数,还款日,应还本息（元）,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(1 + 6 + 1 + 1);
    expect(lines[1]).toBe('1,2026-02-28,1725.48,1625.48,100.00,8374.52');
    expect(lines[6]).toBe('6,2026-07-31,1725.51,1708.43,17.08,0.00');
    expect(lines[7]).toBe('合计,,10352.91,10000.00,352.91,');
    expect(lines[8]).toBe('');
  });

  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-12.50')).toBe('-12.50');
  });
});
