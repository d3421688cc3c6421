import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annualRateFromPpm, formatYuan, parseAnnualRate, parseYuan } from '../../money/index.ts';
import { daysInMonth, formatIsoDate } from './dates.ts';
import {
  computeSchedule,
  type MonthlyMethod,
  REPAYMENT_METHODS,
  type Schedule,
  type ScheduleInput,
} from './schedule.ts';

const Exact = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_UP });

function monthly(
  method: MonthlyMethod,
  amountYuan: string,
  rate: string,
  termMonths: number,
  startDate = '2026-01-31',
) {
  return computeSchedule({
    method,
    amountFen: parseYuan(amountYuan),
    annualRate: parseAnnualRate(rate),
    termMonths,
    startDate,
  });
}
const yuan = (s: Schedule, key: 'principalFen' | 'interestFen' | 'paymentFen' | 'remainingPrincipalFen') =>
  s.rows.map((r) => formatYuan(r[key]));
const dates = (s: Schedule) => s.rows.map((r) => r.dueDate);

describe('the worked example of issue 6: 10,000.00 at 12% for 6 months', () => {
  it('equal installment: 1,725.48 × 5 then 1,725.51', () => {
    const s = monthly('equal_installment', '10,000.00', '0.12', 6);
    expect(yuan(s, 'paymentFen')).toEqual(['1,725.48', '1,725.48', '1,725.48', '1,725.48', '1,725.48', '1,725.51']);
    expect(yuan(s, 'interestFen')).toEqual(['100.00', '83.75', '67.33', '50.75', '34.00', '17.08']);
    expect(yuan(s, 'principalFen')).toEqual(['1,625.48', '1,641.73', '1,658.15', '1,674.73', '1,691.48', '1,708.43']);
    expect(yuan(s, 'remainingPrincipalFen')).toEqual([
      '8,374.52',
      '6,732.79',
      '5,074.64',
      '3,399.91',
      '1,708.43',
      '0.00',
    ]);
    expect(dates(s)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31']);
    expect(s.totalPrincipalFen).toBe(1_000_000n);
    expect(s.totalInterestFen).toBe(35_291n);
    expect(s.totalPaymentFen).toBe(1_035_291n);
  });

  it('equal principal: 1,666.67 × 5 then 1,666.65', () => {
    const s = monthly('equal_principal', '10,000.00', '0.12', 6);
    expect(yuan(s, 'principalFen')).toEqual(['1,666.67', '1,666.67', '1,666.67', '1,666.67', '1,666.67', '1,666.65']);
    expect(yuan(s, 'paymentFen')).toEqual(['1,766.67', '1,750.00', '1,733.34', '1,716.67', '1,700.00', '1,683.32']);
    expect(s.totalInterestFen).toBe(35_000n);
  });
});

describe('each method', () => {
  it('interest monthly: the same interest every month, the principal at maturity', () => {
    const s = monthly('interest_monthly', '10,000.00', '0.12', 6);
    expect(yuan(s, 'interestFen')).toEqual(Array(6).fill('100.00'));
    expect(yuan(s, 'principalFen')).toEqual(['0.00', '0.00', '0.00', '0.00', '0.00', '10,000.00']);
    expect(yuan(s, 'remainingPrincipalFen')).toEqual([...Array(5).fill('10,000.00'), '0.00']);
    expect(formatYuan(s.totalPaymentFen)).toBe('10,600.00');
  });

  it('interest monthly rounds each month half-up: 1,000.00 at 10% is 8.333… → 8.33 a month', () => {
    const s = monthly('interest_monthly', '1000', '0.1', 12);
    expect(s.rows[0]?.interestFen).toBe(833n);
    expect(s.totalInterestFen).toBe(833n * 12n);
  });

  it('rounds an exact half-fen up, even when the monthly rate (4.9% / 12) has no finite decimal form', () => {
    // 60.00 × 0.049 / 12 = 0.245 yuan = 24.5 fen exactly → 25 fen. The engine keeps r = 49/12000 as a
    // fraction; multiplying by a rounded 0.049/12 instead can land just below such a half and round down.
    expect(monthly('interest_monthly', '60', '0.049', 3).rows.map((r) => r.interestFen)).toEqual([25n, 25n, 25n]);
    expect(monthly('equal_principal', '60', '0.049', 1).rows[0]?.interestFen).toBe(25n);
  });

  it('bullet: one payment at maturity, interest = round(A·r·n)', () => {
    const s = monthly('bullet', '10,000.00', '0.12', 6);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]).toEqual({
      period: 1,
      dueDate: '2026-07-31',
      principalFen: 1_000_000n,
      interestFen: 60_000n,
      paymentFen: 1_060_000n,
      remainingPrincipalFen: 0n,
    });
    // 3,333.33 at 10% for 7 months: 194.444… → 194.44 (rounded once, not per month).
    expect(monthly('bullet', '3333.33', '0.1', 7).totalInterestFen).toBe(19_444n);
  });

  it('quarterly: equal installments of r = rate/4 every 3 months', () => {
    const s = monthly('quarterly', '10,000.00', '0.12', 12);
    expect(dates(s)).toEqual(['2026-04-30', '2026-07-31', '2026-10-31', '2027-01-31']);
    expect(yuan(s, 'paymentFen')).toEqual(['2,690.27', '2,690.27', '2,690.27', '2,690.27']);
    expect(yuan(s, 'interestFen')).toEqual(['300.00', '228.29', '154.43', '78.36']);
    expect(yuan(s, 'principalFen')).toEqual(['2,390.27', '2,461.98', '2,535.84', '2,611.91']);
  });

  it('daily: interest = round(A · rate · days / 365) with the principal at maturity', () => {
    const s = computeSchedule({
      method: 'daily',
      amountFen: 1_000_000n,
      annualRate: parseAnnualRate('0.12'),
      termDays: 30,
      startDate: '2026-01-31',
    });
    // 10,000 × 0.12 × 30 / 365 = 98.6301…
    expect(s.rows).toEqual([
      {
        period: 1,
        dueDate: '2026-03-02',
        principalFen: 1_000_000n,
        interestFen: 9_863n,
        paymentFen: 1_009_863n,
        remainingPrincipalFen: 0n,
      },
    ]);
    const leap = computeSchedule({
      method: 'daily',
      amountFen: 36_500n,
      annualRate: parseAnnualRate('0.1'),
      termDays: 30,
      startDate: '2024-01-31',
    });
    // 365.00 × 0.1 × 30 / 365 = 3.00 exactly; the due date passes Feb 29.
    expect(leap.rows[0]).toMatchObject({ dueDate: '2024-03-01', interestFen: 300n });
    // A tie rounds up: 1.00 × 0.073 × 25 / 365 = 0.005 → 0.01.
    const tie = computeSchedule({
      method: 'daily',
      amountFen: 100n,
      annualRate: parseAnnualRate('0.073'),
      termDays: 25,
      startDate: '2026-01-01',
    });
    expect(tie.totalInterestFen).toBe(1n);
  });
});

