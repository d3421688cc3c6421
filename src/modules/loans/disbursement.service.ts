import type { Trx } from '../../db/database.ts';
import { assert } from '../../platform/errors.ts';
import {
  customerAccounts,
  platformAccountId,
  TRANSFER_BATCH_MAX,
  type TransferCommand,
  transferLinked,
} from '../ledger/index.ts';
import { annualRateFromPpm, divRound } from '../money/index.ts';
import {
  computeSchedule,
  isRepaymentMethod,
  type ScheduleInput,
  shanghaiDate,
  splitSchedule,
} from '../servicing/schedule/index.ts';
import { BiddingError } from './bidding.errors.ts';

const PPM = 1_000_000n;
const ESCROW = platformAccountId('loan_escrow');
const FEE_INCOME = platformAccountId('fee_income');
/** Schedule rows per INSERT (keeps each statement well under PostgreSQL's parameter cap). */
const SCHEDULE_INSERT_ROWS_MAX = 2_000;

export interface Disbursement {
  readonly loanId: string;
  readonly amountFen: bigint;
  readonly serviceFeeFen: bigint;
  readonly guaranteeFeeFen: bigint;
  /** What the borrower received: amount − service fee − guarantee fee. */
  readonly netFen: bigint;
  readonly bids: number;
  readonly periods: number;
  readonly startDate: string;
}

/** A fee in ppm of an amount, half-up to the fen. */
export function feeFen(amountFen: bigint, ppm: bigint): bigint {
  return divRound(amountFen * ppm, PPM);
}

/**
 * Approve a full loan at second review (复审通过) and disburse it (放款), in the caller's transaction:
 * every bid hold is posted to the loan escrow and the escrow paid on to the borrower less the service and
 * guarantee fees (to fee income), as linked sets; the borrower's repayment schedule and every investor's
 * receipt schedule are written from the engine, split exactly; the loan becomes repaying.
 */
