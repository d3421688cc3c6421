import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { loanEvents, schedulePreview } from './applications.service.ts';
import { LOAN_STATUSES } from './loan-status.ts';
import { LoanError } from './loans.errors.ts';
import {
  ApplicationSchema,
  applicationView,
  decodeOffsetCursor,
  EventSchema,
  eventView,
  LIST_LIMIT_DEFAULT,
  Nullable,
  offsetPage,
  PageQuery,
  ScheduleSchema,
  scheduleJson,
} from './loans.routes-shared.ts';
import { CREDIT_GRADES } from './products.ts';
import {
  decideFirstReview,
  type FirstReviewDecision,
  listApplicationsForReview,
  REVIEW_NOTE_CHARS_MAX,
  reviewDetail,
} from './review.service.ts';

const tags = ['back office: loans'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const QueueItem = Type.Intersect([
  ApplicationSchema,
  Type.Object({ borrowerId: Type.String(), borrowerName: Nullable(Type.String()), borrowerPhone: Type.String() }),
]);

const ReviewDetail = Type.Object({
  application: ApplicationSchema,
  borrower: Type.Object({
    id: Type.String(),
    kind: Type.String(),
    status: Type.String(),
    phoneMasked: Type.String(),
    nameMasked: Nullable(Type.String()),
    idNumberMasked: Nullable(Type.String()),
    riskLevel: Nullable(Type.String()),
    company: Nullable(Type.Object({ name: Type.String(), creditCode: Type.String(), industry: Type.String() })),
    registeredAt: Type.String(),
  }),
  documents: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      status: Type.String(),
      contentType: Type.String(),
      sizeBytes: Type.Integer(),
      createdAt: Type.String(),
    }),
  ),
  history: Type.Array(Type.Object({ status: Type.String(), count: Type.Integer(), amountFen: FenSchema })),
  events: Type.Array(EventSchema),
  schedule: ScheduleSchema,
  pendingApprovalId: Nullable(Type.String()),
});

const DecisionBody = Type.Object(
  {
    decision: Type.String({ enum: ['approve', 'return', 'reject'] }),
    grade: Type.Optional(Type.String({ enum: [...CREDIT_GRADES] })),
    publishAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'Publish later (定时发布); default now' }),
    ),
    note: Type.Optional(Type.String({ maxLength: REVIEW_NOTE_CHARS_MAX })),
  },
  { additionalProperties: false },
);

/** 初审: the queue, one application with its borrower, and the decision. */
export const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/loan-applications',
    {
      config: { permission: 'loans.review' },
      schema: {
        operationId: 'listLoanApplicationsForReview',
        summary: 'Loan applications by status (default: awaiting first review, oldest first)',
        tags,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.String({ enum: [...LOAN_STATUSES] })),
            productId: Type.Optional(Type.String({ maxLength: 64 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(QueueItem), nextCursor: Nullable(Type.String()) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIST_LIMIT_DEFAULT;
      const offset = decodeOffsetCursor(request.query.cursor);
      const rows = await listApplicationsForReview(app.db, {
        status: (request.query.status ?? 'submitted') as (typeof LOAN_STATUSES)[number],
        productId: request.query.productId,
        limit,
        offset,
      });
      const page = offsetPage(rows, limit, offset);
      return {
        items: page.items.map((r) => ({
          ...applicationView(r),
          borrowerId: r.borrower_id,
          borrowerName: r.borrower_name_masked,
          borrowerPhone: r.borrower_phone_masked,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/admin/loan-applications/:id',
    {
      config: { permission: 'loans.review' },
      schema: {
        operationId: 'getLoanApplicationForReview',
        summary: 'An application with its borrower, documents, platform history and schedule',
        tags,
        params: IdParams,
        response: { 200: ReviewDetail, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const d = await reviewDetail(app.db, request.params.id);
      if (!d.user) throw LoanError.LOAN_NOT_FOUND();
      return {
        application: applicationView(d.loan),
        borrower: {
          id: d.user.id,
          kind: d.user.kind,
          status: d.user.status,
          phoneMasked: d.user.phone_masked,
          nameMasked: d.realName?.name_masked ?? null,
          idNumberMasked: d.realName?.id_number_masked ?? null,
          riskLevel: d.riskLevel,
          company: d.company
            ? { name: d.company.name, creditCode: d.company.credit_code, industry: d.company.industry }
            : null,
          registeredAt: d.user.created_at.toISOString(),
        },
        documents: d.documents.map((x) => ({
          id: x.id,
          kind: x.kind,
          status: x.status,
          contentType: x.content_type,
          sizeBytes: x.size_bytes,
          createdAt: x.created_at.toISOString(),
        })),
        history: d.history.map((h) => ({ status: h.status, count: Number(h.n), amountFen: BigInt(h.sum ?? '0') })),
        events: (await loanEvents(app.db, d.loan.id)).map(eventView),
        schedule: scheduleJson(schedulePreview(d.loan)),
        pendingApprovalId: d.pendingApprovalId,
      };
    },
  );

  app.post(
    '/api/v1/admin/loan-applications/:id/first-review',
    {
      config: { permission: 'loans.review' },
      schema: {
        operationId: 'decideFirstReview',
        summary: 'First review (初审): approve and publish, return for documents, or reject',
        description:
          'approve needs `grade` (A–E) and may set `publishAt`; above the product’s two-person limit it creates ' +
          'an approval request (answer has approvalId, status stays submitted). return/reject need `note`. ' +
          'Errors: GRADE_REQUIRED, NOTE_REQUIRED, PUBLISH_AT_INVALID (400), LOAN_NOT_FOUND (404), ' +
          'LOAN_NOT_AWAITING_REVIEW, PUBLISH_APPROVAL_PENDING (409).',
        tags,
        params: IdParams,
        body: DecisionBody,
        response: {
          200: Type.Object({ status: Type.String(), approvalId: Nullable(Type.String()) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const b = request.body;
      const decision: FirstReviewDecision =
        b.decision === 'approve'
          ? {
              decision: 'approve',
              grade: b.grade ?? '',
              publishAt: b.publishAt ? new Date(b.publishAt) : undefined,
              ...(b.note ? { note: b.note } : {}),
            }
          : { decision: b.decision as 'return' | 'reject', note: b.note ?? '' };
      if (decision.decision === 'approve' && decision.publishAt && Number.isNaN(decision.publishAt.getTime()))
        throw LoanError.PUBLISH_AT_INVALID({ field: 'publishAt', maxDays: 30 });
      return app.db
        .transaction()
        .execute((trx) => decideFirstReview(trx, request.staff!.id, request.params.id, decision, request));
    },
  );
};
