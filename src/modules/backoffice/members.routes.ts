import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { errorResponses } from '../../platform/http-schemas.ts';
import {
  listMemberMessages,
  MESSAGE_BODY_CHARS_MAX,
  MESSAGE_TITLE_CHARS_MAX,
  sendMemberMessage,
} from '../notify/index.ts';
import {
  BigCount,
  DateTime,
  Fen,
  Id,
  Nullable,
  NullableDateTime,
  NullableObject,
  page,
  pageQuery,
  Reason,
} from './admin-schemas.ts';
import { BackofficeError } from './backoffice.errors.ts';
import { PAGE_LIMIT_DEFAULT } from './cursor.ts';
import {
  adjustPoints,
  flagMember,
  freezeMember,
  listViolations,
  type MemberStatus,
  memberDetail,
  POINTS_ADJUSTMENT_MAX,
  requestUnfreeze,
  searchMembers,
} from './members.service.ts';
import type { VipStanding } from './vip.ts';

const STATUSES = ['active', 'frozen', 'closed'];

const MemberItem = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String(),
  kind: Type.String({ enum: ['person', 'company'] }),
  status: Type.String({ enum: STATUSES }),
  referralCode: Type.String(),
  points: BigCount,
  createdAt: DateTime,
});

const VipLevelBody = Type.Object({ level: Type.Integer(), name: Type.String(), minPoints: BigCount });
const Vip = Type.Object({
  points: BigCount,
  level: VipLevelBody,
  next: NullableObject(Type.Object({ level: VipLevelBody, pointsNeeded: BigCount })),
});

const MemberBody = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String(),
  kind: Type.String({ enum: ['person', 'company'] }),
  status: Type.String({ enum: STATUSES }),
  statusReason: Nullable(Type.String()),
  referralCode: Type.String(),
  referredBy: Nullable(Type.String()),
  lockedUntil: NullableDateTime,
  createdAt: DateTime,
  balances: NullableObject(
    Type.Object({
      availableFen: Fen,
      frozenFen: Fen,
      bonusFen: Fen,
      bonusFrozenFen: Fen,
      totalCashFen: Fen,
    }),
  ),
  vip: Vip,
  pendingUnfreezeId: Nullable(Type.String({ description: 'A pending unfreeze request, if any' })),
  unreadMessages: Type.Integer(),
  certification: Type.Object({
    realName: NullableObject(
      Type.Object({ nameMasked: Type.String(), idNumberMasked: Type.String(), verifiedAt: DateTime }),
    ),
    bankCards: Type.Object({ bound: Type.Integer(), pending: Type.Integer() }),
    documents: Type.Object({ pending: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer() }),
    riskLevel: Nullable(Type.String({ description: 'Latest risk questionnaire level (conservative … aggressive)' })),
  }),
});

const Violation = Type.Object({
  id: Type.String(),
  action: Type.String({ enum: ['flag', 'freeze', 'unfreeze'] }),
  reason: Type.String(),
  staff: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
  approvalId: Nullable(Type.String()),
  createdAt: DateTime,
});

const Message = Type.Object({
  id: Type.String(),
  title: Type.String(),
  body: Type.String(),
  readAt: NullableDateTime,
  createdAt: DateTime,
});

const MemberParams = Type.Object({ memberId: Id });
const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
const tags = ['back office: members'];

