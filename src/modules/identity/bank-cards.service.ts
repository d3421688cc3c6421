import { randomUUID } from 'node:crypto';
import type { Db, Trx } from '../../db/database.ts';
import type { BankCardStatus } from '../../db/schema.ts';
import { type FieldCipher, maskCardNumber, maskPhone } from '../../platform/crypto.ts';
import { CommonError } from '../../platform/errors.ts';
import type { Language } from '../../platform/i18n.ts';
import {
  CARD_REASON_CHARS_MAX,
  CARD_STATUS_NAMES,
  CARD_TRANSITIONS,
  CARDS_PER_CUSTOMER_MAX,
  type CardAction,
  type CardDecision,
  findBank,
  LIVE_CARD_STATUSES,
} from './bank-card.ts';
import { CustomerError } from './customer.errors.ts';
import { consumeSmsCode, requirePhone } from './sms-codes.service.ts';
import { validateCardNumber } from './validators.ts';

/** Field-cipher contexts of card data. Never rename one: it is bound into the ciphertext and hash. */
export const CARD_CONTEXTS = {
  cardNumber: 'bank_card.card_number',
  reservedPhone: 'bank_card.reserved_phone',
} as const;

export const CARD_PAGE_DEFAULT = 20;
export const CARD_PAGE_MAX = 100;

/**
 * Whether the customer has a withdrawal in progress (in review or being paid out): a card must not be unbound
 * under it. Reads the payments module's orders table directly (payments depends on identity, not the reverse).
 */
export async function hasPendingWithdrawal(db: Db | Trx, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('payment_orders')
    .select('order_no')
    .where('user_id', '=', userId)
    .where('kind', '=', 'withdrawal')
    .where('status', 'in', ['pending_review', 'processing'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface CardView {
  readonly id: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly cardNumberMasked: string;
  readonly reservedPhoneMasked: string;
  readonly status: BankCardStatus;
  readonly statusName: string;
  readonly statusReason: string | null;
  readonly createdAt: string;
  readonly boundAt: string | null;
}

const CARD_COLUMNS = [
  'c.id',
  'c.seq',
  'c.user_id',
  'c.bank_code',
  'c.card_number_masked',
  'c.reserved_phone_masked',
  'c.status',
  'c.status_reason',
  'c.created_at',
  'c.bound_at',
] as const;

interface CardRow {
  id: string;
  seq: bigint;
  user_id: string;
  bank_code: string;
  card_number_masked: string;
  reserved_phone_masked: string;
  status: BankCardStatus;
  status_reason: string | null;
  created_at: Date;
  bound_at: Date | null;
}

function view(row: CardRow, language: Language): CardView {
  const bank = findBank(row.bank_code);
  const en = language === 'en-US';
  return {
    id: row.id,
    bankCode: row.bank_code,
    bankName: bank ? (en ? bank.name.en : bank.name.zh) : row.bank_code,
    cardNumberMasked: row.card_number_masked,
    reservedPhoneMasked: row.reserved_phone_masked,
    status: row.status,
    statusName: en ? CARD_STATUS_NAMES[row.status].en : CARD_STATUS_NAMES[row.status].zh,
    statusReason: row.status_reason,
    createdAt: row.created_at.toISOString(),
    boundAt: row.bound_at ? row.bound_at.toISOString() : null,
  };
}

function cursorOf(seq: bigint): string {
  return seq.toString();
}

function parseCursor(cursor: string | undefined): bigint | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (!/^\d{1,18}$/.test(cursor)) throw CommonError.VALIDATION_FAILED({ field: 'cursor' });
  return BigInt(cursor);
}

/** The customer's cards, newest first, without unbound ones (rejected ones stay, to show the reason). */
export async function listMyCards(
  db: Db,
  userId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
  language: Language,
): Promise<{ items: CardView[]; nextCursor: string | null }> {
  const limit = Math.min(query.limit ?? CARD_PAGE_DEFAULT, CARD_PAGE_MAX);
  const after = parseCursor(query.cursor);
  let q = db
    .selectFrom('bank_cards as c')
    .select(CARD_COLUMNS)
    .where('c.user_id', '=', userId)
    .where('c.status', '<>', 'unbound')
    .orderBy('c.seq', 'desc')
    .limit(limit + 1);
  if (after !== undefined) q = q.where('c.seq', '<', after);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => view(r, language)),
    nextCursor: rows.length > limit && page.length ? cursorOf(page[page.length - 1]!.seq) : null,
  };
}

/**
 * Add a card: the customer must be verified (the card is in their name); the bank must be on the list; the card
 * number must pass the Luhn check; at most 5 live cards, and a number may be live on one card only. The SMS code
 * sent to the reserved phone (purpose bind_card) is used up last. The card starts pending review.
 */
