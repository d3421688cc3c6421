import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { parseAnnualRate } from '../money/index.ts';
import {
  addMonthsClamped,
  computeSchedule,
  formatIsoDate,
  parseIsoDate,
  REPAYMENT_METHODS,
  scheduleToJson,
  shanghaiDate,
} from './schedule/index.ts';

const URL = '/api/v1/tools/repayment-schedule';
const EXAMPLE = {
  amountFen: 1_000_000,
  annualRate: '0.12',
  termMonths: 6,
  method: 'equal_installment',
  startDate: '2026-01-31',
};

describe('POST /api/v1/tools/repayment-schedule', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const post = (payload: unknown, language = 'en') =>
    t.app.inject({ method: 'POST', url: URL, payload: payload as object, headers: { 'accept-language': language } });

  it('answers the example of issue 6 without a login', async () => {
    const res = await post(EXAMPLE);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rows[0]).toEqual({
      period: 1,
      dueDate: '2026-02-28',
      principalFen: 162548,
      interestFen: 10000,
      paymentFen: 172548,
      remainingPrincipalFen: 837452,
    });
    expect(body.rows.map((r: { paymentFen: number }) => r.paymentFen)).toEqual([
      172548, 172548, 172548, 172548, 172548, 172551,
    ]);
    expect(body.rows.at(-1)).toMatchObject({ dueDate: '2026-07-31', remainingPrincipalFen: 0 });
    expect(body).toMatchObject({ totalPrincipalFen: 1_000_000, totalInterestFen: 35_291, totalPaymentFen: 1_035_291 });
    expect(Object.keys(body).sort()).toEqual(['rows', 'totalInterestFen', 'totalPaymentFen', 'totalPrincipalFen']);
  });

  it.each(REPAYMENT_METHODS)('agrees to the fen with the shared engine for %s', async (method) => {
    const term = method === 'daily' ? { termDays: 45 } : { termMonths: 12 };
    const res = await post({ amountFen: 1_234_567, annualRate: '0.0875', method, startDate: '2024-01-31', ...term });
    expect(res.statusCode).toBe(200);
    const engine = computeSchedule({
      amountFen: 1_234_567n,
      annualRate: parseAnnualRate('0.0875'),
      startDate: '2024-01-31',
      ...(method === 'daily' ? { method, termDays: 45 } : { method, termMonths: 12 }),
    });
    expect(res.json()).toEqual(scheduleToJson(engine));
  });

  it('starts today in Asia/Shanghai when no start date is given', async () => {
    const before = shanghaiDate(Date.now());
    const res = await post({ amountFen: 100_000, annualRate: '0.1', termMonths: 1, method: 'bullet' });
    const after = shanghaiDate(Date.now());
    expect(res.statusCode).toBe(200);
    const due = (start: string) =>
      formatIsoDate(addMonthsClamped(parseIsoDate(start) ?? { year: 0, month: 1, day: 1 }, 1));
    expect([due(before), due(after)]).toContain(res.json().rows[0].dueDate);
  });

  it('accepts the limits themselves', async () => {
    for (const payload of [
      { ...EXAMPLE, amountFen: 100 },
      { ...EXAMPLE, amountFen: 10_000_000_000 },
      { ...EXAMPLE, annualRate: '0.36' },
      { ...EXAMPLE, annualRate: '0.360000' },
      { ...EXAMPLE, annualRate: '0' },
      { ...EXAMPLE, termMonths: 360 },
      { ...EXAMPLE, termMonths: 1 },
      { ...EXAMPLE, method: 'quarterly', termMonths: 360 },
      { amountFen: 100, annualRate: '0.36', method: 'daily', termDays: 3650 },
      { amountFen: 100, annualRate: '0.36', method: 'daily', termDays: 1 },
    ]) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(200);
    }
  });

  const { termMonths: _omitMonths, ...withoutTerm } = EXAMPLE;
  it.each([
    ['a negative amount', { ...EXAMPLE, amountFen: -100 }, 'VALIDATION_FAILED', 'amountFen'],
    ['a zero amount', { ...EXAMPLE, amountFen: 0 }, 'VALIDATION_FAILED', 'amountFen'],
    ['an amount under 1.00 yuan', { ...EXAMPLE, amountFen: 99 }, 'VALIDATION_FAILED', 'amountFen'],
    ['an amount over 100,000,000.00 yuan', { ...EXAMPLE, amountFen: 10_000_000_001 }, 'VALIDATION_FAILED', 'amountFen'],
    ['an absurd amount', { ...EXAMPLE, amountFen: 1e20 }, 'VALIDATION_FAILED', 'amountFen'],
    ['an amount as text', { ...EXAMPLE, amountFen: '1000000' }, 'VALIDATION_FAILED', 'amountFen'],
    ['a fractional amount', { ...EXAMPLE, amountFen: 1000.5 }, 'VALIDATION_FAILED', 'amountFen'],
    ['a missing amount', { ...EXAMPLE, amountFen: undefined }, 'VALIDATION_FAILED', 'amountFen'],
    ['a null amount', { ...EXAMPLE, amountFen: null }, 'VALIDATION_FAILED', 'amountFen'],
    ['a rate as a number', { ...EXAMPLE, annualRate: 0.12 }, 'VALIDATION_FAILED', 'annualRate'],
    ['a rate with 7 decimals', { ...EXAMPLE, annualRate: '0.1234567' }, 'VALIDATION_FAILED', 'annualRate'],
    ['a negative rate', { ...EXAMPLE, annualRate: '-0.12' }, 'VALIDATION_FAILED', 'annualRate'],
    ['a rate in exponent form', { ...EXAMPLE, annualRate: '1.2e-1' }, 'VALIDATION_FAILED', 'annualRate'],
    ['a rate in percent', { ...EXAMPLE, annualRate: '12%' }, 'VALIDATION_FAILED', 'annualRate'],
    ['an empty rate', { ...EXAMPLE, annualRate: '' }, 'VALIDATION_FAILED', 'annualRate'],
    ['a missing rate', { ...EXAMPLE, annualRate: undefined }, 'VALIDATION_FAILED', 'annualRate'],
    ['a rate over 0.36', { ...EXAMPLE, annualRate: '0.360001' }, 'RATE_OUT_OF_RANGE', 'annualRate'],
    ['a rate of 12 (meant as percent)', { ...EXAMPLE, annualRate: '12' }, 'RATE_OUT_OF_RANGE', 'annualRate'],
    ['an unknown method', { ...EXAMPLE, method: 'annuity' }, 'VALIDATION_FAILED', 'method'],
    ['a missing method', { ...EXAMPLE, method: undefined }, 'VALIDATION_FAILED', 'method'],
    ['zero months', { ...EXAMPLE, termMonths: 0 }, 'VALIDATION_FAILED', 'termMonths'],
    ['361 months', { ...EXAMPLE, termMonths: 361 }, 'VALIDATION_FAILED', 'termMonths'],
    ['months as text', { ...EXAMPLE, termMonths: '6' }, 'VALIDATION_FAILED', 'termMonths'],
    ['fractional months', { ...EXAMPLE, termMonths: 6.5 }, 'VALIDATION_FAILED', 'termMonths'],
    ['no term', withoutTerm, 'TERM_REQUIRED', 'termMonths'],
    ['days for a monthly method', { ...EXAMPLE, termDays: 30 }, 'TERM_NOT_APPLICABLE', 'termDays'],
    ['months for a day loan', { ...EXAMPLE, method: 'daily' }, 'TERM_NOT_APPLICABLE', 'termMonths'],
    ['a day loan without days', { ...withoutTerm, method: 'daily' }, 'TERM_REQUIRED', 'termDays'],
    ['3651 days', { ...withoutTerm, method: 'daily', termDays: 3651 }, 'VALIDATION_FAILED', 'termDays'],
    ['zero days', { ...withoutTerm, method: 'daily', termDays: 0 }, 'VALIDATION_FAILED', 'termDays'],
    [
      'quarterly over 7 months',
      { ...EXAMPLE, method: 'quarterly', termMonths: 7 },
      'TERM_NOT_WHOLE_QUARTERS',
      'termMonths',
    ],
    ['a date that does not exist', { ...EXAMPLE, startDate: '2026-02-29' }, 'VALIDATION_FAILED', 'startDate'],
    ['a date in another format', { ...EXAMPLE, startDate: '2026/01/31' }, 'VALIDATION_FAILED', 'startDate'],
    ['a date-time', { ...EXAMPLE, startDate: '2026-01-31T00:00:00Z' }, 'VALIDATION_FAILED', 'startDate'],
    ['a date before 1900', { ...EXAMPLE, startDate: '1899-12-31' }, 'INVALID_START_DATE', 'startDate'],
    ['a date after 2199', { ...EXAMPLE, startDate: '2200-01-01' }, 'INVALID_START_DATE', 'startDate'],
    ['an unknown field', { ...EXAMPLE, bids: [1] }, 'VALIDATION_FAILED', 'bids'],
  ])('rejects %s with 400 naming the field', async (_name, payload, code, field) => {
    const res = await post(JSON.parse(JSON.stringify(payload)));
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe(code);
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it('rejects a body that is not an object', async () => {
    for (const payload of [[EXAMPLE], 'x', 42]) {
      const res = await t.app.inject({
        method: 'POST',
        url: URL,
        payload: JSON.stringify(payload),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('explains rule violations in Chinese by default and in English on request', async () => {
    const zh = await t.app.inject({
      method: 'POST',
      url: URL,
      payload: { ...EXAMPLE, method: 'quarterly', termMonths: 5 },
    });
    expect(zh.json().error.message).toBe('按季还款的期限必须是 3 的倍数（月）：termMonths');
    const en = await post({ ...EXAMPLE, annualRate: '0.5' });
    expect(en.json().error).toMatchObject({
      code: 'RATE_OUT_OF_RANGE',
      message: 'The rate is out of range: annualRate',
      details: { field: 'annualRate', max: '0.36' },
    });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths[URL].post;
    expect(op.operationId).toBe('calculateRepaymentSchedule');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(op.requestBody.content['application/json'].schema.properties.method.enum).toEqual([...REPAYMENT_METHODS]);
  });
});
