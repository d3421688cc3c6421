import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { CALCULATOR_AMOUNT_FEN_MAX, REPAYMENT_METHODS } from '../servicing/schedule/index.ts';
import {
  APPLICATION_DOCUMENTS_MAX,
  applyForLoan,
  findLoanWithProduct,
  listMyApplications,
  loanEvents,
  PURPOSE_CHARS_MAX,
  resubmitApplication,
  schedulePreview,
  TITLE_CHARS_MAX,
} from './applications.service.ts';
import { LoanError } from './loans.errors.ts';
import {
  ApplicationSchema,
  applicationView,
  decodeOffsetCursor,
  EventSchema,
  eventView,
  LIST_LIMIT_DEFAULT,
  offsetPage,
  PageQuery,
  ScheduleSchema,
  scheduleJson,
} from './loans.routes-shared.ts';

const tags = ['loans'];
const Terms = {
  amountFen: Type.Integer({ minimum: 1, maximum: Number(CALCULATOR_AMOUNT_FEN_MAX), description: 'Amount in fen' }),
  termMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 360 })),
  termDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  annualRate: Type.String({ maxLength: 16, description: 'Annual rate, decimal string ("0.1200")' }),
  method: Type.String({ enum: [...REPAYMENT_METHODS] }),
  title: Type.Optional(Type.String({ maxLength: TITLE_CHARS_MAX })),
  purpose: Type.String({ minLength: 2, maxLength: PURPOSE_CHARS_MAX }),
  documentIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: APPLICATION_DOCUMENTS_MAX }),
};
const ApplyBody = Type.Object(
  { productId: Type.String({ minLength: 1, maxLength: 64 }), ...Terms },
  { additionalProperties: false },
);
const ResubmitBody = Type.Object(Terms, { additionalProperties: false });
const Detail = Type.Object({
  application: ApplicationSchema,
  events: Type.Array(EventSchema),
  schedule: ScheduleSchema,
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ERRORS =
  'Errors: VALIDATION_FAILED, AMOUNT_OUT_OF_RANGE, TERM_OUT_OF_RANGE, TERM_UNIT_MISMATCH, RATE_OUT_OF_RANGE, ' +
  'INVALID_RATE, METHOD_NOT_ALLOWED, TERM_NOT_WHOLE_QUARTERS, DOCUMENT_NOT_FOUND, DOCUMENT_REJECTED (400); ' +
  'PRODUCT_NOT_FOUND (404 as field error 400); REAL_NAME_REQUIRED, COMPANY_REQUIRED, PRODUCT_DISABLED, ' +
  'TOO_MANY_OPEN_APPLICATIONS (422).';

async function detail(app: Parameters<FastifyPluginAsyncTypebox>[0], userId: string, id: string) {
  const loan = await findLoanWithProduct(app.db, id);
  if (!loan || loan.borrower_id !== userId) throw LoanError.APPLICATION_NOT_FOUND();
  return {
    application: applicationView(loan),
    events: (await loanEvents(app.db, id)).map(eventView),
    schedule: scheduleJson(schedulePreview(loan)),
  };
}

/** 借款申请: a borrower's applications. */
export const applicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/me/loan-applications',
    {
      schema: {
        operationId: 'applyForLoan',
        summary: 'Apply for a loan under a product (real-name verified borrowers)',
        description: ERRORS,
        tags,
        body: ApplyBody,
        response: { 201: Detail, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const userId = request.customer!.id;
      const loan = await app.db
        .transaction()
        .execute((trx) =>
          applyForLoan(trx, userId, { ...request.body, amountFen: BigInt(request.body.amountFen) }, request),
        );
      return reply.code(201).send(await detail(app, userId, loan.id));
    },
  );

  app.get(
    '/api/v1/me/loan-applications',
    {
      schema: {
        operationId: 'listMyLoanApplications',
        summary: 'My loan applications and loans, newest first',
        tags,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(ApplicationSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? LIST_LIMIT_DEFAULT;
      const offset = decodeOffsetCursor(request.query.cursor);
      const rows = await listMyApplications(app.db, request.customer!.id, { limit, offset });
      const page = offsetPage(rows, limit, offset);
      return { items: page.items.map(applicationView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/me/loan-applications/:id',
    {
      schema: {
        operationId: 'getMyLoanApplication',
        summary: 'One of my applications: status history and schedule preview',
        tags,
        params: IdParams,
        response: { 200: Detail, ...errorResponses(401, 404) },
      },
    },
    async (request) => detail(app, request.customer!.id, request.params.id),
  );

  app.put(
    '/api/v1/me/loan-applications/:id',
    {
      schema: {
        operationId: 'resubmitLoanApplication',
        summary: 'Resubmit an application returned for more documents (补充资料后重新提交)',
        description: `${ERRORS} APPLICATION_NOT_RETURNED (409).`,
        tags,
        params: IdParams,
        body: ResubmitBody,
        response: { 200: Detail, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const userId = request.customer!.id;
      await app.db
        .transaction()
        .execute((trx) =>
          resubmitApplication(
            trx,
            userId,
            request.params.id,
            { ...request.body, amountFen: BigInt(request.body.amountFen) },
            request,
          ),
        );
      return detail(app, userId, request.params.id);
    },
  );
};