export async function addBankCard(
  db: Db,
  cipher: FieldCipher,
  input: { userId: string; bankCode: string; cardNumber: string; reservedPhone: string; smsCode: string },
  language: Language,
  now: Date = new Date(),
): Promise<CardView> {
  const verified = await db
    .selectFrom('customer_real_names')
    .select('user_id')
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  if (!verified) throw CustomerError.REAL_NAME_REQUIRED();
  if (!findBank(input.bankCode)) throw CustomerError.BANK_UNKNOWN({ field: 'bankCode' });
  const card = validateCardNumber(input.cardNumber);
  if (!card.ok) throw CustomerError.CARD_NUMBER_INVALID({ field: 'cardNumber', reason: card.reason });
  const reservedPhone = requirePhone(input.reservedPhone, 'reservedPhone');
  const cardHash = cipher.blindIndex(card.normalised, CARD_CONTEXTS.cardNumber);

  const live = await liveCards(db, input.userId, cardHash);
  if (live.sameNumber) throw CustomerError.CARD_TAKEN({ field: 'cardNumber' });
  if (live.mine >= CARDS_PER_CUSTOMER_MAX) throw CustomerError.CARD_LIMIT_REACHED({ max: CARDS_PER_CUSTOMER_MAX });

  await consumeSmsCode(db, cipher, { phone: reservedPhone, purpose: 'bind_card', code: input.smsCode }, now);
  const id = `card_${randomUUID().replaceAll('-', '')}`;
  try {
    await db.transaction().execute(async (trx) => {
      // One customer's adds go one at a time, so the limit holds under concurrent requests.
      await trx.selectFrom('users').select('id').where('id', '=', input.userId).forUpdate().executeTakeFirstOrThrow();
      const again = await liveCards(trx, input.userId, cardHash);
      if (again.sameNumber) throw CustomerError.CARD_TAKEN({ field: 'cardNumber' });
      if (again.mine >= CARDS_PER_CUSTOMER_MAX) {
        throw CustomerError.CARD_LIMIT_REACHED({ max: CARDS_PER_CUSTOMER_MAX });
      }
      await trx
        .insertInto('bank_cards')
        .values({
          id,
          user_id: input.userId,
          bank_code: input.bankCode,
          card_number_cipher: cipher.encrypt(card.normalised, CARD_CONTEXTS.cardNumber),
          card_number_hash: cardHash,
          card_number_masked: maskCardNumber(card.normalised),
          reserved_phone_cipher: cipher.encrypt(reservedPhone, CARD_CONTEXTS.reservedPhone),
          reserved_phone_masked: maskPhone(reservedPhone),
          status: 'pending_review',
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') throw CustomerError.CARD_TAKEN({ field: 'cardNumber' });
    throw error;
  }
  return getMyCard(db, input.userId, id, language);
}

async function liveCards(db: Db | Trx, userId: string, cardHash: string) {
  const rows = await db
    .selectFrom('bank_cards')
    .select(['user_id', 'card_number_hash'])
    .where('status', 'in', LIVE_CARD_STATUSES)
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('card_number_hash', '=', cardHash)]))
    .execute();
  return {
    mine: rows.filter((r) => r.user_id === userId).length,
    sameNumber: rows.some((r) => r.card_number_hash === cardHash),
  };
}

/** One of the customer's cards; another customer's card or an unbound one is NOT_FOUND. */
export async function getMyCard(db: Db, userId: string, cardId: string, language: Language): Promise<CardView> {
  const row = await db
    .selectFrom('bank_cards as c')
    .select(CARD_COLUMNS)
    .where('c.id', '=', cardId)
    .where('c.user_id', '=', userId)
    .where('c.status', '<>', 'unbound')
    .executeTakeFirst();
  if (!row) throw CommonError.NOT_FOUND({ cardId });
  return view(row, language);
}

/** Move a card by one conditional update: a concurrent change makes it CARD_STATE_CONFLICT, never a double move. */
async function moveCard(
  db: Db | Trx,
  card: { id: string; status: BankCardStatus },
  action: CardAction,
  extra: { reason?: string | null; staffId?: string },
  now: Date,
  language: Language,
): Promise<BankCardStatus> {
  const transition = CARD_TRANSITIONS[action];
  const stateName = (s: BankCardStatus) => (language === 'en-US' ? CARD_STATUS_NAMES[s].en : CARD_STATUS_NAMES[s].zh);
  if (!transition.from.includes(card.status)) {
    throw CustomerError.CARD_STATE_CONFLICT({ status: stateName(card.status), cardStatus: card.status });
  }
  const to = transition.to;
  const moved = await db
    .updateTable('bank_cards')
    .set({
      status: to,
      status_reason: transition.needsReason ? (extra.reason ?? null) : null,
      updated_at: now,
      ...(extra.staffId ? { reviewed_by: extra.staffId, reviewed_at: now } : {}),
      ...(to === 'bound' ? { bound_at: now } : {}),
      ...(to === 'unbound' ? { unbound_at: now } : {}),
    })
    .where('id', '=', card.id)
    .where('status', '=', card.status)
    .returning('id')
    .executeTakeFirst();
  if (!moved) throw CustomerError.CARD_STATE_CONFLICT({ status: stateName(card.status), cardStatus: card.status });
  return to;
}

/** Unbind (or cancel) one of the customer's cards; refused while a withdrawal is pending. */
export async function unbindMyCard(
  db: Db,
  input: { userId: string; cardId: string },
  language: Language,
  now: Date = new Date(),
): Promise<{ before: BankCardStatus; after: BankCardStatus }> {
  // The card row stays locked to the end: a withdrawal being created locks it too, so one waits for the other
  // and the check below sees any withdrawal committed before it.
  return db.transaction().execute(async (trx) => {
    const card = await trx
      .selectFrom('bank_cards')
      .select(['id', 'status'])
      .where('id', '=', input.cardId)
      .where('user_id', '=', input.userId)
      .where('status', '<>', 'unbound')
      .forUpdate()
      .executeTakeFirst();
    if (!card) throw CommonError.NOT_FOUND({ cardId: input.cardId });
    if (card.status === 'bound' && (await hasPendingWithdrawal(trx, input.userId))) {
      throw CustomerError.CARD_HAS_PENDING_WITHDRAWAL();
    }
    const after = await moveCard(trx, card, 'unbind', {}, now, language);
    return { before: card.status, after };
  });
}

export interface ReviewCardView extends CardView {
  readonly customerId: string;
  readonly customerPhoneMasked: string;
  readonly holderNameMasked: string | null;
}

/** The back office's card queue: oldest first, optionally one status, with the owner masked. */
export async function listCardsForReview(
  db: Db,
  query: { status?: BankCardStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
  language: Language,
): Promise<{ items: ReviewCardView[]; nextCursor: string | null }> {
  const limit = Math.min(query.limit ?? CARD_PAGE_DEFAULT, CARD_PAGE_MAX);
  const after = parseCursor(query.cursor);
  let q = db
    .selectFrom('bank_cards as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('customer_real_names as r', 'r.user_id', 'c.user_id')
    .select([...CARD_COLUMNS, 'u.phone_masked', 'r.name_masked'])
    .orderBy('c.seq', 'asc')
    .limit(limit + 1);
  if (query.status) q = q.where('c.status', '=', query.status);
  if (after !== undefined) q = q.where('c.seq', '>', after);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      ...view(r, language),
      customerId: r.user_id,
      customerPhoneMasked: r.phone_masked,
      holderNameMasked: r.name_masked ?? null,
    })),
    nextCursor: rows.length > limit && page.length ? cursorOf(page[page.length - 1]!.seq) : null,
  };
}