/** Member management (会员管理): search, details, violations, freeze/unfreeze, VIP points, messages. */
export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const vipBody = (vip: VipStanding, language: 'zh-CN' | 'en-US') => {
    const level = (l: VipStanding['level']) => ({
      level: l.level,
      name: language === 'en-US' ? l.nameEn : l.nameZh,
      minPoints: l.minPoints,
    });
    return {
      points: vip.points,
      level: level(vip.level),
      next: vip.next ? { level: level(vip.next.level), pointsNeeded: vip.next.pointsNeeded } : null,
    };
  };

  app.get(
    '/api/v1/admin/members',
    {
      config: { permission: 'members.read' },
      schema: {
        operationId: 'listMembers',
        summary: 'Members newest first; q is a full mobile number, a member id or a referral code',
        description:
          'Phones are found by their keyed hash (never by plaintext); anything that is not a full number, an id ' +
          'or a referral code is refused with SEARCH_TERM_UNRECOGNISED.',
        tags,
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(Type.String({ enum: STATUSES })),
            ...pageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: page(MemberItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return searchMembers(app.db, app.cipher, {
        q: q.q,
        status: q.status as MemberStatus | undefined,
        cursor: q.cursor,
        limit: q.limit ?? PAGE_LIMIT_DEFAULT,
      });
    },
  );

  app.get(
    '/api/v1/admin/members/:memberId',
    {
      config: { permission: 'members.read' },
      schema: {
        operationId: 'getMember',
        summary: 'One member: masked profile, status, balances, VIP level (the view is audited)',
        tags,
        params: MemberParams,
        response: { 200: MemberBody, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const detail = await memberDetail(app.db, request.params.memberId);
      await audit(app.db, request, { action: 'member.viewed', targetKind: 'member', targetId: detail.id });
      return { ...detail, vip: vipBody(detail.vip, request.language) };
    },
  );

  app.get(
    '/api/v1/admin/members/:memberId/violations',
    {
      config: { permission: 'members.read' },
      schema: {
        operationId: 'listMemberViolations',
        summary: "A member's violations (flags, freezes, unfreezes), newest first",
        tags,
        params: MemberParams,
        querystring: Type.Object({ ...pageQuery }, { additionalProperties: false }),
        response: { 200: page(Violation), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      listViolations(app.db, request.params.memberId, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? PAGE_LIMIT_DEFAULT,
      }),
  );

  app.post(
    '/api/v1/admin/members/:memberId/violations',
    {
      config: { permission: 'members.manage' },
      schema: {
        operationId: 'flagMember',
        summary: 'Record a violation (违规标记) without freezing',
        tags,
        params: MemberParams,
        body: ReasonBody,
        response: { 201: Type.Object({ violationId: Type.String() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const result = await app.db
        .transaction()
        .execute((trx) =>
          flagMember(
            trx,
            { memberId: request.params.memberId, reason: request.body.reason, staffId: request.staff!.id },
            request,
          ),
        );
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/v1/admin/members/:memberId/freeze',
    {
      config: { permission: 'members.manage' },
      schema: {
        operationId: 'freezeMember',
        summary: 'Freeze a member now (writes refused, sessions ended); a reason is required',
        tags,
        params: MemberParams,
        body: ReasonBody,
        response: { 200: MemberBody, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      await app.db
        .transaction()
        .execute((trx) =>
          freezeMember(trx, { memberId, reason: request.body.reason, staffId: request.staff!.id }, request),
        );
      const detail = await memberDetail(app.db, memberId);
      return { ...detail, vip: vipBody(detail.vip, request.language) };
    },
  );

  app.post(
    '/api/v1/admin/members/:memberId/unfreeze',
    {
      config: { permission: 'members.manage' },
      schema: {
        operationId: 'requestMemberUnfreeze',
        summary: 'Ask for a member to be unfrozen: takes effect when another staff member approves it',
        tags,
        params: MemberParams,
        body: ReasonBody,
        response: {
          202: Type.Object({ approvalId: Type.String(), status: Type.Literal('pending') }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { approvalId } = await app.db
        .transaction()
        .execute((trx) =>
          requestUnfreeze(
            trx,
            { memberId: request.params.memberId, reason: request.body.reason, staffId: request.staff!.id },
            request,
          ),
        );
      return reply.code(202).send({ approvalId, status: 'pending' as const });
    },
  );

  app.post(
    '/api/v1/admin/members/:memberId/points',
    {
      config: { permission: 'members.manage' },
      schema: {
        operationId: 'adjustMemberPoints',
        summary: 'Add (positive) or deduct (negative) VIP points with a reason',
        tags,
        params: MemberParams,
        body: Type.Object(
          {
            deltaPoints: Type.Integer({
              minimum: -POINTS_ADJUSTMENT_MAX,
              maximum: POINTS_ADJUSTMENT_MAX,
              not: { const: 0 },
            }),
            reason: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Vip, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const vip = await app.db.transaction().execute((trx) =>
        adjustPoints(
          trx,
          {
            memberId: request.params.memberId,
            deltaPoints: request.body.deltaPoints,
            reason: request.body.reason,
            staffId: request.staff!.id,
          },
          request,
        ),
      );
      return vipBody(vip, request.language);
    },
  );

  app.get(
    '/api/v1/admin/members/:memberId/messages',
    {
      config: { permission: 'members.read' },
      schema: {
        operationId: 'listMemberMessages',
        summary: 'Messages sent to a member, newest first, with read state',
        tags,
        params: MemberParams,
        querystring: Type.Object({ ...pageQuery }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(Message),
            nextCursor: Nullable(Type.String()),
            unreadCount: Type.Integer(),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { memberId } = request.params;
      const exists = await app.db.selectFrom('users').select('id').where('id', '=', memberId).executeTakeFirst();
      if (!exists) throw BackofficeError.MEMBER_NOT_FOUND({ memberId });
      return listMemberMessages(app.db, memberId, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? PAGE_LIMIT_DEFAULT,
      });
    },
  );

  app.post(
    '/api/v1/admin/members/:memberId/messages',
    {
      config: { permission: 'members.manage' },
      schema: {
        operationId: 'sendMemberMessage',
        summary: 'Send an in-site message (站内信) to a member',
        tags,
        params: MemberParams,
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: MESSAGE_TITLE_CHARS_MAX, pattern: '\\S' }),
            body: Type.String({ minLength: 1, maxLength: MESSAGE_BODY_CHARS_MAX, pattern: '\\S' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Message, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      const message = await app.db.transaction().execute(async (trx) => {
        const exists = await trx.selectFrom('users').select('id').where('id', '=', memberId).executeTakeFirst();
        if (!exists) throw BackofficeError.MEMBER_NOT_FOUND({ memberId });
        const sent = await sendMemberMessage(trx, {
          userId: memberId,
          title: request.body.title,
          body: request.body.body,
          senderStaffId: request.staff!.id,
        });
        await audit(trx, request, {
          action: 'member.message_sent',
          targetKind: 'member',
          targetId: memberId,
          after: { messageId: sent.id, title: sent.title },
        });
        return sent;
      });
      return reply.code(201).send(message);
    },
  );
};
