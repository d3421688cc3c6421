import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { inTransaction } from '../../platform/transactions.ts';
import { requestApproval } from '../backoffice/index.ts';
import { annualRateFromPpm, formatAnnualRate } from '../money/index.ts';
import { BiddingError } from './bidding.errors.ts';
import { approveFullLoan } from './disbursement.service.ts';
import {
  CANCEL_REASON_CHARS_MAX,
  cancelRaisingLoan,
  FAILED_RAISE_INTERVAL_MS,
  failExpiredLoans,
  rejectFullLoan,
} from './raise.service.ts';
import { SECOND_REVIEW_APPROVAL } from './second-review-approval.ts';

const FULL_LOANS_PAGE_MAX = 100;

const FullLoan = Type.Object({
  id: Type.String(),
  loanNo: Type.String(),
  title: Type.String(),
  borrowerId: Type.String(),
  amountFen: FenSchema,
  raisedFen: FenSchema,
  bidCount: Type.Integer(),
  annualRate: Type.String(),
  method: Type.String(),
  termMonths: Type.Union([Type.Integer(), Type.Null()]),
  termDays: Type.Union([Type.Integer(), Type.Null()]),
  grade: Type.Union([Type.String(), Type.Null()]),
  fullAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  serviceFeePpm: Type.Integer(),
  guaranteeFeePpm: Type.Integer(),
});

const Decision = Type.Object({
  loanId: Type.String(),
  status: Type.String(),
  serviceFeeFen: Type.Optional(FenSchema),
  guaranteeFeeFen: Type.Optional(FenSchema),
  netFen: Type.Optional(FenSchema),
  periods: Type.Optional(Type.Integer()),
  releasedBids: Type.Optional(Type.Integer()),
  approvalId: Type.Optional(Type.String()),
});

