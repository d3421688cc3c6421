import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Selectable } from 'kysely';
import { Type } from 'typebox';
import type { ReconciliationRunsTable } from '../../db/schema.ts';
import { audit } from '../../platform/audit.ts';
import { errorResponses, FenSchema } from '../../platform/http-schemas.ts';
import { sendIdempotent } from '../../platform/idempotency.ts';
import { AMOUNT_FEN_MAX } from '../money/index.ts';
import { checkWithCustodian } from './custodian-check.service.ts';
import { listOfflineRecharges, recordOfflineRecharge } from './offline-recharge.service.ts';
import { shanghaiDate } from './orders.ts';
import {
  ReconciliationError,
  reconciliationWorkbook,
  resolveReconciliationItem,
  runReconciliation,
} from './reconciliation.service.ts';

const tags = ['back office: payments'];
const PAGE_MAX = 100;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const Run = Type.Object({
  id: Type.String(),
  businessDate: Type.String(),
  status: Type.String(),
  matched: Type.Integer(),
  differences: Type.Integer(),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});

function runView(run: Selectable<ReconciliationRunsTable>) {
  return {
    id: run.id,
    businessDate: run.business_date,
    status: run.status,
    matched: run.matched,
    differences: run.differences,
    startedAt: run.started_at.toISOString(),
    finishedAt: iso(run.finished_at),
    error: run.error,
  };
}

const OfflineOrder = Type.Object({
  orderNo: Type.String(),
  customerId: Type.String(),
  amountFen: FenSchema,
  status: Type.String(),
  bankReference: Type.String(),
  transferDate: Type.String(),
  createdAt: Type.String(),
  completedAt: Type.Union([Type.String(), Type.Null()]),
});

