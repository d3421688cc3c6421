import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { idempotencyKeyOf, requestHash, runIdempotent } from '../../platform/idempotency.ts';
import { consumeWithdrawCode, sendWithdrawCode, smsProviderFromConfig } from '../identity/index.ts';
import { AMOUNT_FEN_MAX } from '../money/index.ts';
import type { WithdrawalStatus } from './orders.ts';
import {
  alreadyAnswered,
  checkWithdrawal,
  createWithdrawal,
  getMyWithdrawal,
  listWithdrawals,
  payoutHandler,
  reviewWithdrawal,
  WITHDRAW_PAYOUT_JOB,
  WITHDRAWAL_PAGE_MAX,
  type WithdrawalView,
} from './withdrawal.service.ts';
import { WITHDRAWAL_STATUSES } from './withdrawal.ts';

const Card = Type.Object({
  id: Type.String(),
  bankCode: Type.String(),
  bankName: Type.String(),
  cardNumberMasked: Type.String(),
});

const Withdrawal = Type.Object({
  orderNo: Type.String(),
  amountFen: FenSchema,
  feeFen: FenSchema,
  totalFen: FenSchema,
  status: Type.String({ enum: [...WITHDRAWAL_STATUSES] }),
  bankCard: Type.Union([Card, Type.Null()]),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const AdminWithdrawal = Type.Object({
  ...Withdrawal.properties,
  customerId: Type.String(),
  customerPhoneMasked: Type.Optional(Type.String()),
  review: Type.Union([
    Type.Object({
      staffId: Type.String(),
      decision: Type.String({ enum: ['approve', 'reject'] }),
      reason: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
    }),
    Type.Null(),
  ]),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function customerJson(w: WithdrawalView) {
  return {
    orderNo: w.orderNo,
    amountFen: w.amountFen,
    feeFen: w.feeFen,
    totalFen: w.totalFen,
    status: w.status,
    bankCard: w.bankCard,
    failureReason: w.failureReason,
    createdAt: w.createdAt.toISOString(),
    completedAt: iso(w.completedAt),
  };
}

function adminJson(w: WithdrawalView & { customerPhoneMasked?: string }) {
  return {
    ...customerJson(w),
    customerId: w.customerId,
    ...(w.customerPhoneMasked ? { customerPhoneMasked: w.customerPhoneMasked } : {}),
    review: w.review,
  };
}

/** Withdrawal (提现) for customers: the SMS code, the request, one order; and the payout job. */
export const withdrawalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const payout = payoutHandler(app.db, app.custodian);
  app.outboxHandlers[WITHDRAW_PAYOUT_JOB] = payout;
  const sms = smsProviderFromConfig(app.config, app.cipher);
  const tags = ['payments'];

  /** Ask the custodian now, after commit; if that fails the outbox job written with the order retries it. */
  async function payoutNow(orderNo: string, log: { warn: (o: object, m: string) => void }) {
    try {
      await payout({ id: '', kind: WITHDRAW_PAYOUT_JOB, attempts: 0, payload: { orderNo } });
    } catch (error) {
      log.warn({ err: error, orderNo }, 'payout deferred to the outbox');
    }
  }

  app.post(
    '/api/v1/me/withdrawals/sms-codes',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'requestWithdrawalSmsCode',
        summary: 'Send a withdrawal code (purpose withdraw) to the phone of the signed-in account',
        description: 'The usual SMS limits apply (1 a minute, 10 a day per phone, 20 an hour per IP: 429).',
        tags,
        response: {
          202: Type.Object({ expiresInSeconds: Type.Integer(), resendAfterSeconds: Type.Integer() }),
          ...errorResponses(401, 403, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const accepted = await sendWithdrawCode(app.db, app.cipher, sms, {
        userId: request.customer!.id,
        ip: request.ip,
      });
      return reply.code(202).send(accepted);
    },
  );

  app.post(
    '/api/v1/me/withdrawals',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'createWithdrawal',
        summary: 'Withdraw (提现) to a bound card: the amount and the fee are frozen until the custodian pays out',
        description:
          'Needs an `Idempotency-Key` header (a repeat returns the first answer without checking the code again) ' +
          'and the SMS code from `POST /api/v1/me/withdrawals/sms-codes`. Above the review threshold the order ' +
          'is `pending_review`; otherwise `processing`. Errors: AMOUNT_BELOW_MINIMUM, AMOUNT_ABOVE_MAXIMUM, ' +
          'DAILY_LIMIT_EXCEEDED, WITHDRAW_DAILY_COUNT_EXCEEDED, INSUFFICIENT_BALANCE, NOT_FOUND (card), ' +
          'WITHDRAW_CARD_NOT_BOUND, SMS_CODE_INVALID, SMS_CODE_EXPIRED, SMS_CODE_TOO_MANY_ATTEMPTS.',
        tags,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: Type.Object(
          {
            amountFen: Type.Integer({ minimum: 1, maximum: Number(AMOUNT_FEN_MAX) }),
            bankCardId: Type.String({ minLength: 1, maxLength: 64 }),
            smsCode: Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit SMS code' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Withdrawal, ...errorResponses(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const userId = request.customer!.id;
      const input = { userId, amountFen: BigInt(request.body.amountFen), bankCardId: request.body.bankCardId };
      const claim = {
        scope: `customer:${userId}:withdrawal`,
        key: idempotencyKeyOf(request),
        // The code authenticates the request, it is not part of it: a retry with a fresh code is the same request.
        requestHash: requestHash('POST', '/api/v1/me/withdrawals', {
          amountFen: request.body.amountFen,
          bankCardId: request.body.bankCardId,
        }),
      };
      if (!(await alreadyAnswered(app.db, claim))) {
        // Every cheaper refusal first, so a refused request leaves the code usable; then the code is used up.
        await checkWithdrawal(app.db, input, request.language, { lock: false });
        await consumeWithdrawCode(app.db, app.cipher, { userId, code: request.body.smsCode });
      }
      const answer = await runIdempotent(app.db, claim, async (trx) => {
        const w = await createWithdrawal(trx, input, request.language);
        return { statusCode: 201, body: customerJson(w) };
      });
      if (!answer.replayed && answer.body.status === 'processing') await payoutNow(answer.body.orderNo, request.log);
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(answer.statusCode as 201).send(answer.body);
    },
  );

  app.get(
    '/api/v1/me/withdrawals/:orderNo',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getMyWithdrawal',
        summary: 'One of my withdrawals',
        tags,
        params: Type.Object({ orderNo: Type.String({ maxLength: 64 }) }),
        response: { 200: Withdrawal, ...errorResponses(401, 404) },
      },
    },
    async (request) =>
      customerJson(await getMyWithdrawal(app.db, request.customer!.id, request.params.orderNo, request.language)),
  );
};

/** Withdrawal review (提现审核) for staff. */
export const withdrawalAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const payout = payoutHandler(app.db, app.custodian);
  const tags = ['back office: payments'];

  app.get(
    '/api/v1/admin/withdrawals',
    {
      config: { permission: 'payments.read' },
      schema: {
        operationId: 'listWithdrawals',
        summary: 'Withdrawals, newest first, optionally of one status (pending_review is the review queue)',
        tags,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.String({ enum: [...WITHDRAWAL_STATUSES] })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: WITHDRAWAL_PAGE_MAX, default: 20 })),
            cursor: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(AdminWithdrawal),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const page = await listWithdrawals(
        app.db,
        {
          status: request.query.status as WithdrawalStatus | undefined,
          limit: request.query.limit ?? 20,
          cursor: request.query.cursor,
        },
        request.language,
      );
      return { items: page.items.map(adminJson), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/admin/withdrawals/:orderNo/review',
    {
      config: { permission: 'payments.review' },
      schema: {
        operationId: 'reviewWithdrawal',
        summary: 'Approve (the payout goes out) or reject (the money is released; reason required) a withdrawal',
        tags,
        params: Type.Object({ orderNo: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          {
            decision: Type.String({ enum: ['approve', 'reject'] }),
            reason: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: AdminWithdrawal, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const decision = request.body.decision as 'approve' | 'reject';
      const { before, view } = await reviewWithdrawal(
        app.db,
        { orderNo: request.params.orderNo, staffId: request.staff!.id, decision, reason: request.body.reason },
        request.language,
      );
      await audit(app.db, request, {
        action: 'payments.withdrawal_reviewed',
        targetKind: 'withdrawal',
        targetId: view.orderNo,
        before: { status: before },
        after: { status: view.status, decision, reason: request.body.reason ?? null },
      });
      if (view.status === 'processing') {
        try {
          await payout({ id: '', kind: WITHDRAW_PAYOUT_JOB, attempts: 0, payload: { orderNo: view.orderNo } });
        } catch (error) {
          request.log.warn({ err: error, orderNo: view.orderNo }, 'payout deferred to the outbox');
        }
      }
      return adminJson(view);
    },
  );
};
