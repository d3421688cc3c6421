import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { localize } from '../../platform/i18n.ts';
import { DateTime, Id, Nullable, NullableDateTime, pageQuery, Reason, StaffRef } from './admin-schemas.ts';
import {
  type ApprovalStatus,
  type ApprovalView,
  cancelApproval,
  decideApproval,
  getApproval,
  listApprovals,
} from './approvals.service.ts';
import { approvalKind, approvalKinds } from './approvals.ts';
import { PAGE_LIMIT_DEFAULT } from './cursor.ts';

const STATUSES = ['pending', 'approved', 'rejected', 'cancelled'];

const Approval = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  kindName: Type.String({ description: "The kind's name in the caller's language" }),
  targetKind: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  payload: Type.Unknown(),
  note: Type.String({ description: "The maker's reason" }),
  status: Type.String({ enum: STATUSES }),
  maker: StaffRef,
  checker: Nullable(StaffRef),
  decidedAt: NullableDateTime,
  decisionReason: Nullable(Type.String()),
  createdAt: DateTime,
  canDecide: Type.Boolean({ description: 'The caller may approve or reject it now' }),
  canCancel: Type.Boolean({ description: 'The caller made it and may withdraw it' }),
});

const tags = ['back office: approvals'];

function withName(view: ApprovalView, request: FastifyRequest) {
  const def = approvalKind(view.kind);
  return { ...view, kindName: def ? localize(def.name, request.language) : view.kind };
}

/**
 * Two-person approval (maker-checker). Requests are created by the modules whose actions need a second
 * person (e.g. unfreezing a member); here they are listed and decided.
 */
export const approvalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/approvals',
    {
      config: { permission: 'approvals.read' },
      schema: {
        operationId: 'listApprovals',
        summary: "Approval requests newest first: those of kinds the caller's permissions cover, and their own",
        tags,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.String({ enum: STATUSES })),
            kind: Type.Optional(Type.String({ maxLength: 64 })),
            targetId: Type.Optional(Id),
            ...pageQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Approval),
            nextCursor: Nullable(Type.String()),
            kinds: Type.Array(Type.Object({ kind: Type.String(), name: Type.String() })),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await listApprovals(app.db, request.staff!, {
        ...q,
        status: q.status as ApprovalStatus | undefined,
        limit: q.limit ?? PAGE_LIMIT_DEFAULT,
      });
      return {
        items: result.items.map((v) => withName(v, request)),
        nextCursor: result.nextCursor,
        kinds: approvalKinds().map((k) => ({ kind: k.kind, name: localize(k.name, request.language) })),
      };
    },
  );

  app.post(
    '/api/v1/admin/approvals/:approvalId/decision',
    {
      config: { permission: 'approvals.decide' },
      schema: {
        operationId: 'decideApproval',
        summary: 'Approve (the action takes effect now) or reject (a reason is required) a pending request',
        description:
          'The checker must not be the maker (APPROVAL_MAKER_CANNOT_DECIDE) and must hold the permission of the ' +
          "request's kind (403). A request is decided once (APPROVAL_ALREADY_DECIDED, 409).",
        tags,
        params: Type.Object({ approvalId: Id }),
        body: Type.Object(
          { decision: Type.String({ enum: ['approve', 'reject'] }), reason: Type.Optional(Reason) },
          { additionalProperties: false },
        ),
        response: { 200: Approval, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const staff = request.staff!;
      await app.db.transaction().execute((trx) =>
        decideApproval(
          trx,
          {
            id: request.params.approvalId,
            decision: request.body.decision as 'approve' | 'reject',
            reason: request.body.reason,
            checker: staff,
          },
          request,
        ),
      );
      return withName(await getApproval(app.db, request.params.approvalId, staff), request);
    },
  );

  app.post(
    '/api/v1/admin/approvals/:approvalId/cancellation',
    {
      config: { permission: 'approvals.read' },
      schema: {
        operationId: 'cancelApproval',
        summary: 'The maker withdraws a pending request',
        tags,
        params: Type.Object({ approvalId: Id }),
        body: Type.Optional(Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false })),
        response: { 200: Approval, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const staff = request.staff!;
      await app.db
        .transaction()
        .execute((trx) =>
          cancelApproval(
            trx,
            { id: request.params.approvalId, staffId: staff.id, reason: request.body?.reason },
            request,
          ),
        );
      return withName(await getApproval(app.db, request.params.approvalId, staff), request);
    },
  );
};
