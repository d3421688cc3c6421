import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { LoanStatus } from '../../db/schema.ts';
import { audit } from '../../platform/audit.ts';
import { registerApprovalKind, requestApproval } from '../backoffice/index.ts';
import { currentRiskLevel } from '../identity/risk/index.ts';
import { formatYuan } from '../money/index.ts';
import { findLoanWithProduct, type LoanRow } from './applications.service.ts';
import { recordLoanEvent } from './loan-status.ts';
import { LoanError } from './loans.errors.ts';
import { CREDIT_GRADES, type CreditGrade } from './products.ts';

export const PUBLISH_APPROVAL = 'loans.publish';
/** A scheduled publish may be set at most this far ahead. */
export const PUBLISH_AHEAD_DAYS_MAX = 30;
export const REVIEW_NOTE_CHARS_MAX = 500;
const DAY_MS = 86_400_000;

export type FirstReviewDecision =
  | {
      readonly decision: 'approve';
      readonly grade: string;
      readonly publishAt?: Date | undefined;
      readonly note?: string;
    }
  | { readonly decision: 'return'; readonly note: string }
  | { readonly decision: 'reject'; readonly note: string };

export interface FirstReviewResult {
  readonly status: LoanStatus;
  /** Set when publishing waits for a second person. */
  readonly approvalId: string | null;
}

interface PublishPayload {
  readonly loanId: string;
  readonly grade: CreditGrade;
  /** ISO instant, or null to publish at once. */
  readonly publishAt: string | null;
  readonly note: string | null;
}

/**
 * Publish an approved application: raising now (raise window from now) or scheduled for `publishAt`.
 * The loan must still be awaiting review; the update is conditional on that, so a second decision is a 409.
 */