/** Staff views of orders and callbacks, offline recharge (two-person), and reconciliation (对账). */
export const paymentsAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/admin/offline-recharges',
    {
      config: { permission: 'payments.offline_recharge' },
      schema: {
        operationId: 'recordOfflineRecharge',
        summary: 'Record a bank transfer to the custody account (线下充值); credited when a second person approves',
        description:
          'Needs an `Idempotency-Key` header. The answer names the approval request a second staff member decides.',
        tags,
        body: Type.Object(
          {
            customerId: Type.String({ minLength: 1, maxLength: 64 }),
            amountFen: Type.Integer({ minimum: 1, maximum: Number(AMOUNT_FEN_MAX) }),
            bankReference: Type.String({ minLength: 4, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
            transferDate: Type.String({ format: 'date' }),
            note: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ orderNo: Type.String(), approvalId: Type.String() }),
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) =>
      sendIdempotent(request, reply, app.db, `staff:${request.staff!.id}:offline-recharge`, async (trx) => ({
        statusCode: 201,
        body: await recordOfflineRecharge(
          trx,
          request.staff!.id,
          { ...request.body, amountFen: BigInt(request.body.amountFen) },
          request,
        ),
      })),
  );

  app.get(
    '/api/v1/admin/offline-recharges',
    {
      config: { permission: 'payments.offline_recharge' },
      schema: {
        operationId: 'listOfflineRecharges',
        summary: 'Offline recharges, newest first',
        tags,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(OfflineOrder) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({
      items: (await listOfflineRecharges(app.db, request.query.limit ?? 50)).map((r) => ({
        orderNo: r.order_no,
        customerId: r.user_id,
        amountFen: r.amount_fen,
        status: r.status,
        bankReference: String(r.detail.bankReference ?? ''),
        transferDate: String(r.detail.transferDate ?? ''),
        createdAt: r.created_at.toISOString(),
        completedAt: iso(r.completed_at),
      })),
    }),
  );

  app.get(
    '/api/v1/admin/payment-orders',
    {
      config: { permission: 'payments.read' },
      schema: {
        operationId: 'listPaymentOrders',
        summary: 'Recharge and withdrawal orders, newest first',
        tags,
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.String({ enum: ['recharge', 'withdrawal', 'offline_recharge'] })),
            status: Type.Optional(Type.String({ maxLength: 30 })),
            customerId: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                orderNo: Type.String(),
                kind: Type.String(),
                customerId: Type.String(),
                amountFen: FenSchema,
                feeFen: FenSchema,
                status: Type.String(),
                failureReason: Type.Union([Type.String(), Type.Null()]),
                createdAt: Type.String(),
                completedAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      let q = app.db
        .selectFrom('payment_orders')
        .selectAll()
        .orderBy('created_at', 'desc')
        .limit(request.query.limit ?? 50);
      if (request.query.kind) q = q.where('kind', '=', request.query.kind as 'recharge');
      if (request.query.status) q = q.where('status', '=', request.query.status);
      if (request.query.customerId) q = q.where('user_id', '=', request.query.customerId);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          orderNo: r.order_no,
          kind: r.kind,
          customerId: r.user_id,
          amountFen: r.amount_fen,
          feeFen: r.fee_fen,
          status: r.status,
          failureReason: r.failure_reason,
          createdAt: r.created_at.toISOString(),
          completedAt: iso(r.completed_at),
        })),
      };
    },
  );

  app.post(
    '/api/v1/admin/payment-orders/:orderNo/custodian-check',
    {
      config: { permission: 'payments.review' },
      schema: {
        operationId: 'checkOrderWithCustodian',
        summary: 'Ask the custodian for an order’s result and apply it (for a callback that never came)',
        tags,
        params: Type.Object({ orderNo: Type.String({ maxLength: 64 }) }),
        response: {
          200: Type.Object({ orderNo: Type.String(), custodianStatus: Type.String(), outcome: Type.String() }),
          ...errorResponses(401, 403, 404, 409, 422),
        },
      },
    },
    async (request) => {
      const result = await checkWithCustodian(app.db, app.custodian, request.params.orderNo);
      await audit(app.db, request, {
        action: 'payments.custodian_check',
        targetKind: 'payment_order',
        targetId: request.params.orderNo,
        after: result,
      });
      return result;
    },
  );

  app.get(
    '/api/v1/admin/custodian-callbacks',
    {
      config: { permission: 'payments.read' },
      schema: {
        operationId: 'listCustodianCallbacks',
        summary: 'Every callback received, with its outcome (applied, duplicate or refused and why)',
        tags,
        querystring: Type.Object(
          {
            outcome: Type.Optional(Type.String({ maxLength: 40 })),
            orderNo: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                receivedAt: Type.String(),
                orderNo: Type.Union([Type.String(), Type.Null()]),
                event: Type.Union([Type.String(), Type.Null()]),
                outcome: Type.String(),
                detail: Type.Union([Type.String(), Type.Null()]),
                rawBody: Type.String(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      let q = app.db
        .selectFrom('custodian_callbacks')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(request.query.limit ?? 50);
      if (request.query.outcome) q = q.where('outcome', '=', request.query.outcome);
      if (request.query.orderNo) q = q.where('order_no', '=', request.query.orderNo);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          id: String(r.id),
          receivedAt: r.received_at.toISOString(),
          orderNo: r.order_no,
          event: r.event,
          outcome: r.outcome,
          detail: r.detail,
          rawBody: r.raw_body,
        })),
      };
    },
  );

  app.post(
    '/api/v1/admin/reconciliation/runs',
    {
      config: { permission: 'payments.reconcile' },
      schema: {
        operationId: 'runReconciliation',
        summary: 'Reconcile a business date against the custodian’s statement now',
        tags,
        body: Type.Object({ date: Type.Optional(Type.String({ format: 'date' })) }, { additionalProperties: false }),
        response: { 201: Run, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const date = request.body.date ?? shanghaiDate();
      const result = await runReconciliation(app.db, app.custodian, date, request.staff!.id);
      await audit(app.db, request, {
        action: 'payments.reconciliation_run',
        targetKind: 'reconciliation',
        targetId: result.runId,
        detail: { date },
      });
      const run = await app.db
        .selectFrom('reconciliation_runs')
        .selectAll()
        .where('id', '=', result.runId)
        .executeTakeFirstOrThrow();
      return reply.code(201).send(runView(run));
    },
  );

  app.get(
    '/api/v1/admin/reconciliation/runs',
    {
      config: { permission: 'payments.reconcile' },
      schema: {
        operationId: 'listReconciliationRuns',
        summary: 'Reconciliation runs, newest first',
        tags,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 30 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Run) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const rows = await app.db
        .selectFrom('reconciliation_runs')
        .selectAll()
        .orderBy('started_at', 'desc')
        .limit(request.query.limit ?? 30)
        .execute();
      return { items: rows.map(runView) };
    },
  );

  app.get(
    '/api/v1/admin/reconciliation/runs/:runId/items',
    {
      config: { permission: 'payments.reconcile' },
      schema: {
        operationId: 'listReconciliationItems',
        summary: 'The differences (or every line) of a run',
        tags,
        params: Type.Object({ runId: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object(
          { all: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                orderNo: Type.String(),
                category: Type.String(),
                ours: Type.Unknown(),
                theirs: Type.Unknown(),
                resolutionNote: Type.Union([Type.String(), Type.Null()]),
                resolvedBy: Type.Union([Type.String(), Type.Null()]),
                resolvedAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      let q = app.db
        .selectFrom('reconciliation_items')
        .selectAll()
        .where('run_id', '=', request.params.runId)
        .orderBy('order_no');
      if (!request.query.all) q = q.where('category', '<>', 'matched');
      const rows = await q.limit(10_000).execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          orderNo: r.order_no,
          category: r.category,
          ours: r.ours,
          theirs: r.theirs,
          resolutionNote: r.resolution_note,
          resolvedBy: r.resolved_by,
          resolvedAt: iso(r.resolved_at),
        })),
      };
    },
  );

  app.get(
    '/api/v1/admin/reconciliation/runs/:runId/report.xlsx',
    {
      config: { permission: 'payments.reconcile' },
      schema: {
        operationId: 'downloadReconciliationReport',
        summary: 'The run as an Excel workbook (every line, differences first)',
        tags,
        params: Type.Object({ runId: Type.String({ maxLength: 64 }) }),
        response: { ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const run = await app.db
        .selectFrom('reconciliation_runs')
        .selectAll()
        .where('id', '=', request.params.runId)
        .executeTakeFirst();
      if (!run) throw ReconciliationError.RECONCILIATION_ITEM_NOT_FOUND({ runId: request.params.runId });
      const items = await app.db
        .selectFrom('reconciliation_items')
        .selectAll()
        .where('run_id', '=', run.id)
        .orderBy('order_no')
        .limit(100_000)
        .execute();
      const body = reconciliationWorkbook(run, items, request.language);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="reconciliation-${run.business_date}.xlsx"`)
        .send(Buffer.from(body));
    },
  );

  app.post(
    '/api/v1/admin/reconciliation/items/:itemId/resolution',
    {
      config: { permission: 'payments.reconcile' },
      schema: {
        operationId: 'resolveReconciliationItem',
        summary: 'Record how a difference was resolved',
        tags,
        params: Type.Object({ itemId: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await resolveReconciliationItem(app.db, request.params.itemId, request.staff!.id, request.body.note);
      await audit(app.db, request, {
        action: 'payments.reconciliation_resolved',
        targetKind: 'reconciliation_item',
        targetId: request.params.itemId,
        after: { note: request.body.note },
      });
      return reply.code(204).send(null);
    },
  );
};
