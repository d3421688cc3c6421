/**
 * Withdrawal (提现) rules: limits, the fee, the review threshold and the ledger ids of an order's holds.
 * Pure code with no Node-only API: the web imports it to show the fee before the customer submits.
 * (Named constants for now; a later issue moves them into system parameters.)
 */
import { divRound } from '../money/index.ts';
import type { WithdrawalStatus } from './orders.ts';

/** Smallest and largest single withdrawal, and the most a customer may withdraw in one business day. */
export const WITHDRAW_MIN_FEN = 1_000n;
export const WITHDRAW_MAX_FEN = 50_000_000n;
export const WITHDRAW_DAILY_MAX_FEN = 100_000_000n;
/** Withdrawals a customer may start in one business day (failed and rejected ones do not count). */
export const WITHDRAW_DAILY_COUNT_MAX = 10;

/** The fee: this many basis points of the amount (10 = 0.1 %), rounded half-up to the fen, at least the minimum. */
export const WITHDRAW_FEE_BPS = 10n;
export const WITHDRAW_FEE_MIN_FEN = 200n;
const BPS_PER_UNIT = 10_000n;

/** Withdrawals above this amount wait for a member of staff (审核); at or below it they go out at once. */
export const WITHDRAW_REVIEW_THRESHOLD_FEN = 5_000_000n;

export const WITHDRAWAL_STATUSES = [
  'pending_review',
  'processing',
  'succeeded',
  'failed',
  'rejected',
] as const satisfies readonly WithdrawalStatus[];
/** Statuses in which the money is still held (a card must not be unbound under them). */
export const OPEN_WITHDRAWAL_STATUSES = ['pending_review', 'processing'] as const satisfies readonly WithdrawalStatus[];
/** Statuses that do not count against the daily limits: the money never left. */
export const RELEASED_WITHDRAWAL_STATUSES = ['failed', 'rejected'] as const satisfies readonly WithdrawalStatus[];

/** The fee for withdrawing `amountFen`. */
export function withdrawalFeeFen(amountFen: bigint): bigint {
  const proportional = divRound(amountFen * WITHDRAW_FEE_BPS, BPS_PER_UNIT, 'half_up');
  return proportional > WITHDRAW_FEE_MIN_FEN ? proportional : WITHDRAW_FEE_MIN_FEN;
}

/** Whether an amount waits for staff review. */
export function needsReview(amountFen: bigint): boolean {
  return amountFen > WITHDRAW_REVIEW_THRESHOLD_FEN;
}

/**
 * The largest amount whose amount + fee fits in `availableFen` (0 when none does). amount + fee rises
 * strictly with the amount, so a binary search finds it in at most ~64 steps.
 */
export function maxWithdrawableFen(availableFen: bigint): bigint {
  let lo = 0n;
  let hi = availableFen;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (mid + withdrawalFeeFen(mid) <= availableFen) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/** Ledger ids of an order's two holds (amount to custody cash, fee to fee income) and their resolutions. */
export function withdrawalTransferIds(orderNo: string) {
  return {
    amountHold: `withdraw:${orderNo}`,
    feeHold: `withdraw_fee:${orderNo}`,
    amountPost: `withdraw:${orderNo}:post`,
    feePost: `withdraw_fee:${orderNo}:post`,
    amountVoid: `withdraw:${orderNo}:void`,
    feeVoid: `withdraw_fee:${orderNo}:void`,
  } as const;
}