export async function approveFullLoan(
  trx: Trx,
  input: { loanId: string; staffId: string; note?: string | null },
  now: Date = new Date(),
): Promise<Disbursement> {
  const loan = await trx.selectFrom('loans').selectAll().where('id', '=', input.loanId).forUpdate().executeTakeFirst();
  if (!loan) throw BiddingError.LOAN_NOT_FOUND();
  if (loan.status !== 'second_review') throw BiddingError.LOAN_NOT_IN_SECOND_REVIEW({ status: loan.status });
  const product = await trx
    .selectFrom('loan_products')
    .select(['service_fee_ppm', 'guarantee_fee_ppm', 'management_fee_ppm'])
    .where('id', '=', loan.product_id)
    .executeTakeFirstOrThrow();
  const bids = await trx
    .selectFrom('bids')
    .select(['id', 'investor_id', 'amount_fen', 'from_bonus_fen'])
    .where('loan_id', '=', loan.id)
    .where('status', '=', 'held')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const bidSum = bids.reduce((s, b) => s + b.amount_fen, 0n);
  assert(
    bidSum === loan.amount_fen && loan.raised_fen === loan.amount_fen,
    'approveFullLoan: bids do not fill the loan',
  );

  // Money: post every hold into escrow, then escrow → borrower and fees.
  const serviceFeeFen = feeFen(loan.amount_fen, product.service_fee_ppm);
  const guaranteeFeeFen = feeFen(loan.amount_fen, product.guarantee_fee_ppm);
  const netFen = loan.amount_fen - serviceFeeFen - guaranteeFeeFen;
  assert(netFen > 0n, 'approveFullLoan: fees exceed the loan');
  const refs = { loanId: loan.id };
  const posts: TransferCommand[] = [];
  for (const b of bids) {
    const bidRefs = { loanId: loan.id, bidId: b.id };
    if (b.amount_fen > b.from_bonus_fen)
      posts.push({ kind: 'post_pending', id: `bid:${b.id}:post`, pendingId: `bid:${b.id}:hold`, refs: bidRefs });
    if (b.from_bonus_fen > 0n)
      posts.push({
        kind: 'post_pending',
        id: `bid:${b.id}:post-bonus`,
        pendingId: `bid:${b.id}:hold-bonus`,
        refs: bidRefs,
      });
  }
  const borrower = await customerAccounts(trx, loan.borrower_id);
  const payouts: TransferCommand[] = [
    {
      kind: 'posted',
      id: `loan:${loan.id}:disburse`,
      debitAccountId: ESCROW,
      creditAccountId: borrower.cash.id,
      amountFen: netFen,
      code: 'disburse',
      refs,
    },
  ];
  if (serviceFeeFen > 0n)
    payouts.push({
      kind: 'posted',
      id: `loan:${loan.id}:service-fee`,
      debitAccountId: ESCROW,
      creditAccountId: FEE_INCOME,
      amountFen: serviceFeeFen,
      code: 'service_fee',
      refs,
    });
  if (guaranteeFeeFen > 0n)
    payouts.push({
      kind: 'posted',
      id: `loan:${loan.id}:guarantee-fee`,
      debitAccountId: ESCROW,
      creditAccountId: FEE_INCOME,
      amountFen: guaranteeFeeFen,
      code: 'guarantee_fee',
      refs,
    });
  // One linked set when it fits; otherwise chunks, still all-or-none through the one transaction.
  const all = [...posts, ...payouts];
  for (let i = 0; i < all.length; i += TRANSFER_BATCH_MAX)
    await transferLinked(trx, all.slice(i, i + TRANSFER_BATCH_MAX));

  // Schedules.
  assert(isRepaymentMethod(loan.method), `approveFullLoan: unknown method ${loan.method}`);
  const startDate = shanghaiDate(now.getTime());
  const common = { amountFen: loan.amount_fen, annualRate: annualRateFromPpm(loan.annual_rate_ppm), startDate };
  const scheduleInput: ScheduleInput =
    loan.method === 'daily'
      ? { ...common, method: 'daily', termDays: loan.term_days as number }
      : { ...common, method: loan.method, termMonths: loan.term_months as number };
  const schedule = computeSchedule(scheduleInput);
  const split = splitSchedule(
    schedule,
    bids.map((b) => b.amount_fen),
  );
  await trx
    .insertInto('repayment_schedules')
    .values(
      schedule.rows.map((r) => ({
        loan_id: loan.id,
        period: r.period,
        due_date: r.dueDate,
        principal_fen: r.principalFen,
        interest_fen: r.interestFen,
        payment_fen: r.paymentFen,
        remaining_principal_fen: r.remainingPrincipalFen,
      })),
    )
    .execute();
  const receipts = split.flatMap((s, i) => {
    const bid = bids[i] as (typeof bids)[number];
    return s.rows.map((r) => ({
      bid_id: bid.id,
      period: r.period,
      loan_id: loan.id,
      investor_id: bid.investor_id,
      due_date: r.dueDate,
      principal_fen: r.principalFen,
      interest_fen: r.interestFen,
      management_fee_fen: feeFen(r.interestFen, product.management_fee_ppm),
      payment_fen: r.paymentFen,
      remaining_principal_fen: r.remainingPrincipalFen,
    }));
  });
  for (let i = 0; i < receipts.length; i += SCHEDULE_INSERT_ROWS_MAX) {
    await trx
      .insertInto('receipt_schedules')
      .values(receipts.slice(i, i + SCHEDULE_INSERT_ROWS_MAX))
      .execute();
  }

  await trx
    .updateTable('bids')
    .set({ status: 'posted', updated_at: now })
    .where('loan_id', '=', loan.id)
    .where('status', '=', 'held')
    .execute();
  const moved = await trx
    .updateTable('loans')
    .set((eb) => ({
      status: 'repaying',
      second_reviewed_by: input.staffId,
      disbursed_at: now,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', loan.id)
    .where('status', '=', 'second_review')
    .executeTakeFirst();
  assert(moved.numUpdatedRows === 1n, 'approveFullLoan: status changed under the lock');
  await trx
    .insertInto('loan_events')
    .values({
      loan_id: loan.id,
      from_status: 'second_review',
      to_status: 'repaying',
      actor_kind: 'staff',
      actor_id: input.staffId,
      note: input.note?.trim() || 'disbursed',
    })
    .execute();
  return {
    loanId: loan.id,
    amountFen: loan.amount_fen,
    serviceFeeFen,
    guaranteeFeeFen,
    netFen,
    bids: bids.length,
    periods: schedule.rows.length,
    startDate,
  };
}
