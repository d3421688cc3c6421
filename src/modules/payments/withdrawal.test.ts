import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  maxWithdrawableFen,
  needsReview,
  WITHDRAW_FEE_MIN_FEN,
  WITHDRAW_MAX_FEN,
  WITHDRAW_REVIEW_THRESHOLD_FEN,
  withdrawalFeeFen,
  withdrawalTransferIds,
} from './withdrawal.ts';

describe('the withdrawal fee (0.1 %, at least 2.00, half-up to the fen)', () => {
  it.each([
    [1_000n, 200n], // 10.00 → 0.01, the minimum applies
    [100_000n, 200n], // 1,000.00 → 1.00 → 2.00
    [200_000n, 200n], // 2,000.00 → exactly 2.00
    [200_499n, 200n], // 200.499 fen → 200
    [200_500n, 201n], // 200.5 fen → 201 (half-up)
    [1_000_499n, 1_000n],
    [1_000_500n, 1_001n],
    [2_005_000n, 2_005n],
    [WITHDRAW_MAX_FEN, 50_000n],
  ])('%s fen costs %s fen', (amount, fee) => {
    expect(withdrawalFeeFen(amount)).toBe(fee);
  });

  it('is never below the minimum and never more than 0.1 % + half a fen above it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: WITHDRAW_MAX_FEN }), (amount) => {
        const fee = withdrawalFeeFen(amount);
        expect(fee >= WITHDRAW_FEE_MIN_FEN).toBe(true);
        if (fee > WITHDRAW_FEE_MIN_FEN) {
          // |fee − amount × 0.001| ≤ 0.5 fen, in integers: |fee × 10000 − amount × 10| ≤ 5000
          const diff = fee * 10_000n - amount * 10n;
          expect(diff <= 5_000n && diff > -5_000n).toBe(true);
        }
      }),
    );
  });
});

describe('the largest withdrawal that fits', () => {
  it('fits amount + fee into the available cash, and one fen more does not', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (available) => {
        const m = maxWithdrawableFen(available);
        if (m > 0n) expect(m + withdrawalFeeFen(m)).toBeLessThanOrEqual(available);
        expect(m + 1n + withdrawalFeeFen(m + 1n)).toBeGreaterThan(available);
      }),
    );
  });

  it('is 0 when even the minimum fee does not fit', () => {
    expect(maxWithdrawableFen(0n)).toBe(0n);
    expect(maxWithdrawableFen(WITHDRAW_FEE_MIN_FEN)).toBe(0n);
    expect(maxWithdrawableFen(WITHDRAW_FEE_MIN_FEN + 1n)).toBe(1n);
    expect(maxWithdrawableFen(100_200n)).toBe(100_000n);
  });
});

describe('review threshold and ids', () => {
  it('sends only amounts above the threshold to review', () => {
    expect(needsReview(WITHDRAW_REVIEW_THRESHOLD_FEN)).toBe(false);
    expect(needsReview(WITHDRAW_REVIEW_THRESHOLD_FEN + 1n)).toBe(true);
  });

  it('names the holds after the order and fits the ledger’s id pattern', () => {
    const ids = withdrawalTransferIds('W20261122093015K3M9QZ2A');
    expect(ids.amountHold).toBe('withdraw:W20261122093015K3M9QZ2A');
    for (const id of Object.values(ids)) expect(id).toMatch(/^[A-Za-z0-9_:.-]{1,120}$/);
    expect(new Set(Object.values(ids)).size).toBe(6);
  });
});
