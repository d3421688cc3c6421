import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit } from '../../platform/audit.ts';
import { errorResponses } from '../../platform/http-schemas.ts';
import { BANKS, CARD_DECISIONS, CARD_REASON_CHARS_MAX, CARD_STATUSES, type CardDecision } from './bank-card.ts';
import {
  addBankCard,
  CARD_PAGE_DEFAULT,
  CARD_PAGE_MAX,
  listCardsForReview,
  listMyCards,
  reviewBankCard,
  unbindMyCard,
} from './bank-cards.service.ts';
import { type KycProvider, REAL_NAME_AUDIT_ACTION, rulesOnlyKycProvider, verifyRealName } from './real-name.service.ts';

const RealName = Type.Object({
  status: Type.String({ enum: ['verified'] }),
  nameMasked: Type.String({ examples: ['张*'] }),
  idNumberMasked: Type.String({ examples: ['3301**********1234'] }),
  verifiedAt: Type.String({ format: 'date-time' }),
});

const cardFields = {
  id: Type.String(),
  bankCode: Type.String(),
  bankName: Type.String({ description: "The bank's name in the caller's language" }),
  cardNumberMasked: Type.String({ examples: ['6222 **** **** 1234'] }),
  reservedPhoneMasked: Type.String({ examples: ['138****5678'] }),
  status: Type.String({ enum: [...CARD_STATUSES] }),
  statusName: Type.String({ description: "The status in the caller's language" }),
  statusReason: Type.Union([Type.String(), Type.Null()], { description: 'Why it was rejected or binding failed' }),
  createdAt: Type.String({ format: 'date-time' }),
  boundAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};
const Card = Type.Object(cardFields);
const ReviewCard = Type.Object({
  ...cardFields,
  customerId: Type.String(),
  customerPhoneMasked: Type.String(),
  holderNameMasked: Type.Union([Type.String(), Type.Null()]),
});

const CardId = Type.Object({ cardId: Type.String({ minLength: 1, maxLength: 64 }) });
const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CARD_PAGE_MAX, default: CARD_PAGE_DEFAULT })),
  cursor: Type.Optional(Type.String({ maxLength: 32 })),
};

export interface KycRoutesOptions {
  /** The identity service; the platform's rules only by default. */
  readonly kyc?: KycProvider;
}

