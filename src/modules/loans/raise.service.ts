import type { Db, Trx } from '../../db/database.ts';
import type { LoanStatus } from '../../db/schema.ts';
import { assert } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transactions.ts';
import { TRANSFER_BATCH_MAX, type TransferCommand, transferLinked } from '../ledger/index.ts';
import { formatYuan } from '../money/index.ts';
import { sendMemberMessage } from '../notify/index.ts';
import { BiddingError } from './bidding.errors.ts';

/** Loans moved to failed per sweep (the next sweep takes the rest). */
export const FAILED_RAISE_SWEEP_MAX = 100;
/** How often the app checks for raise windows that ended unfilled. */
export const FAILED_RAISE_INTERVAL_MS = 60_000;
export const CANCEL_REASON_CHARS_MAX = 200;

/**
 * Release every held bid of a loan (流标/撤标/复审驳回): each hold is voided with an id derived from its bid,
 * so a repeat changes nothing. The caller holds the loan's row lock.
 */
export async function voidLoanBids(trx: Trx, loanId: string, now: Date): Promise<number> {
  const bids = await trx
    .selectFrom('bids')
    .select(['id', 'amount_fen', 'from_bonus_fen'])
    .where('loan_id', '=', loanId)
    .where('status', '=', 'held')
    .orderBy('id')
    .execute();
  const commands: TransferCommand[] = [];
  for (const b of bids) {
    const refs = { loanId, bidId: b.id };
    if (b.amount_fen > b.from_bonus_fen)
      commands.push({ kind: 'void_pending', id: `bid:${b.id}:void`, pendingId: `bid:${b.id}:hold`, refs });
    if (b.from_bonus_fen > 0n)
      commands.push({ kind: 'void_pending', id: `bid:${b.id}:void-bonus`, pendingId: `bid:${b.id}:hold-bonus`, refs });
  }
  for (let i = 0; i < commands.length; i += TRANSFER_BATCH_MAX) {
    await transferLinked(trx, commands.slice(i, i + TRANSFER_BATCH_MAX));
  }
  if (bids.length > 0) {
    await trx
      .updateTable('bids')
      .set({ status: 'voided', updated_at: now })
      .where('loan_id', '=', loanId)
      .where('status', '=', 'held')
      .execute();
  }
  return bids.length;
}

/** Tell each investor of a loan (one message each) that their bid was released. */
async function tellInvestors(trx: Trx, loanId: string, why: { zh: string }): Promise<void> {
  const rows = await trx
    .selectFrom('bids as b')
    .innerJoin('loans as l', 'l.id', 'b.loan_id')
    .select(['b.investor_id', 'l.loan_no', 'l.title'])
    .select((eb) => eb.fn.sum<string>('b.amount_fen').as('total'))
    .where('b.loan_id', '=', loanId)
    .groupBy(['b.investor_id', 'l.loan_no', 'l.title'])
    .execute();
  for (const r of rows) {
    await sendMemberMessage(trx, {
      userId: r.investor_id,
      title: `借款 ${r.loan_no} ${why.zh}`,
      body: `您在借款「${r.title}」（${r.loan_no}）的投标 ${formatYuan(BigInt(r.total))} 元已解冻，资金已退回可用余额。`,
      senderStaffId: null,
    });
  }
}

async function lockLoan(trx: Trx, loanId: string) {
  return trx
    .selectFrom('loans')
    .select(['id', 'status', 'raise_ends_at'])
    .where('id', '=', loanId)
    .forUpdate()
    .executeTakeFirst();
}

async function moveLoan(
  trx: Trx,
  loanId: string,
  from: LoanStatus,
  to: LoanStatus,
  actor: { kind: 'staff' | 'system'; id: string | null },
  note: string | null,
  now: Date,
) {
  const updated = await trx
    .updateTable('loans')
    .set((eb) => ({ status: to, closed_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', loanId)
    .where('status', '=', from)
    .executeTakeFirst();
  assert(updated.numUpdatedRows === 1n, `moveLoan: ${loanId} is not ${from}`);
  await trx
    .insertInto('loan_events')
    .values({ loan_id: loanId, from_status: from, to_status: to, actor_kind: actor.kind, actor_id: actor.id, note })
    .execute();
}

/** A raising loan whose window ended unfilled becomes failed (流标) and every hold is released. Idempotent. */
export async function failLoanIfExpired(trx: Trx, loanId: string, now: Date = new Date()): Promise<boolean> {
  const loan = await lockLoan(trx, loanId);
  if (!loan || loan.status !== 'raising' || !loan.raise_ends_at || loan.raise_ends_at > now) return false;
  await voidLoanBids(trx, loanId, now);
  await moveLoan(trx, loanId, 'raising', 'failed', { kind: 'system', id: null }, 'raise window ended', now);
  await tellInvestors(trx, loanId, { zh: '流标' });
  return true;
}

/** The sweep the app runs every FAILED_RAISE_INTERVAL_MS: each expired loan in its own transaction. */
export async function failExpiredLoans(db: Db, now: Date = new Date()): Promise<string[]> {
  const due = await db
    .selectFrom('loans')
    .select('id')
    .where('status', '=', 'raising')
    .where('raise_ends_at', '<=', now)
    .orderBy('raise_ends_at')
    .limit(FAILED_RAISE_SWEEP_MAX)
    .execute();
  const failed: string[] = [];
  for (const { id } of due) {
    if (await inTransaction(db, (trx) => failLoanIfExpired(trx, id, now))) failed.push(id);
  }
  return failed;
}

/** Staff cancel (撤标) a raising loan with a reason; every hold is released. */
export async function cancelRaisingLoan(
  trx: Trx,
  input: { loanId: string; staffId: string; reason: string },
  now: Date = new Date(),
): Promise<{ releasedBids: number }> {
  const reason = input.reason.trim();
  if (!reason) throw BiddingError.REASON_REQUIRED({ field: 'reason' });
  const loan = await lockLoan(trx, input.loanId);
  if (!loan) throw BiddingError.LOAN_NOT_FOUND();
  if (loan.status !== 'raising') throw BiddingError.LOAN_NOT_RAISING({ status: loan.status });
  const releasedBids = await voidLoanBids(trx, input.loanId, now);
  await moveLoan(trx, input.loanId, 'raising', 'cancelled', { kind: 'staff', id: input.staffId }, reason, now);
  await tellInvestors(trx, input.loanId, { zh: '已撤标' });
  return { releasedBids };
}

/** Staff reject a full loan at second review: every hold released, the loan cancelled. */
export async function rejectFullLoan(
  trx: Trx,
  input: { loanId: string; staffId: string; reason: string },
  now: Date = new Date(),
): Promise<{ releasedBids: number }> {
  const reason = input.reason.trim();
  if (!reason) throw BiddingError.REASON_REQUIRED({ field: 'reason' });
  const loan = await lockLoan(trx, input.loanId);
  if (!loan) throw BiddingError.LOAN_NOT_FOUND();
  if (loan.status !== 'second_review') throw BiddingError.LOAN_NOT_IN_SECOND_REVIEW({ status: loan.status });
  const releasedBids = await voidLoanBids(trx, input.loanId, now);
  await moveLoan(trx, input.loanId, 'second_review', 'cancelled', { kind: 'staff', id: input.staffId }, reason, now);
  await trx.updateTable('loans').set({ second_reviewed_by: input.staffId }).where('id', '=', input.loanId).execute();
  await tellInvestors(trx, input.loanId, { zh: '复审未通过' });
  return { releasedBids };
}
