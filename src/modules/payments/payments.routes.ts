import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { idempotencyKeyOf, requestHash, runIdempotent } from '../../platform/idempotency.ts';
import { AMOUNT_FEN_MAX } from '../money/index.ts';
import { handleCallback } from './callbacks.service.ts';
import {
  createRecharge,
  getMyRecharge,
  listPaymentOrders,
  payUrlOf,
  RECHARGE_ORDER_JOB,
  rechargeOrderHandler,
} from './recharge.service.ts';

const Recharge = Type.Object({
  orderNo: Type.String(),
  amountFen: FenSchema,
  status: Type.String({ enum: ['created', 'succeeded', 'failed'] }),
  payUrl: Type.String(),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const PaymentOrder = Type.Object({
  orderNo: Type.String(),
  kind: Type.String({ enum: ['recharge', 'withdrawal', 'offline_recharge'] }),
  amountFen: FenSchema,
  feeFen: FenSchema,
  status: Type.String(),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  payUrl: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const ORDERS_PAGE_MAX = 100;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Recharge through the custodian, the customer's orders, and the custodian's callbacks. */
export const paymentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const registerRecharge = rechargeOrderHandler(app.db, app.custodian);
  app.outboxHandlers[RECHARGE_ORDER_JOB] = registerRecharge;

  app.post(
    '/api/v1/me/recharges',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'createRecharge',
        summary: 'Start a recharge (充值): answers the custodian page to pay on',
        description: 'Needs an `Idempotency-Key` header; a repeat returns the first answer.',
        tags: ['payments'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: Type.Object(
          { amountFen: Type.Integer({ minimum: 1, maximum: Number(AMOUNT_FEN_MAX) }) },
          { additionalProperties: false },
        ),
        response: { 201: Recharge, ...errorResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const customerId = request.customer!.id;
      const answer = await runIdempotent(
        app.db,
        {
          scope: `customer:${customerId}:recharge`,
          key: idempotencyKeyOf(request),
          requestHash: requestHash(request.method, '/api/v1/me/recharges', request.body),
        },
        async (trx) => {
          const r = await createRecharge(trx, customerId, BigInt(request.body.amountFen));
          return {
            statusCode: 201,
            body: { ...r, createdAt: r.createdAt.toISOString(), completedAt: iso(r.completedAt) },
          };
        },
      );
      // Register the order with the custodian now, after commit, so its page is ready when the customer
      // arrives; if that fails the outbox job (written with the order) retries it.
      try {
        await registerRecharge({
          id: '',
          kind: RECHARGE_ORDER_JOB,
          attempts: 0,
          payload: { orderNo: answer.body.orderNo },
        });
      } catch (error) {
        request.log.warn({ err: error, orderNo: answer.body.orderNo }, 'custodian registration deferred to the outbox');
      }
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(answer.statusCode as 201).send(answer.body);
    },
  );

  app.get(
    '/api/v1/me/recharges/:orderNo',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'getMyRecharge',
        summary: 'One of my recharges',
        tags: ['payments'],
        params: Type.Object({ orderNo: Type.String({ maxLength: 64 }) }),
        response: { 200: Recharge, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const r = await getMyRecharge(app.db, request.customer!.id, request.params.orderNo);
      return { ...r, createdAt: r.createdAt.toISOString(), completedAt: iso(r.completedAt) };
    },
  );

  app.get(
    '/api/v1/me/payment-orders',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'listMyPaymentOrders',
        summary: 'My recharge and withdrawal orders, newest first',
        tags: ['payments'],
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ORDERS_PAGE_MAX, default: 20 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(PaymentOrder), nextCursor: Type.Null() }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const rows = await listPaymentOrders(app.db, request.customer!.id, request.query.limit ?? 20);
      return {
        items: rows.map((r) => ({
          orderNo: r.order_no,
          kind: r.kind,
          amountFen: r.amount_fen,
          feeFen: r.fee_fen,
          status: r.status,
          failureReason: r.failure_reason,
          payUrl: r.kind === 'recharge' && r.status === 'created' ? payUrlOf(r.order_no) : null,
          createdAt: r.created_at.toISOString(),
          completedAt: iso(r.completed_at),
        })),
        nextCursor: null,
      };
    },
  );

  // The custodian's callbacks: the signature covers the raw body, so this scope keeps it as text.
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/v1/custodian/callbacks',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'receiveCustodianCallback',
          summary: 'Signed result notifications from the custodian (HMAC-SHA256 over "X-Timestamp.raw body")',
          tags: ['payments'],
          response: {
            200: Type.Object({ received: Type.Boolean(), outcome: Type.String() }),
            ...errorResponses(400, 401, 404, 409, 422),
          },
        },
      },
      async (request) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        const header = (name: string) => {
          const v = request.headers[name];
          return typeof v === 'string' ? v : undefined;
        };
        const outcome = await handleCallback(app.db, app.config.custodianSecret, raw, {
          timestamp: header('x-timestamp'),
          signature: header('x-signature'),
        });
        return { received: true, outcome };
      },
    );
  });
};