/** Real-name verification (实名认证), bank cards (绑卡) and the back office's card review queue. */
export const kycRoutes: FastifyPluginAsyncTypebox<KycRoutesOptions> = async (app, options) => {
  const kyc = options.kyc ?? rulesOnlyKycProvider;

  app.post(
    '/api/v1/me/real-name',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'verifyMyRealName',
        summary: 'Verify my identity (实名认证) with my name and resident ID number',
        description:
          'The ID number is checked for format, a real birth date and the GB 11643 check digit against today in ' +
          'Asia/Shanghai; the holder must be 18 or older; an ID number may be verified by one account only. ' +
          'At most 10 refused attempts in 24 hours.',
        tags: ['customers: profile'],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 60 }),
            idNumber: Type.String({ minLength: 1, maxLength: 40 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: RealName, ...errorResponses(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request) => {
      const userId = request.customer!.id;
      try {
        const result = await verifyRealName(app.db, app.cipher, kyc, { userId, ...request.body });
        await audit(app.db, request, {
          action: REAL_NAME_AUDIT_ACTION,
          targetKind: 'customer',
          targetId: userId,
          after: { nameMasked: result.nameMasked, idNumberMasked: result.idNumberMasked, provider: kyc.name },
        });
        return result;
      } catch (error) {
        await audit(app.db, request, {
          action: REAL_NAME_AUDIT_ACTION,
          outcome: 'refused',
          targetKind: 'customer',
          targetId: userId,
          detail: { reason: (error as { code?: string }).code ?? 'error' },
        });
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/banks',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'listBanks',
        summary: 'Banks a card may be added from',
        tags: ['customers: bank cards'],
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }),
        },
      },
    },
    async (request) => ({
      items: BANKS.map((b) => ({ code: b.code, name: request.language === 'en-US' ? b.name.en : b.name.zh })),
    }),
  );

  app.get(
    '/api/v1/me/bank-cards',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'listMyBankCards',
        summary: 'My bank cards, newest first (unbound ones are left out)',
        tags: ['customers: bank cards'],
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({ items: Type.Array(Card), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => listMyCards(app.db, request.customer!.id, request.query, request.language),
  );

  app.post(
    '/api/v1/me/bank-cards',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'addMyBankCard',
        summary: 'Add a bank card in my name; it waits for review (pending_review)',
        description:
          'Needs a verified identity. The card number must pass the Luhn check; `smsCode` is a `bind_card` code sent ' +
          'to `reservedPhone` (the phone the bank holds for the card). At most 5 live cards.',
        tags: ['customers: bank cards'],
        body: Type.Object(
          {
            bankCode: Type.String({ minLength: 1, maxLength: 16 }),
            cardNumber: Type.String({ minLength: 1, maxLength: 40 }),
            reservedPhone: Type.String({ minLength: 1, maxLength: 32 }),
            smsCode: Type.String({ pattern: '^[0-9]{6}$' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Card, ...errorResponses(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const card = await addBankCard(
        app.db,
        app.cipher,
        { userId: request.customer!.id, ...request.body },
        request.language,
      );
      await audit(app.db, request, {
        action: 'customer.bank_card_added',
        targetKind: 'bank_card',
        targetId: card.id,
        after: { status: card.status, bankCode: card.bankCode, cardNumberMasked: card.cardNumberMasked },
      });
      return reply.code(201).send(card);
    },
  );

  app.delete(
    '/api/v1/me/bank-cards/:cardId',
    {
      config: { auth: 'customer' },
      schema: {
        operationId: 'unbindMyBankCard',
        summary: 'Unbind one of my cards (or withdraw one under review); not while a withdrawal is pending',
        tags: ['customers: bank cards'],
        params: CardId,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { cardId } = request.params;
      const moved = await unbindMyCard(app.db, { userId: request.customer!.id, cardId }, request.language);
      await audit(app.db, request, {
        action: 'customer.bank_card_unbound',
        targetKind: 'bank_card',
        targetId: cardId,
        before: { status: moved.before },
        after: { status: moved.after },
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/bank-cards',
    {
      config: { permission: 'cards.review' },
      schema: {
        operationId: 'listBankCardsForReview',
        summary: 'The card review queue, oldest first, optionally one status',
        tags: ['back office: members'],
        querystring: Type.Object(
          { status: Type.Optional(Type.String({ enum: [...CARD_STATUSES] })), ...PageQuery },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(ReviewCard), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) =>
      listCardsForReview(
        app.db,
        { ...request.query, status: request.query.status as (typeof CARD_STATUSES)[number] | undefined },
        request.language,
      ),
  );

  app.post(
    '/api/v1/admin/bank-cards/:cardId/review',
    {
      config: { permission: 'cards.review' },
      schema: {
        operationId: 'reviewBankCard',
        summary: 'Decide on a card: approve or reject the review, or record the bank binding result',
        description:
          '`approve`: pending_review → pending_binding; `reject` (reason required): pending_review → rejected; ' +
          '`confirm_binding`: pending_binding or binding_failed → bound; `fail_binding` (reason required): ' +
          'pending_binding or binding_failed → binding_failed. Until the custodian gateway reports binding results ' +
          '(issue 5), staff record them here.',
        tags: ['back office: members'],
        params: CardId,
        body: Type.Object(
          {
            decision: Type.String({ enum: [...CARD_DECISIONS] }),
            reason: Type.Optional(Type.String({ maxLength: CARD_REASON_CHARS_MAX })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ReviewCard, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { cardId } = request.params;
      const decision = request.body.decision as CardDecision;
      const result = await reviewBankCard(
        app.db,
        { cardId, staffId: request.staff!.id, decision, reason: request.body.reason },
        request.language,
      );
      await audit(app.db, request, {
        action: 'bank_card.reviewed',
        targetKind: 'bank_card',
        targetId: cardId,
        before: { status: result.before },
        after: { status: result.after },
        detail: { decision, reason: request.body.reason ?? null, customerId: result.card.customerId },
      });
      return result.card;
    },
  );
};
