import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { parseAnnualRate } from '../money/index.ts';
import { REPAYMENT_METHODS } from '../servicing/schedule/index.ts';
import { schedulePreview } from './applications.service.ts';
import {
  documentSummary,
  findHallLoan,
  HALL_SORTS,
  type HallRow,
  type HallSort,
  listHallLoans,
  loanBidRecords,
  maskedBorrower,
} from './hall.service.ts';
import { HALL_STATUSES, type HallStatus } from './loan-status.ts';
import { LoanError } from './loans.errors.ts';
import {
  decodeOffsetCursor,
  LIST_LIMIT_DEFAULT,
  Nullable,
  NullableFen,
  offsetPage,
  PageQuery,
  ScheduleSchema,
  scheduleJson,
} from './loans.routes-shared.ts';
import { CREDIT_GRADES, LOAN_TYPES, rateText } from './products.ts';

const tags = ['loans'];
const RATE = { pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,6})?$', maxLength: 16 } as const;

const HallLoan = Type.Object({
  id: Type.String(),
  loanNo: Type.String(),
  title: Type.String(),
  productNameZh: Type.String(),
  productNameEn: Type.String(),
  loanType: Type.String(),
  borrower: Type.String({ description: 'Masked: 张** / 杭州**** / 139****0000' }),
  amountFen: FenSchema,
  raisedFen: FenSchema,
  remainingFen: FenSchema,
  progressBps: Type.Integer({ description: 'raised / amount in basis points, rounded down (10000 = full)' }),
  annualRate: Type.String(),
  method: Type.String(),
  termMonths: Nullable(Type.Integer()),
  termDays: Nullable(Type.Integer()),
  grade: Nullable(Type.String()),
  status: Type.String(),
  bidCount: Type.Integer(),
  bidMinFen: FenSchema,
  bidStepFen: FenSchema,
  bidMaxPerInvestorFen: NullableFen,
  publishedAt: Nullable(Type.String()),
  raiseEndsAt: Nullable(Type.String()),
  secondsLeft: Nullable(
    Type.Integer({ description: 'Until the raise window ends; 0 when over; null when not raising' }),
  ),
});

const LoanDetail = Type.Intersect([
  HallLoan,
  Type.Object({
    purpose: Type.String(),
    managementFeeRate: Type.String(),
    riskLevels: Type.Array(Type.String()),
    allowBonus: Type.Boolean(),
    fullAt: Nullable(Type.String()),
    documents: Type.Array(Type.Object({ kind: Type.String(), count: Type.Integer(), approved: Type.Integer() })),
    schedule: ScheduleSchema,
    bids: Type.Array(
      Type.Object({
        investor: Type.String(),
        amountFen: FenSchema,
        source: Type.String(),
        at: Type.String(),
      }),
    ),
    bidTotal: Type.Integer(),
  }),
]);

function hallView(r: HallRow, nowMs: number) {
  const remaining = r.amount_fen - r.raised_fen;
  return {
    id: r.id,
    loanNo: r.loan_no,
    title: r.title,
    productNameZh: r.product_name_zh,
    productNameEn: r.product_name_en,
    loanType: r.loan_type,
    borrower: maskedBorrower(r),
    amountFen: r.amount_fen,
    raisedFen: r.raised_fen,
    remainingFen: remaining,
    progressBps: Number((r.raised_fen * 10_000n) / r.amount_fen),
    annualRate: rateText(r.annual_rate_ppm),
    method: r.method,
    termMonths: r.term_months,
    termDays: r.term_days,
    grade: r.grade,
    status: r.status,
    bidCount: r.bid_count,
    bidMinFen: r.bid_min_fen,
    bidStepFen: r.bid_step_fen,
    bidMaxPerInvestorFen: r.bid_max_per_investor_fen,
    publishedAt: r.publish_at ? r.publish_at.toISOString() : null,
    raiseEndsAt: r.raise_ends_at ? r.raise_ends_at.toISOString() : null,
    secondsLeft:
      r.status === 'raising' && r.raise_ends_at
        ? Math.max(0, Math.floor((r.raise_ends_at.getTime() - nowMs) / 1000))
        : null,
  };
}

/** 融资大厅 and loan detail: public, borrower and investors masked. */
export const hallRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/loans',
    {
      schema: {
        operationId: 'listLoans',
        summary: 'Financing hall (融资大厅): raising, in second review, repaying and finished loans',
        description:
          'Raising loans come first. termMin/termMax are months (day loans count as ceil(days/30)). ' +
          'Errors: VALIDATION_FAILED, INVALID_RATE, RATE_OUT_OF_RANGE, INVALID_CURSOR (400).',
        tags,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.String({ enum: [...HALL_STATUSES] })),
            type: Type.Optional(Type.String({ enum: [...LOAN_TYPES] })),
            method: Type.Optional(Type.String({ enum: [...REPAYMENT_METHODS] })),
            grade: Type.Optional(Type.String({ enum: [...CREDIT_GRADES] })),
            rateMin: Type.Optional(Type.String(RATE)),
            rateMax: Type.Optional(Type.String(RATE)),
            termMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 360 })),
            termMax: Type.Optional(Type.Integer({ minimum: 1, maximum: 360 })),
            sort: Type.Optional(Type.String({ enum: [...HALL_SORTS], default: 'newest' })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(HallLoan), nextCursor: Nullable(Type.String()) }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? LIST_LIMIT_DEFAULT;
      const offset = decodeOffsetCursor(q.cursor);
      const rows = await listHallLoans(app.db, {
        status: q.status as HallStatus | undefined,
        type: q.type,
        method: q.method,
        grade: q.grade,
        rateMinPpm: q.rateMin === undefined ? undefined : parseAnnualRate(q.rateMin, { field: 'rateMin' }).ppm,
        rateMaxPpm: q.rateMax === undefined ? undefined : parseAnnualRate(q.rateMax, { field: 'rateMax' }).ppm,
        termMin: q.termMin,
        termMax: q.termMax,
        sort: (q.sort ?? 'newest') as HallSort,
        limit,
        offset,
      });
      const page = offsetPage(rows, limit, offset);
      const now = Date.now();
      return { items: page.items.map((r) => hallView(r, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/loans/:id',
    {
      schema: {
        operationId: 'getLoan',
        summary: 'A loan in the hall: progress, time left, documents summary, schedule preview, bid records',
        tags,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: LoanDetail, ...errorResponses(404) },
      },
    },
    async (request) => {
      const row = await findHallLoan(app.db, request.params.id);
      if (!row) throw LoanError.LOAN_NOT_FOUND();
      const [documents, bids] = await Promise.all([
        documentSummary(app.db, row.borrower_id, row.document_ids),
        loanBidRecords(app.db, row.id),
      ]);
      return {
        ...hallView(row, Date.now()),
        purpose: row.purpose,
        managementFeeRate: rateText(row.management_fee_ppm),
        riskLevels: row.risk_levels,
        allowBonus: row.allow_bonus,
        fullAt: row.full_at ? row.full_at.toISOString() : null,
        documents,
        schedule: scheduleJson(schedulePreview(row)),
        bids: bids.rows.map((b) => ({
          investor: b.phone_masked,
          amountFen: b.amount_fen,
          source: b.source,
          at: b.created_at.toISOString(),
        })),
        bidTotal: bids.total,
      };
    },
  );
};
