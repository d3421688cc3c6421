import { assert } from '../../platform/errors.ts';

/**
 * Split `totalFen` into parts proportional to `weights` by the largest-remainder method:
 * each part first gets the floor of its exact share, then the fen still missing go one each to the parts
 * with the largest remainders, a tie going to the earlier weight. The parts always sum to the total and
 * each is within one fen of its exact share (total · weight / Σ weights).
 *
 * - A zero weight gets 0 (as long as some weight is positive).
 * - A negative total is split like its absolute value and negated, so the parts mirror the positive case.
 * - Programmer errors (assertions): no weights, a negative weight, all weights zero.
 */
export function allocate(totalFen: bigint, weights: readonly bigint[]): bigint[] {
  assert(weights.length > 0, 'allocate: no weights');
  let weightSum = 0n;
  for (const w of weights) {
    assert(w >= 0n, `allocate: negative weight ${w}`);
    weightSum += w;
  }
  assert(weightSum > 0n, 'allocate: all weights are zero');

  if (totalFen < 0n) return allocate(-totalFen, weights).map((part) => -part);

  const parts: bigint[] = new Array(weights.length);
  const remainders: bigint[] = new Array(weights.length);
  let assigned = 0n;
  for (let i = 0; i < weights.length; i++) {
    const product = totalFen * (weights[i] as bigint);
    const part = product / weightSum;
    parts[i] = part;
    remainders[i] = product % weightSum;
    assigned += part;
  }

  let missing = totalFen - assigned;
  assert(missing >= 0n && missing < BigInt(weights.length), 'allocate: floor shares out of range');
  if (missing > 0n) {
    // Only weights with a non-zero remainder can receive a fen; there are at least `missing` of them.
    const order: number[] = [];
    for (let i = 0; i < weights.length; i++) if ((remainders[i] as bigint) > 0n) order.push(i);
    order.sort((a, b) => {
      const ra = remainders[a] as bigint;
      const rb = remainders[b] as bigint;
      return ra > rb ? -1 : ra < rb ? 1 : a - b;
    });
    for (const i of order) {
      if (missing === 0n) break;
      parts[i] = (parts[i] as bigint) + 1n;
      missing -= 1n;
    }
  }

  let sum = 0n;
  for (const part of parts) sum += part;
  assert(sum === totalFen, `allocate: parts sum to ${sum}, not ${totalFen}`);
  return parts;
}