/** A staff decision on a card: approve or reject the review, or record the bank's binding result. */
export async function reviewBankCard(
  db: Db,
  input: { cardId: string; staffId: string; decision: CardDecision; reason?: string | undefined },
  language: Language,
  now: Date = new Date(),
): Promise<{ card: ReviewCardView; before: BankCardStatus; after: BankCardStatus }> {
  const reason = input.reason?.trim() ?? '';
  if (CARD_TRANSITIONS[input.decision].needsReason && reason === '') {
    throw CustomerError.REVIEW_REASON_REQUIRED({ field: 'reason' });
  }
  const card = await db
    .selectFrom('bank_cards')
    .select(['id', 'status'])
    .where('id', '=', input.cardId)
    .executeTakeFirst();
  if (!card) throw CommonError.NOT_FOUND({ cardId: input.cardId });
  const after = await moveCard(
    db,
    card,
    input.decision,
    { reason: reason.slice(0, CARD_REASON_CHARS_MAX), staffId: input.staffId },
    now,
    language,
  );
  const row = await db
    .selectFrom('bank_cards as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('customer_real_names as r', 'r.user_id', 'c.user_id')
    .select([...CARD_COLUMNS, 'u.phone_masked', 'r.name_masked'])
    .where('c.id', '=', card.id)
    .executeTakeFirstOrThrow();
  return {
    card: {
      ...view(row, language),
      customerId: row.user_id,
      customerPhoneMasked: row.phone_masked,
      holderNameMasked: row.name_masked ?? null,
    },
    before: card.status,
    after,
  };
}

/**
 * Record a card that is already bound, without the SMS check and review (demo data and imports of cards bound
 * elsewhere). The number must pass the checks; the customer must be verified.
 */
export async function recordBoundCard(
  trx: Trx,
  cipher: FieldCipher,
  input: { userId: string; bankCode: string; cardNumber: string; reservedPhone: string },
  now: Date = new Date(),
): Promise<string> {
  const card = validateCardNumber(input.cardNumber);
  if (!card.ok || !findBank(input.bankCode)) throw CustomerError.CARD_NUMBER_INVALID({ field: 'cardNumber' });
  const reservedPhone = requirePhone(input.reservedPhone, 'reservedPhone');
  const id = `card_${randomUUID().replaceAll('-', '')}`;
  await trx
    .insertInto('bank_cards')
    .values({
      id,
      user_id: input.userId,
      bank_code: input.bankCode,
      card_number_cipher: cipher.encrypt(card.normalised, CARD_CONTEXTS.cardNumber),
      card_number_hash: cipher.blindIndex(card.normalised, CARD_CONTEXTS.cardNumber),
      card_number_masked: maskCardNumber(card.normalised),
      reserved_phone_cipher: cipher.encrypt(reservedPhone, CARD_CONTEXTS.reservedPhone),
      reserved_phone_masked: maskPhone(reservedPhone),
      status: 'bound',
      bound_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
