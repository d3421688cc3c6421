import { assert } from '../../platform/errors.ts';

/**
 * How a division that does not come out even is rounded to an integer.
 * - `half_up`: to the nearest, a tie away from zero (2.5 → 3, −2.5 → −3). The platform default.
 * - `half_even`: to the nearest, a tie to the even neighbour (2.5 → 2, 3.5 → 4).
 * - `down`: toward zero (2.7 → 2, −2.7 → −2).
 * - `up`: away from zero (2.1 → 3, −2.1 → −3).
 * - `floor`: toward −∞ (−2.1 → −3).
 * - `ceiling`: toward +∞ (−2.7 → −2).
 */
export const ROUNDING_MODES = ['half_up', 'half_even', 'down', 'up', 'floor', 'ceiling'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** numerator / denominator as an integer, rounded as `mode` says. Exact for any size; the denominator must not be 0. */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode = 'half_up'): bigint {
  // The common case (money and rates are non-negative, half-up) without the general bookkeeping.
  if (mode === 'half_up' && denominator > 0n && numerator >= 0n) {
    const q = numerator / denominator;
    return (numerator - q * denominator) * 2n >= denominator ? q + 1n : q;
  }
  assert(denominator !== 0n, 'divRound: division by zero');
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  // Floor quotient and a remainder in [0, d).
  let q = n / d;
  let rem = n % d;
  if (rem < 0n) {
    q -= 1n;
    rem += d;
  }
  if (rem === 0n) return q;
  const negative = n < 0n;
  switch (mode) {
    case 'floor':
      return q;
    case 'ceiling':
      return q + 1n;
    case 'down':
      return negative ? q + 1n : q;
    case 'up':
      return negative ? q : q + 1n;
    case 'half_up':
    case 'half_even': {
      const twice = rem * 2n;
      if (twice < d) return q;
      if (twice > d) return q + 1n;
      if (mode === 'half_up') return negative ? q : q + 1n;
      return q % 2n === 0n ? q : q + 1n;
    }
    default: {
      const never: never = mode;
      throw new Error(`unknown rounding mode ${String(never)}`);
    }
  }
}