/** Second review (复审) and disbursement, cancelling a raising loan (撤标), for staff. */
export const disbursementAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['back office: loans'];

  app.get(
    '/api/v1/admin/loans/second-review',
    {
      config: { permission: 'loans.second_review' },
      schema: {
        operationId: 'listFullLoans',
        summary: 'Full loans waiting for second review, oldest first',
        tags,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: FULL_LOANS_PAGE_MAX, default: 20 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(FullLoan), nextCursor: Type.Null() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const rows = await app.db
        .selectFrom('loans as l')
        .innerJoin('loan_products as p', 'p.id', 'l.product_id')
        .select([
          'l.id',
          'l.loan_no',
          'l.title',
          'l.borrower_id',
          'l.amount_fen',
          'l.raised_fen',
          'l.bid_count',
          'l.annual_rate_ppm',
          'l.method',
          'l.term_months',
          'l.term_days',
          'l.grade',
          'l.full_at',
          'p.service_fee_ppm',
          'p.guarantee_fee_ppm',
        ])
        .where('l.status', '=', 'second_review')
        .orderBy('l.full_at')
        .limit(request.query.limit ?? 20)
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          loanNo: r.loan_no,
          title: r.title,
          borrowerId: r.borrower_id,
          amountFen: r.amount_fen,
          raisedFen: r.raised_fen,
          bidCount: r.bid_count,
          annualRate: formatAnnualRate(annualRateFromPpm(r.annual_rate_ppm)),
          method: r.method,
          termMonths: r.term_months,
          termDays: r.term_days,
          grade: r.grade,
          fullAt: r.full_at?.toISOString() ?? null,
          serviceFeePpm: Number(r.service_fee_ppm),
          guaranteeFeePpm: Number(r.guarantee_fee_ppm),
        })),
        nextCursor: null,
      };
    },
  );

  app.post(
    '/api/v1/admin/loans/:loanId/second-review',
    {
      config: { permission: 'loans.second_review' },
      schema: {
        operationId: 'secondReviewLoan',
        summary:
          'Approve a full loan (disburse: holds posted, borrower paid less fees, schedules created) or reject it (holds released)',
        description: 'Errors: LOAN_NOT_FOUND (404), LOAN_NOT_IN_SECOND_REVIEW (422), REASON_REQUIRED (400, on reject).',
        tags,
        params: Type.Object({ loanId: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          {
            decision: Type.String({ enum: ['approve', 'reject'] }),
            reason: Type.Optional(Type.String({ maxLength: CANCEL_REASON_CHARS_MAX })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Decision, 202: Decision, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { loanId } = request.params;
      const staffId = request.staff!.id;
      const reason = request.body.reason ?? '';
      if (request.body.decision === 'approve') {
        // Above the product's two-person limit, approving asks a second staff member (maker-checker).
        const pending = await inTransaction(app.db, async (trx) => {
          const row = await trx
            .selectFrom('loans as l')
            .innerJoin('loan_products as p', 'p.id', 'l.product_id')
            .select(['l.amount_fen', 'l.status', 'p.publish_two_person_above_fen'])
            .where('l.id', '=', loanId)
            .executeTakeFirst();
          if (!row) throw BiddingError.LOAN_NOT_FOUND();
          const limit = row.publish_two_person_above_fen;
          if (row.status !== 'second_review' || limit === null || row.amount_fen <= limit) return undefined;
          return requestApproval(
            trx,
            {
              kind: SECOND_REVIEW_APPROVAL,
              payload: { loanId },
              note: reason.trim() || '满标复审，金额超过双人复核限额',
              makerId: staffId,
              target: { kind: 'loan', id: loanId },
            },
            request,
          );
        });
        if (pending) return reply.code(202).send({ loanId, status: 'pending_approval', approvalId: pending.id });
        const d = await inTransaction(app.db, async (trx) => {
          const done = await approveFullLoan(trx, { loanId, staffId, note: reason });
          await audit(trx, request, {
            action: 'loan.second_review.approve',
            targetKind: 'loan',
            targetId: loanId,
            after: done,
          });
          return done;
        });
        return {
          loanId,
          status: 'repaying',
          serviceFeeFen: d.serviceFeeFen,
          guaranteeFeeFen: d.guaranteeFeeFen,
          netFen: d.netFen,
          periods: d.periods,
        };
      }
      if (!reason.trim()) throw BiddingError.REASON_REQUIRED({ field: 'reason' });
      const r = await inTransaction(app.db, async (trx) => {
        const done = await rejectFullLoan(trx, { loanId, staffId, reason });
        await audit(trx, request, {
          action: 'loan.second_review.reject',
          targetKind: 'loan',
          targetId: loanId,
          detail: { reason },
        });
        return done;
      });
      return { loanId, status: 'cancelled', releasedBids: r.releasedBids };
    },
  );

  app.post(
    '/api/v1/admin/loans/:loanId/cancellation',
    {
      config: { permission: 'loans.cancel' },
      schema: {
        operationId: 'cancelRaisingLoan',
        summary: 'Cancel a raising loan (撤标) with a reason: every bid hold is released',
        description: 'Errors: LOAN_NOT_FOUND (404), LOAN_NOT_RAISING (422), REASON_REQUIRED (400).',
        tags,
        params: Type.Object({ loanId: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          { reason: Type.String({ maxLength: CANCEL_REASON_CHARS_MAX }) },
          { additionalProperties: false },
        ),
        response: { 200: Decision, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { loanId } = request.params;
      if (!request.body.reason.trim()) throw BiddingError.REASON_REQUIRED({ field: 'reason' });
      const r = await inTransaction(app.db, async (trx) => {
        const done = await cancelRaisingLoan(trx, { loanId, staffId: request.staff!.id, reason: request.body.reason });
        await audit(trx, request, {
          action: 'loan.cancel',
          targetKind: 'loan',
          targetId: loanId,
          detail: { reason: request.body.reason },
        });
        return done;
      });
      return { loanId, status: 'cancelled', releasedBids: r.releasedBids };
    },
  );
};

/** Start the failed-raise sweep (流标) on an interval; returns a stop function (server.ts calls it on close). */
export function startFailedRaiseSweep(app: FastifyInstance, intervalMs = FAILED_RAISE_INTERVAL_MS): () => void {
  const timer = setInterval(() => {
    failExpiredLoans(app.db).then(
      (ids) => ids.length && app.log.info({ loanIds: ids }, 'raise windows ended unfilled: loans failed'),
      (error: unknown) => app.log.error({ err: error }, 'failed-raise sweep failed'),
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
