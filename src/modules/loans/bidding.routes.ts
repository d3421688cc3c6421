import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { idempotencyKeyOf, requestHash } from '../../platform/idempotency.ts';
import { AMOUNT_FEN_MAX, annualRateFromPpm, formatAnnualRate } from '../money/index.ts';
import { BID_BATCH_WINDOW_MS_DEFAULT, BidBatcher, listMyBids, MY_BIDS_PAGE_MAX, placeBid } from './bidding.service.ts';

const LOAN_STATUS_ENUM = [
  'submitted',
  'returned',
  'rejected',
  'scheduled',
  'raising',
  'second_review',
  'repaying',
  'finished',
  'failed',
  'cancelled',
];

const BidAnswer = Type.Object({
  bidId: Type.String(),
  loanId: Type.String(),
  amountFen: FenSchema,
  fromBonusFen: FenSchema,
  status: Type.String({ enum: ['held'] }),
  createdAt: Type.String({ format: 'date-time' }),
  loanRaisedFen: FenSchema,
  loanAmountFen: FenSchema,
  loanStatus: Type.String({ enum: LOAN_STATUS_ENUM }),
});

const MyBid = Type.Object({
  bidId: Type.String(),
  loanId: Type.String(),
  loanNo: Type.String(),
  loanTitle: Type.String(),
  loanStatus: Type.String({ enum: LOAN_STATUS_ENUM }),
  annualRate: Type.String(),
  amountFen: FenSchema,
  fromBonusFen: FenSchema,
  status: Type.String({ enum: ['held', 'posted', 'voided'] }),
  createdAt: Type.String({ format: 'date-time' }),
  pendingPrincipalFen: FenSchema,
  pendingInterestFen: FenSchema,
  receivedFen: FenSchema,
});

/**
 * BID_BATCH_WINDOW_MS: how long bids on one loan are collected before they are applied together
 * (default 2; `off` or a negative number: every bid in its own transaction). Read once when the routes register.
 */
export function bidBatchWindowMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BID_BATCH_WINDOW_MS;
  if (raw === undefined || raw === '') return BID_BATCH_WINDOW_MS_DEFAULT;
  if (raw === 'off') return -1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n > 1000)
    throw new Error(`BID_BATCH_WINDOW_MS must be an integer ≤ 1000 or "off", got ${raw}`);
  return n;
}

/** Bidding (投标) for customers and their list of bids (我的投资). */
export const biddingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const batcher = new BidBatcher(app.db, bidBatchWindowMs());
  const tags = ['loans: bidding'];

  app.post(
    '/api/v1/loans/:loanId/bids',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'placeBid',
        summary: 'Bid on a raising loan (投标): the amount is frozen until second review',
        description:
          'Needs an `Idempotency-Key` header; a repeat returns the first answer. Errors: LOAN_NOT_FOUND (404), ' +
          'LOAN_NOT_RAISING, LOAN_FULL, LOAN_RAISE_ENDED, BID_BELOW_MINIMUM, BID_NOT_ON_STEP, BID_EXCEEDS_REMAINING, ' +
          'BID_LEAVES_UNFILLABLE_REST, BID_ABOVE_INVESTOR_MAXIMUM, BID_ON_OWN_LOAN, REAL_NAME_REQUIRED, ' +
          'RISK_ASSESSMENT_REQUIRED, RISK_LEVEL_NOT_ALLOWED, INSUFFICIENT_BALANCE (422), IDEMPOTENCY_KEY_REUSED (409).',
        tags,
        params: Type.Object({ loanId: Type.String({ minLength: 1, maxLength: 64 }) }),
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: Type.Object(
          { amountFen: Type.Integer({ minimum: 1, maximum: Number(AMOUNT_FEN_MAX) }) },
          { additionalProperties: false },
        ),
        response: { 201: BidAnswer, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const answer = await placeBid(app.db, batcher, {
        loanId: request.params.loanId,
        investorId: request.customer!.id,
        amountFen: BigInt(request.body.amountFen),
        idempotencyKey: idempotencyKeyOf(request),
        requestHash: requestHash('POST', '/api/v1/loans/:loanId/bids', {
          params: { loanId: request.params.loanId },
          body: { amountFen: request.body.amountFen },
        }),
      });
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      const b = answer.body;
      return reply.code(answer.statusCode as 201).send({
        ...b,
        amountFen: BigInt(b.amountFen),
        fromBonusFen: BigInt(b.fromBonusFen),
        loanRaisedFen: BigInt(b.loanRaisedFen),
        loanAmountFen: BigInt(b.loanAmountFen),
      });
    },
  );

  app.get(
    '/api/v1/me/bids',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'listMyBids',
        summary: 'My bids and holdings (我的投资), newest first, with principal and interest still to come',
        tags,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MY_BIDS_PAGE_MAX, default: 20 })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(MyBid), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const page = await listMyBids(app.db, request.customer!.id, {
        limit: request.query.limit ?? 20,
        cursor: request.query.cursor,
      });
      return {
        items: page.items.map((b) => ({
          bidId: b.bidId,
          loanId: b.loanId,
          loanNo: b.loanNo,
          loanTitle: b.loanTitle,
          loanStatus: b.loanStatus,
          annualRate: formatAnnualRate(annualRateFromPpm(b.annualRatePpm)),
          amountFen: b.amountFen,
          fromBonusFen: b.fromBonusFen,
          status: b.status,
          createdAt: b.createdAt.toISOString(),
          pendingPrincipalFen: b.pendingPrincipalFen,
          pendingInterestFen: b.pendingInterestFen,
          receivedFen: b.receivedFen,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};
