import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http-schemas.ts';
import { DateTime, Nullable, page, pageQuery } from './admin-schemas.ts';
import { PAGE_LIMIT_DEFAULT } from './cursor.ts';
import { listSmsOutbox } from './sms-outbox.service.ts';

const Message = Type.Object({
  id: Type.String(),
  phoneMasked: Type.String(),
  purpose: Type.String(),
  body: Type.String({ description: 'The text, with verification codes starred' }),
  provider: Type.String(),
  status: Type.String({ enum: ['queued', 'sent', 'failed'] }),
  error: Nullable(Type.String()),
  createdAt: DateTime,
});

/** The SMS outbox (every message sent or tried), phones masked, codes starred. */
export const smsOutboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/admin/sms-messages',
    {
      config: { permission: 'sms.outbox.read' },
      schema: {
        operationId: 'listSmsMessages',
        summary: 'SMS messages newest first; `phone` (a full mobile number) finds one number by its keyed hash',
        tags: ['back office: members'],
        querystring: Type.Object(
          {
            phone: Type.Optional(Type.String({ maxLength: 20 })),
            purpose: Type.Optional(Type.String({ maxLength: 40 })),
            status: Type.Optional(Type.String({ enum: ['queued', 'sent', 'failed'] })),
            ...pageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: page(Message), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return listSmsOutbox(app.db, app.cipher, {
        ...q,
        status: q.status as 'queued' | 'sent' | 'failed' | undefined,
        limit: q.limit ?? PAGE_LIMIT_DEFAULT,
      });
    },
  );
};