describe('edge cases', () => {
  it('r = 0: principal = round(A/n), the last period takes the rest, no interest', () => {
    for (const method of ['equal_installment', 'equal_principal'] as const) {
      const s = monthly(method, '10,000.00', '0', 3);
      expect(yuan(s, 'principalFen')).toEqual(['3,333.33', '3,333.33', '3,333.34']);
      expect(s.totalInterestFen).toBe(0n);
    }
    expect(monthly('quarterly', '100', '0', 6).rows.map((r) => r.paymentFen)).toEqual([5_000n, 5_000n]);
    expect(monthly('bullet', '100', '0', 6).totalInterestFen).toBe(0n);
    expect(monthly('interest_monthly', '100', '0', 6).totalInterestFen).toBe(0n);
  });

  it('one period: the whole loan plus one period of interest', () => {
    for (const method of ['equal_installment', 'equal_principal', 'interest_monthly', 'bullet'] as const) {
      const s = monthly(method, '10,000.00', '0.12', 1);
      expect(s.rows, method).toHaveLength(1);
      expect(formatYuan(s.rows[0]?.paymentFen ?? 0n), method).toBe('10,100.00');
      expect(s.rows[0]?.dueDate).toBe('2026-02-28');
    }
    expect(yuan(monthly('quarterly', '10,000.00', '0.12', 3), 'paymentFen')).toEqual(['10,300.00']);
  });

  it('360 periods: the well-known 30-year mortgage of 1,000,000.00 at 4.9%', () => {
    const annuity = monthly('equal_installment', '1,000,000', '0.049', 360, '2026-01-15');
    expect(annuity.rows).toHaveLength(360);
    expect(formatYuan(annuity.rows[0]?.paymentFen ?? 0n)).toBe('5,307.27');
    expect(formatYuan(annuity.rows[0]?.interestFen ?? 0n)).toBe('4,083.33');
    expect(annuity.rows.slice(0, 359).every((r) => r.paymentFen === 530_727n)).toBe(true);
    expect(annuity.rows[359]?.dueDate).toBe('2056-01-15');
    expect(annuity.rows[359]?.remainingPrincipalFen).toBe(0n);
    expect(annuity.totalPrincipalFen).toBe(100_000_000n);

    const linear = monthly('equal_principal', '1,000,000', '0.049', 360, '2026-01-15');
    expect(formatYuan(linear.rows[0]?.paymentFen ?? 0n)).toBe('6,861.11');
    expect(formatYuan(linear.rows[0]?.principalFen ?? 0n)).toBe('2,777.78');
    expect(formatYuan(linear.rows[359]?.principalFen ?? 0n)).toBe('2,776.98');
  });

  it('keeps the day of month and clamps at month ends, in leap and common years', () => {
    expect(dates(monthly('equal_installment', '1200', '0.1', 13, '2024-01-31'))).toEqual([
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
      '2024-06-30',
      '2024-07-31',
      '2024-08-31',
      '2024-09-30',
      '2024-10-31',
      '2024-11-30',
      '2024-12-31',
      '2025-01-31',
      '2025-02-28',
    ]);
    expect(dates(monthly('quarterly', '1200', '0.1', 12, '2026-08-31'))).toEqual([
      '2026-11-30',
      '2027-02-28',
      '2027-05-31',
      '2027-08-31',
    ]);
    expect(dates(monthly('bullet', '1200', '0.1', 12, '2024-02-29'))).toEqual(['2025-02-28']);
    expect(dates(monthly('bullet', '1200', '0.1', 48, '2024-02-29'))).toEqual(['2028-02-29']);
  });

  it('never lets rounding repay more than is owed: 1.80 over 360 months at 0%', () => {
    // round(180 / 360) = round(0.5) = 1 fen a month would repay 360 fen; the balance stops at zero instead.
    for (const method of ['equal_installment', 'equal_principal'] as const) {
      const s = monthly(method, '1.80', '0', 360);
      expect(s.rows.slice(0, 180).every((r) => r.principalFen === 1n)).toBe(true);
      expect(s.rows.slice(180).every((r) => r.principalFen === 0n && r.paymentFen === 0n)).toBe(true);
      expect(s.totalPrincipalFen).toBe(180n);
    }
  });
});

