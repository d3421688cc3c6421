import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../platform/errors.ts';
import { divRound, ROUNDING_MODES, type RoundingMode } from './rounding.ts';

/**
 * An independent reference straight from the definitions: look at the integers around n/d and pick
 * by comparing exact products, never by the remainder arithmetic the implementation uses.
 */
function reference(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const t = n / d;
  const candidates = [t - 1n, t, t + 1n];
  const sign = (x: bigint) => (x > 0n ? 1 : x < 0n ? -1 : 0);
  // sign(q − n/d) without dividing: sign(q·d − n) · sign(d).
  const cmp = (q: bigint) => sign(q * d - n) * sign(d);
  const floor = candidates.filter((q) => cmp(q) <= 0).reduce((a, b) => (a > b ? a : b));
  const ceiling = candidates.filter((q) => cmp(q) >= 0).reduce((a, b) => (a < b ? a : b));
  const nonNegative = sign(n) * sign(d) >= 0;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  switch (mode) {
    case 'floor':
      return floor;
    case 'ceiling':
      return ceiling;
    case 'down':
      return nonNegative ? floor : ceiling;
    case 'up':
      return nonNegative ? ceiling : floor;
    default: {
      const distFloor = abs(floor * d - n);
      const distCeiling = abs(ceiling * d - n);
      if (distFloor < distCeiling) return floor;
      if (distCeiling < distFloor) return ceiling;
      if (mode === 'half_up') return abs(floor) > abs(ceiling) ? floor : ceiling;
      return floor % 2n === 0n ? floor : ceiling;
    }
  }
}

const DECIMAL_MODE: Record<RoundingMode, Decimal.Rounding> = {
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
  floor: Decimal.ROUND_FLOOR,
  ceiling: Decimal.ROUND_CEIL,
};
const Exact = Decimal.clone({ precision: 1000 });

describe('divRound', () => {
  it.each([
    // n, d, half_up, half_even, down, up, floor, ceiling
    [25n, 10n, 3n, 2n, 2n, 3n, 2n, 3n],
    [35n, 10n, 4n, 4n, 3n, 4n, 3n, 4n],
    [-25n, 10n, -3n, -2n, -2n, -3n, -3n, -2n],
    [-35n, 10n, -4n, -4n, -3n, -4n, -4n, -3n],
    [27n, 10n, 3n, 3n, 2n, 3n, 2n, 3n],
    [21n, 10n, 2n, 2n, 2n, 3n, 2n, 3n],
    [-21n, 10n, -2n, -2n, -2n, -3n, -3n, -2n],
    [-27n, 10n, -3n, -3n, -2n, -3n, -3n, -2n],
    [25n, -10n, -3n, -2n, -2n, -3n, -3n, -2n],
    [-25n, -10n, 3n, 2n, 2n, 3n, 2n, 3n],
    [20n, 10n, 2n, 2n, 2n, 2n, 2n, 2n],
    [-20n, 10n, -2n, -2n, -2n, -2n, -2n, -2n],
    [0n, 7n, 0n, 0n, 0n, 0n, 0n, 0n],
    [1n, 3n, 0n, 0n, 0n, 1n, 0n, 1n],
    [-1n, 3n, 0n, 0n, 0n, -1n, -1n, 0n],
    [2n, 3n, 1n, 1n, 0n, 1n, 0n, 1n],
    [5n, 10n, 1n, 0n, 0n, 1n, 0n, 1n],
    [-5n, 10n, -1n, 0n, 0n, -1n, -1n, 0n],
  ])('%i / %i', (n, d, halfUp, halfEven, down, up, floor, ceiling) => {
    expect(divRound(n, d)).toBe(halfUp);
    expect(divRound(n, d, 'half_up')).toBe(halfUp);
    expect(divRound(n, d, 'half_even')).toBe(halfEven);
    expect(divRound(n, d, 'down')).toBe(down);
    expect(divRound(n, d, 'up')).toBe(up);
    expect(divRound(n, d, 'floor')).toBe(floor);
    expect(divRound(n, d, 'ceiling')).toBe(ceiling);
  });

  it('is exact far beyond the range of a double', () => {
    const big = 10n ** 40n;
    expect(divRound(big * 3n + big / 2n, big)).toBe(4n);
    expect(divRound(big * 3n + big / 2n - 1n, big)).toBe(3n);
    expect(divRound(-(big * 3n + big / 2n), big, 'half_even')).toBe(-4n);
  });

  it('refuses to divide by zero', () => {
    expect(() => divRound(1n, 0n)).toThrow(AssertionError);
  });

  const numerators = fc.oneof(
    fc.bigInt({ min: -1000n, max: 1000n }),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
  );
  const denominators = fc
    .oneof(fc.bigInt({ min: -20n, max: 20n }), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }))
    .filter((d) => d !== 0n);

  it('matches a reference built from the definitions, for every mode and sign', () => {
    fc.assert(
      fc.property(numerators, denominators, fc.constantFrom(...ROUNDING_MODES), (n, d, mode) => {
        expect(divRound(n, d, mode)).toBe(reference(n, d, mode));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches decimal.js on divisions that terminate (denominators 2^a·5^b)', () => {
    const terminating = fc
      .tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.boolean())
      .map(([a, b, negative]) => (negative ? -1n : 1n) * 2n ** BigInt(a) * 5n ** BigInt(b));
    fc.assert(
      fc.property(numerators, terminating, fc.constantFrom(...ROUNDING_MODES), (n, d, mode) => {
        const expected = new Exact(n.toString()).div(d.toString()).toDecimalPlaces(0, DECIMAL_MODE[mode]);
        expect(divRound(n, d, mode).toString()).toBe(expected.toFixed(0).replace(/^-0$/, '0'));
      }),
      { numRuns: 3000 },
    );
  });

  it('never moves more than one unit from the exact quotient, and not at all when it divides evenly', () => {
    fc.assert(
      fc.property(numerators, denominators, fc.constantFrom(...ROUNDING_MODES), (n, d, mode) => {
        const q = divRound(n, d, mode);
        const gap = q * d - n;
        const absGap = gap < 0n ? -gap : gap;
        const absD = d < 0n ? -d : d;
        expect(absGap < absD).toBe(true);
        expect(divRound(n * d, d, mode)).toBe(n);
      }),
    );
  });
});
