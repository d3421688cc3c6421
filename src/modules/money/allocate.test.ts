import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../platform/errors.ts';
import { allocate } from './allocate.ts';

const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);

describe('allocate', () => {
  it.each([
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    [10n, [1n, 1n, 1n, 1n], [3n, 3n, 2n, 2n]],
    [2n, [1n, 1n, 1n], [1n, 1n, 0n]],
    // The larger remainder wins over the earlier weight: 7·1/3 = 2.33, 7·2/3 = 4.67.
    [7n, [1n, 2n], [2n, 5n]],
    [100n, [3n, 3n, 4n], [30n, 30n, 40n]],
    [1n, [5000n, 3000n, 2000n], [1n, 0n, 0n]],
    [1000000n, [500000n, 300000n, 200000n], [500000n, 300000n, 200000n]],
    [0n, [1n, 2n], [0n, 0n]],
    [5n, [7n], [5n]],
  ])('allocate(%s, [%s]) = [%s]', (total, weights, expected) => {
    expect(allocate(total, weights)).toEqual(expected);
  });

  it('gives zero weights nothing', () => {
    expect(allocate(5n, [0n, 1n, 0n, 1n])).toEqual([0n, 3n, 0n, 2n]);
    expect(allocate(3n, [0n, 1n, 1n, 1n, 1n])).toEqual([0n, 1n, 1n, 1n, 0n]);
  });

  it('splits a negative total as the mirror of the positive one', () => {
    expect(allocate(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(allocate(-7n, [1n, 2n])).toEqual([-2n, -5n]);
  });

  it('treats no weights, a negative weight and all-zero weights as programmer errors', () => {
    expect(() => allocate(1n, [])).toThrow(AssertionError);
    expect(() => allocate(1n, [2n, -1n])).toThrow(AssertionError);
    expect(() => allocate(1n, [0n, 0n])).toThrow(AssertionError);
    expect(() => allocate(0n, [0n])).toThrow(AssertionError);
  });

  const totals = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }));
  const weightLists = fc
    .array(fc.oneof(fc.bigInt({ min: 0n, max: 5n }), fc.bigInt({ min: 0n, max: 10n ** 12n })), {
      minLength: 1,
      maxLength: 40,
    })
    .filter((ws) => ws.some((w) => w > 0n));

  it('sums to the total, and each part is within one fen of its exact share', () => {
    fc.assert(
      fc.property(totals, weightLists, (total, weights) => {
        const parts = allocate(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(sum(parts)).toBe(total);
        const weightSum = sum(weights);
        parts.forEach((part, i) => {
          // |part − total·w/W| < 1  ⇔  |part·W − total·w| < W
          const gap = part * weightSum - total * (weights[i] as bigint);
          expect(gap < weightSum && -gap < weightSum).toBe(true);
          if (weights[i] === 0n) expect(part).toBe(0n);
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the extra fen to the largest remainders, ties to the earlier weight', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), weightLists, (total, weights) => {
        const parts = allocate(total, weights);
        const weightSum = sum(weights);
        const floors = weights.map((w) => (total * w) / weightSum);
        const remainders = weights.map((w) => (total * w) % weightSum);
        for (let i = 0; i < parts.length; i++) {
          for (let j = 0; j < parts.length; j++) {
            const iGotExtra = parts[i] === (floors[i] as bigint) + 1n;
            const jGotExtra = parts[j] === (floors[j] as bigint) + 1n;
            if (!iGotExtra || jGotExtra) continue;
            // i received a fen and j did not: i's remainder is larger, or equal and i comes first.
            const ri = remainders[i] as bigint;
            const rj = remainders[j] as bigint;
            expect(ri > rj || (ri === rj && i < j)).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