/** Any real date from 1990 to 2150, month ends (29–31) as likely as any other day. */
const startDates = fc
  .record({
    year: fc.integer({ min: 1990, max: 2150 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ year, month, day }) => formatIsoDate({ year, month, day: Math.min(day, daysInMonth(year, month)) }));

const inputs: fc.Arbitrary<ScheduleInput> = fc
  .record({
    method: fc.constantFrom(...REPAYMENT_METHODS),
    amountFen: fc.oneof(fc.bigInt({ min: 100n, max: 10_000_000_000n }), fc.bigInt({ min: 1n, max: 1000n })),
    ppm: fc.oneof(fc.bigInt({ min: 0n, max: 360_000n }), fc.constantFrom(0n, 120_000n, 49_000n, 360_000n)),
    months: fc.integer({ min: 1, max: 360 }),
    days: fc.integer({ min: 1, max: 3650 }),
    startDate: startDates,
  })
  .map(({ method, amountFen, ppm, months, days, startDate }): ScheduleInput => {
    const annualRate = annualRateFromPpm(ppm);
    if (method === 'daily') return { method, amountFen, annualRate, termDays: days, startDate };
    const termMonths = method === 'quarterly' ? Math.max(3, months - (months % 3)) : months;
    return { method, amountFen, annualRate, termMonths, startDate };
  });

function expectedPeriods(input: ScheduleInput): number {
  if (input.method === 'daily' || input.method === 'bullet') return 1;
  return input.method === 'quarterly' ? input.termMonths / 3 : input.termMonths;
}

describe('properties over random loans', () => {
  it('principal sums to the loan, every figure is non-negative, the balance falls to exactly 0', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const s = computeSchedule(input);
        expect(s.rows).toHaveLength(expectedPeriods(input));
        let balance = input.amountFen;
        let principal = 0n;
        let interest = 0n;
        for (const [i, r] of s.rows.entries()) {
          expect(r.period).toBe(i + 1);
          expect(r.principalFen >= 0n && r.interestFen >= 0n).toBe(true);
          expect(r.paymentFen).toBe(r.principalFen + r.interestFen);
          balance -= r.principalFen;
          expect(r.remainingPrincipalFen).toBe(balance);
          expect(balance >= 0n).toBe(true);
          principal += r.principalFen;
          interest += r.interestFen;
          if (i > 0) expect(r.dueDate > (s.rows[i - 1]?.dueDate ?? '')).toBe(true);
        }
        expect(balance).toBe(0n);
        expect(principal).toBe(input.amountFen);
        expect(s.totalPrincipalFen).toBe(input.amountFen);
        expect(s.totalInterestFen).toBe(interest);
        expect(s.totalPaymentFen).toBe(principal + interest);
      }),
      { numRuns: 600 },
    );
  });

  it('equal installments match a 200-digit decimal reference of the annuity formula and of each interest', () => {
    const annuities = inputs.filter((i) => i.method === 'equal_installment' || i.method === 'quarterly');
    fc.assert(
      fc.property(annuities, (input) => {
        if (input.method === 'daily') return;
        const s = computeSchedule(input);
        const perYear = input.method === 'quarterly' ? 4 : 12;
        const n = s.rows.length;
        const A = new Exact(input.amountFen.toString());
        const r = new Exact(input.annualRate.text).div(perYear);
        let expectedPayment: Decimal;
        if (r.isZero()) {
          expectedPayment = A.div(n);
        } else {
          const grown = r.plus(1).pow(n);
          expectedPayment = A.times(r).times(grown).div(grown.minus(1));
        }
        // A value this close to a half cannot be told from a tie at 200 digits: the rational engine decides.
        const fraction = expectedPayment.minus(expectedPayment.floor());
        fc.pre(fraction.minus(0.5).abs().gt('1e-100'));
        const payment = BigInt(expectedPayment.toDecimalPlaces(0).toFixed(0));
        let balance = new Exact(input.amountFen.toString());
        for (const [i, row] of s.rows.entries()) {
          // balance · rate / periods, dividing last: a tie (x.5 fen) is then exact, where balance · (rate / 12)
          // with a 200-digit 1/12 would land just below it and round the wrong way.
          const interest = balance.times(input.annualRate.text).div(perYear);
          expect(row.interestFen.toString()).toBe(interest.toDecimalPlaces(0).toFixed(0));
          if (i < n - 1 && row.remainingPrincipalFen > 0n) expect(row.paymentFen).toBe(payment);
          balance = balance.minus(row.principalFen.toString());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('equal principal, interest monthly, bullet and daily match a decimal reference', () => {
    const others = inputs.filter((i) => i.method !== 'equal_installment' && i.method !== 'quarterly');
    fc.assert(
      fc.property(others, (input) => {
        const s = computeSchedule(input);
        const rate = new Exact(input.annualRate.text);
        const A = new Exact(input.amountFen.toString());
        const round = (x: Decimal) => BigInt(x.toDecimalPlaces(0).toFixed(0));
        switch (input.method) {
          case 'daily':
            expect(s.totalInterestFen).toBe(round(A.times(rate).times(input.termDays).div(365)));
            break;
          case 'bullet':
            expect(s.totalInterestFen).toBe(round(A.times(rate).div(12).times(input.termMonths)));
            break;
          case 'interest_monthly':
            expect(s.rows.every((r) => r.interestFen === round(A.times(rate).div(12)))).toBe(true);
            break;
          case 'equal_principal': {
            const part = round(A.div(input.termMonths));
            let balance = input.amountFen;
            for (const r of s.rows) {
              expect(r.interestFen).toBe(round(new Exact(balance.toString()).times(rate).div(12)));
              if (r.period < s.rows.length) expect(r.principalFen).toBe(part < balance ? part : balance);
              balance -= r.principalFen;
            }
            break;
          }
          default:
            throw new Error(`unexpected method ${input.method}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
