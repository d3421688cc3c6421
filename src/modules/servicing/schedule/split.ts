import { assert } from '../../../platform/errors.ts';
import { allocate } from '../../money/index.ts';
import type { Schedule, ScheduleRow } from './schedule.ts';

/** One investor's part of a loan's schedule: rows with the same periods and due dates as the borrower's. */
export interface InvestorSchedule {
  /** The bid this part belongs to (same order as the bids given). */
  readonly bidFen: bigint;
  readonly rows: readonly ScheduleRow[];
  readonly totalPrincipalFen: bigint;
  readonly totalInterestFen: bigint;
  readonly totalPaymentFen: bigint;
}

/**
 * Split a borrower's schedule among the loan's investors, period by period, with `allocate`
 * (largest remainder, ties to the earlier bid). Bids are in bid order and must sum to the loan.
 *
 * The weights of a period are each investor's principal still outstanding before it. In the first period
 * (and for every period of bullet, interest_monthly and daily loans) that is exactly the bid amounts; later
 * it stays proportional to the bids up to the fen. Splitting by what is still owed, rather than by the
 * original bids every period, keeps two promises at once:
 * - in every period the investors' principal and interest sum exactly to the borrower's, and
 * - every investor gets back exactly the principal they lent (in the last period the weights sum to the
 *   remaining principal, so each share is exact), never a fen more or less over the life of the loan.
 */
export function splitSchedule(schedule: Schedule, bidsFen: readonly bigint[]): InvestorSchedule[] {
  assert(bidsFen.length > 0, 'splitSchedule: no bids');
  let bidSum = 0n;
  for (const bid of bidsFen) {
    assert(bid > 0n, `splitSchedule: bid must be positive, got ${bid}`);
    bidSum += bid;
  }
  assert(bidSum === schedule.totalPrincipalFen, `splitSchedule: bids sum to ${bidSum}, not to the loan`);

  const outstanding = [...bidsFen];
  const rows: ScheduleRow[][] = bidsFen.map(() => []);
  for (const borrower of schedule.rows) {
    const weights = outstanding.some((o) => o > 0n) ? outstanding : bidsFen;
    const principals = allocate(borrower.principalFen, weights);
    const interests = allocate(borrower.interestFen, weights);
    let principalSum = 0n;
    let interestSum = 0n;
    for (let i = 0; i < bidsFen.length; i++) {
      const principalFen = principals[i] as bigint;
      const interestFen = interests[i] as bigint;
      const remaining = (outstanding[i] as bigint) - principalFen;
      assert(remaining >= 0n, `splitSchedule: investor ${i} repaid more than lent in period ${borrower.period}`);
      outstanding[i] = remaining;
      principalSum += principalFen;
      interestSum += interestFen;
      (rows[i] as ScheduleRow[]).push({
        period: borrower.period,
        dueDate: borrower.dueDate,
        principalFen,
        interestFen,
        paymentFen: principalFen + interestFen,
        remainingPrincipalFen: remaining,
      });
    }
    assert(
      principalSum === borrower.principalFen && interestSum === borrower.interestFen,
      `splitSchedule: investors' rows do not sum to the borrower's in period ${borrower.period}`,
    );
  }

  return bidsFen.map((bidFen, i) => {
    const own = rows[i] as ScheduleRow[];
    let totalPrincipalFen = 0n;
    let totalInterestFen = 0n;
    for (const r of own) {
      totalPrincipalFen += r.principalFen;
      totalInterestFen += r.interestFen;
    }
    assert(totalPrincipalFen === bidFen, `splitSchedule: investor ${i} gets ${totalPrincipalFen} back, lent ${bidFen}`);
    return {
      bidFen,
      rows: own,
      totalPrincipalFen,
      totalInterestFen,
      totalPaymentFen: totalPrincipalFen + totalInterestFen,
    };
  });
}
