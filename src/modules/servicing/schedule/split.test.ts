import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../platform/errors.ts';
import { allocate, annualRateFromPpm, parseAnnualRate } from '../../money/index.ts';
import { computeSchedule, REPAYMENT_METHODS, type Schedule, type ScheduleInput } from './schedule.ts';
import { splitSchedule } from './split.ts';

const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

function example(): Schedule {
  return computeSchedule({
    method: 'equal_installment',
    amountFen: 1_000_000n,
    annualRate: parseAnnualRate('0.12'),
    termMonths: 6,
    startDate: '2026-01-31',
  });
}

describe('splitSchedule', () => {
  it('splits the worked example among three investors so every period sums back', () => {
    const loan = example();
    const bids = [500_000n, 300_000n, 200_000n];
    const parts = splitSchedule(loan, bids);
    // First period exactly by the bids: 1,625.48 split 5:3:2 is 812.74 / 487.644 / 325.096; the one spare fen
    // goes to the largest remainder (0.6 fen of the third beats 0.4 fen of the second): 812.74 / 487.64 / 325.10.
    expect(parts.map((p) => p.rows[0]?.principalFen)).toEqual([81_274n, 48_764n, 32_510n]);
    expect(parts.map((p) => p.rows[0]?.interestFen)).toEqual([5_000n, 3_000n, 2_000n]);
    for (const [k, row] of loan.rows.entries()) {
      expect(sum(parts.map((p) => p.rows[k]?.principalFen ?? 0n))).toBe(row.principalFen);
      expect(sum(parts.map((p) => p.rows[k]?.interestFen ?? 0n))).toBe(row.interestFen);
      expect(sum(parts.map((p) => p.rows[k]?.remainingPrincipalFen ?? 0n))).toBe(row.remainingPrincipalFen);
      for (const p of parts) expect(p.rows[k]?.dueDate).toBe(row.dueDate);
    }
    expect(parts.map((p) => p.totalPrincipalFen)).toEqual(bids);
    expect(sum(parts.map((p) => p.totalInterestFen))).toBe(loan.totalInterestFen);
  });

  it('gives ties to the earlier bid', () => {
    // 3.00 at 4% for 2 months, one payment: interest 0.02 over three equal bids of 1.00 is 2/3 fen each.
    const loan = computeSchedule({ ...loanInput(300n, '0.04', 2), method: 'bullet' });
    expect(loan.totalInterestFen).toBe(2n);
    const parts = splitSchedule(loan, [100n, 100n, 100n]);
    expect(parts.map((p) => p.rows[0]?.interestFen)).toEqual([1n, 1n, 0n]);
    expect(parts.map((p) => p.rows[0]?.principalFen)).toEqual([100n, 100n, 100n]);
  });

  it('refuses bids that do not add up to the loan, and empty or non-positive bids', () => {
    const loan = example();
    expect(() => splitSchedule(loan, [])).toThrow(AssertionError);
    expect(() => splitSchedule(loan, [999_999n])).toThrow(AssertionError);
    expect(() => splitSchedule(loan, [1_000_001n, -1n])).toThrow(AssertionError);
    expect(() => splitSchedule(loan, [1_000_000n, 0n])).toThrow(AssertionError);
  });

  it('one investor gets the borrower’s rows', () => {
    const loan = example();
    expect(splitSchedule(loan, [1_000_000n])[0]?.rows).toEqual(loan.rows);
  });
});

function loanInput(amountFen: bigint, rate: string, termMonths: number) {
  return { amountFen, annualRate: parseAnnualRate(rate), termMonths, startDate: '2026-01-31' };
}

describe('investor split properties', () => {
  const loans: fc.Arbitrary<ScheduleInput> = fc
    .record({
      method: fc.constantFrom(...REPAYMENT_METHODS),
      amountFen: fc.oneof(fc.bigInt({ min: 1000n, max: 10_000_000_000n }), fc.bigInt({ min: 50n, max: 2000n })),
      ppm: fc.bigInt({ min: 0n, max: 360_000n }),
      months: fc.integer({ min: 1, max: 120 }),
      days: fc.integer({ min: 1, max: 3650 }),
    })
    .map(({ method, amountFen, ppm, months, days }): ScheduleInput => {
      const annualRate = annualRateFromPpm(ppm);
      const startDate = '2024-01-31';
      if (method === 'daily') return { method, amountFen, annualRate, termDays: days, startDate };
      const termMonths = method === 'quarterly' ? Math.max(3, months - (months % 3)) : months;
      return { method, amountFen, annualRate, termMonths, startDate };
    });
  const bidWeights = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 30 });

  it('investors’ rows sum to the borrower’s in every period, each gets back exactly the bid, nothing negative', () => {
    fc.assert(
      fc.property(loans, bidWeights, (input, weights) => {
        const loan = computeSchedule(input);
        const usable = weights.slice(0, Number(input.amountFen < 30n ? input.amountFen : 30n));
        // Bids: the loan cut by random weights; drop the empty ones (a bid is at least 1 fen).
        const bids = allocate(input.amountFen, usable.map(BigInt)).filter((b) => b > 0n);
        const parts = splitSchedule(loan, bids);
        expect(parts).toHaveLength(bids.length);
        for (const [k, row] of loan.rows.entries()) {
          let principal = 0n;
          let interest = 0n;
          for (const p of parts) {
            const r = p.rows[k];
            if (!r) throw new Error('missing row');
            expect(r.principalFen >= 0n && r.interestFen >= 0n && r.remainingPrincipalFen >= 0n).toBe(true);
            expect(r.paymentFen).toBe(r.principalFen + r.interestFen);
            principal += r.principalFen;
            interest += r.interestFen;
          }
          expect(principal).toBe(row.principalFen);
          expect(interest).toBe(row.interestFen);
        }
        for (const [i, p] of parts.entries()) {
          expect(p.totalPrincipalFen).toBe(bids[i]);
          expect(p.rows.at(-1)?.remainingPrincipalFen).toBe(0n);
          // Interest stays within a fen a period of the investor's proportional share.
          const exact = loan.totalInterestFen * (bids[i] as bigint);
          const gap = p.totalInterestFen * input.amountFen - exact;
          const limit = BigInt(loan.rows.length) * input.amountFen;
          expect(gap <= limit && -gap <= limit).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
