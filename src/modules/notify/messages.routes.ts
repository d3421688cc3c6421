import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { listMemberMessages, markMessageRead } from './messages.service.ts';

const MESSAGES_PAGE_DEFAULT = 20;
const MESSAGES_PAGE_MAX = 100;

export const MessageBody = Type.Object({
  id: Type.String(),
  title: Type.String(),
  body: Type.String(),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const tags = ['account'];

/** A member's in-site messages (站内信). */
export const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/me/messages',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'listMyMessages',
        summary: 'My in-site messages (站内信), newest first, with the unread count',
        tags,
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean({ description: 'Only unread messages' })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: MESSAGES_PAGE_MAX, default: MESSAGES_PAGE_DEFAULT }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(MessageBody),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            unreadCount: Type.Integer(),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const page = await listMemberMessages(app.db, request.customer!.id, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? MESSAGES_PAGE_DEFAULT,
        unreadOnly: request.query.unread,
      });
      return {
        ...page,
        items: page.items.map((m) => ({
          ...m,
          readAt: m.readAt?.toISOString() ?? null,
          createdAt: m.createdAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/v1/me/messages/:messageId/read',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'markMyMessageRead',
        summary: 'Mark one of my messages read',
        tags,
        params: Type.Object({ messageId: Type.String({ maxLength: 64 }) }),
        response: { 200: MessageBody, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const m = await markMessageRead(app.db, request.customer!.id, request.params.messageId);
      return { ...m, readAt: m.readAt?.toISOString() ?? null, createdAt: m.createdAt.toISOString() };
    },
  );
};