async function publish(
  trx: Trx,
  payload: PublishPayload,
  reviewerId: string,
  request: FastifyRequest | undefined,
): Promise<LoanStatus> {
  const loan = await trx
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .select(['l.id', 'l.status', 'p.raise_days'])
    .where('l.id', '=', payload.loanId)
    .forUpdate('l')
    .executeTakeFirst();
  if (!loan) throw LoanError.LOAN_NOT_FOUND();
  if (loan.status !== 'submitted') throw LoanError.LOAN_NOT_AWAITING_REVIEW({ status: loan.status });
  const now = new Date();
  const publishAt = payload.publishAt ? new Date(payload.publishAt) : null;
  const scheduled = publishAt !== null && publishAt.getTime() > now.getTime();
  const to: LoanStatus = scheduled ? 'scheduled' : 'raising';
  await trx
    .updateTable('loans')
    .set({
      status: to,
      grade: payload.grade,
      review_note: payload.note,
      first_reviewed_by: reviewerId,
      publish_at: scheduled ? publishAt : now,
      raise_ends_at: scheduled ? null : new Date(now.getTime() + loan.raise_days * DAY_MS),
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', loan.id)
    .where('status', '=', 'submitted')
    .execute();
  await recordLoanEvent(trx, {
    loanId: loan.id,
    from: 'submitted',
    to,
    actor: { kind: 'staff', id: reviewerId },
    note: payload.note ?? `grade ${payload.grade}`,
  });
  await audit(trx, request, {
    action: scheduled ? 'loans.first_review_scheduled' : 'loans.first_review_published',
    actor: { kind: 'staff', id: reviewerId },
    targetKind: 'loan',
    targetId: loan.id,
    before: { status: 'submitted' },
    after: { status: to, grade: payload.grade, publishAt: payload.publishAt },
  });
  return to;
}

registerApprovalKind<PublishPayload>(PUBLISH_APPROVAL, {
  name: { zh: '发布借款标（超限额）', en: 'Publish a loan above the limit' },
  permission: 'loans.review',
  apply: async (trx, payload, ctx) => {
    await publish(trx, payload, ctx.checkerId, ctx.request);
  },
});

async function pendingPublishApproval(trx: Trx, loanId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('approval_requests')
    .select('id')
    .where('kind', '=', PUBLISH_APPROVAL)
    .where('target_kind', '=', 'loan')
    .where('target_id', '=', loanId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.id;
}

/**
 * 初审: approve (grade; publish now or at a set time; two-person above the product's limit),
 * return for more documents, or reject with a reason. Each change is a loan event and an audit entry.
 */
export async function decideFirstReview(
  trx: Trx,
  reviewerId: string,
  loanId: string,
  input: FirstReviewDecision,
  request?: FastifyRequest,
): Promise<FirstReviewResult> {
  const loan = await trx
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .select(['l.id', 'l.status', 'l.amount_fen', 'p.publish_two_person_above_fen'])
    .where('l.id', '=', loanId)
    .forUpdate('l')
    .executeTakeFirst();
  if (!loan) throw LoanError.LOAN_NOT_FOUND();
  if (loan.status !== 'submitted') throw LoanError.LOAN_NOT_AWAITING_REVIEW({ status: loan.status });
  const pending = await pendingPublishApproval(trx, loanId);
  if (pending) throw LoanError.PUBLISH_APPROVAL_PENDING({ approvalId: pending });
  const note = input.note?.trim() || null;

  if (input.decision === 'approve') {
    if (!(CREDIT_GRADES as readonly string[]).includes(input.grade)) throw LoanError.GRADE_REQUIRED({ field: 'grade' });
    const now = Date.now();
    if (input.publishAt && input.publishAt.getTime() > now + PUBLISH_AHEAD_DAYS_MAX * DAY_MS)
      throw LoanError.PUBLISH_AT_INVALID({ field: 'publishAt', maxDays: PUBLISH_AHEAD_DAYS_MAX });
    const payload: PublishPayload = {
      loanId,
      grade: input.grade as CreditGrade,
      publishAt: input.publishAt && input.publishAt.getTime() > now ? input.publishAt.toISOString() : null,
      note,
    };
    const limit = loan.publish_two_person_above_fen;
    if (limit !== null && loan.amount_fen > limit) {
      const approval = await requestApproval(
        trx,
        {
          kind: PUBLISH_APPROVAL,
          payload,
          note: note ?? `发布借款 ${formatYuan(loan.amount_fen)} 元，评级 ${payload.grade}`,
          makerId: reviewerId,
          target: { kind: 'loan', id: loanId },
        },
        request,
      );
      return { status: 'submitted', approvalId: approval.id };
    }
    return { status: await publish(trx, payload, reviewerId, request), approvalId: null };
  }

  if (!note) throw LoanError.NOTE_REQUIRED({ field: 'note' });
  const to: LoanStatus = input.decision === 'return' ? 'returned' : 'rejected';
  const now = new Date();
  await trx
    .updateTable('loans')
    .set({
      status: to,
      review_note: note,
      first_reviewed_by: reviewerId,
      closed_at: to === 'rejected' ? now : null,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', loanId)
    .where('status', '=', 'submitted')
    .execute();
  await recordLoanEvent(trx, { loanId, from: 'submitted', to, actor: { kind: 'staff', id: reviewerId }, note });
  await audit(trx, request, {
    action: to === 'returned' ? 'loans.first_review_returned' : 'loans.first_review_rejected',
    targetKind: 'loan',
    targetId: loanId,
    before: { status: 'submitted' },
    after: { status: to, note },
  });
  return { status: to, approvalId: null };
}

/** Scheduled loans whose time has come start raising (a job; idempotent; bounded per run). */
export const PUBLISH_BATCH_MAX = 100;
export async function publishDueLoans(db: Db, now = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('loans as l')
      .innerJoin('loan_products as p', 'p.id', 'l.product_id')
      .select(['l.id', 'l.publish_at', 'p.raise_days'])
      .where('l.status', '=', 'scheduled')
      .where('l.publish_at', '<=', now)
      .orderBy('l.publish_at')
      .limit(PUBLISH_BATCH_MAX)
      .forUpdate('l')
      .skipLocked()
      .execute();
    for (const loan of due) {
      await trx
        .updateTable('loans')
        .set({ status: 'raising', raise_ends_at: new Date(now.getTime() + loan.raise_days * DAY_MS), updated_at: now })
        .where('id', '=', loan.id)
        .where('status', '=', 'scheduled')
        .execute();
      await recordLoanEvent(trx, {
        loanId: loan.id,
        from: 'scheduled',
        to: 'raising',
        actor: { kind: 'system', id: null },
      });
    }
    return due.length;
  });
}

/** What staff see to decide: the application, its borrower and their record on the platform. */
export async function reviewDetail(db: Db, loanId: string) {
  const loan = await findLoanWithProduct(db, loanId);
  if (!loan) throw LoanError.LOAN_NOT_FOUND();
  const [user, realName, company, documents, history, riskLevel, approval] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'phone_masked', 'kind', 'status', 'created_at'])
      .where('id', '=', loan.borrower_id)
      .executeTakeFirst(),
    db
      .selectFrom('customer_real_names')
      .select(['name_masked', 'id_number_masked', 'verified_at'])
      .where('user_id', '=', loan.borrower_id)
      .executeTakeFirst(),
    db
      .selectFrom('companies')
      .select(['name', 'credit_code', 'industry'])
      .where('user_id', '=', loan.borrower_id)
      .executeTakeFirst(),
    loan.document_ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('documents')
          .select(['id', 'kind', 'status', 'content_type', 'size_bytes', 'created_at'])
          .where('id', 'in', loan.document_ids)
          .where('user_id', '=', loan.borrower_id)
          .execute(),
    db
      .selectFrom('loans')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.sum<string>('amount_fen').as('sum')])
      .where('borrower_id', '=', loan.borrower_id)
      .where('id', '<>', loan.id)
      .groupBy('status')
      .execute(),
    currentRiskLevel(db, loan.borrower_id),
    db
      .selectFrom('approval_requests')
      .select('id')
      .where('kind', '=', PUBLISH_APPROVAL)
      .where('target_kind', '=', 'loan')
      .where('target_id', '=', loan.id)
      .where('status', '=', 'pending')
      .executeTakeFirst(),
  ]);
  return { loan, user, realName, company, documents, history, riskLevel, pendingApprovalId: approval?.id ?? null };
}

export type { LoanRow };

/** The first-review queue (default: submitted, oldest first) or any status, for staff. */
export async function listApplicationsForReview(
  db: Db,
  filter: { status: LoanStatus; productId?: string | undefined; limit: number; offset: number },
) {
  let q = db
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .leftJoin('customer_real_names as r', 'r.user_id', 'l.borrower_id')
    .innerJoin('users as u', 'u.id', 'l.borrower_id')
    .selectAll('l')
    .select([
      'p.name_zh as product_name_zh',
      'p.name_en as product_name_en',
      'p.loan_type',
      'r.name_masked as borrower_name_masked',
      'u.phone_masked as borrower_phone_masked',
    ])
    .where('l.status', '=', filter.status);
  if (filter.productId) q = q.where('l.product_id', '=', filter.productId);
  const oldestFirst = filter.status === 'submitted';
  return q
    .orderBy('l.updated_at', oldestFirst ? 'asc' : 'desc')
    .orderBy('l.id', oldestFirst ? 'asc' : 'desc')
    .limit(filter.limit + 1)
    .offset(filter.offset)
    .execute();
}
