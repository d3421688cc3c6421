import type { Db, Trx } from '../../db/database.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { CommonError, defineErrors } from '../../platform/errors.ts';
import type { Language } from '../../platform/i18n.ts';
import { findBank } from './bank-card.ts';
import { CUSTOMER_CONTEXTS } from './customers.service.ts';
import type { SmsProvider } from './sms.provider.ts';
import { consumeSmsCode, requestSmsCode, type SmsCodeAccepted } from './sms-codes.service.ts';

export const WithdrawalCardError = defineErrors({
  WITHDRAW_CARD_NOT_BOUND: {
    status: 422,
    zh: '该银行卡尚未绑定成功，不能用于提现',
    en: 'This card is not bound yet and cannot receive withdrawals',
  },
});

/**
 * What the payments module needs from identity to withdraw: the code sent to the account's own phone
 * (purpose `withdraw`), and the customer's bound card, locked so it cannot be unbound under a new withdrawal.
 */

async function accountPhone(db: Db, cipher: FieldCipher, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select('phone_cipher').where('id', '=', userId).executeTakeFirst();
  if (!row) throw CommonError.NOT_FOUND({ userId });
  return cipher.decrypt(row.phone_cipher, CUSTOMER_CONTEXTS.phone);
}

/** Send a withdrawal code to the signed-in customer's own phone (the usual SMS limits apply). */
export async function sendWithdrawCode(
  db: Db,
  cipher: FieldCipher,
  provider: SmsProvider,
  input: { userId: string; ip: string | null },
  now: Date = new Date(),
): Promise<SmsCodeAccepted> {
  const phone = await accountPhone(db, cipher, input.userId);
  return requestSmsCode(
    db,
    cipher,
    provider,
    { phone, purpose: 'withdraw', ip: input.ip, customerId: input.userId },
    now,
  );
}

/**
 * Check and use up the customer's withdrawal code. Runs outside any transaction of the caller (a wrong entry
 * is counted even when the request then fails), so call it after every cheaper check and before the change.
 */
export async function consumeWithdrawCode(
  db: Db,
  cipher: FieldCipher,
  input: { userId: string; code: string },
  now: Date = new Date(),
): Promise<void> {
  const phone = await accountPhone(db, cipher, input.userId);
  await consumeSmsCode(db, cipher, { phone, purpose: 'withdraw', code: input.code }, now);
}

export interface WithdrawalCard {
  readonly id: string;
  readonly bankCode: string;
  readonly bankName: string;
  readonly cardNumberMasked: string;
}

/**
 * The customer's card to withdraw to. Another customer's card, an unknown or an unbound one is NOT_FOUND;
 * one still in review or binding is WITHDRAW_CARD_NOT_BOUND. With `lock` (inside the withdrawal's
 * transaction) the row stays locked to the end, so an unbind waits and then sees the new withdrawal.
 */
export async function findWithdrawalCard(
  db: Db | Trx,
  input: { userId: string; cardId: string; lock?: boolean },
  language: Language,
): Promise<WithdrawalCard> {
  let q = db
    .selectFrom('bank_cards')
    .select(['id', 'bank_code', 'card_number_masked', 'status'])
    .where('id', '=', input.cardId)
    .where('user_id', '=', input.userId)
    .where('status', '<>', 'unbound');
  if (input.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw CommonError.NOT_FOUND({ field: 'bankCardId', bankCardId: input.cardId });
  if (row.status !== 'bound') throw WithdrawalCardError.WITHDRAW_CARD_NOT_BOUND({ field: 'bankCardId' });
  const bank = findBank(row.bank_code);
  return {
    id: row.id,
    bankCode: row.bank_code,
    bankName: bank ? (language === 'en-US' ? bank.name.en : bank.name.zh) : row.bank_code,
    cardNumberMasked: row.card_number_masked,
  };
}

/** The display of any card of the customer's, whatever its state now (for past withdrawals). */
export async function describeCards(
  db: Db,
  cardIds: readonly string[],
  language: Language,
): Promise<Map<string, WithdrawalCard>> {
  if (cardIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('bank_cards')
    .select(['id', 'bank_code', 'card_number_masked'])
    .where('id', 'in', [...new Set(cardIds)])
    .execute();
  return new Map(
    rows.map((row) => {
      const bank = findBank(row.bank_code);
      return [
        row.id,
        {
          id: row.id,
          bankCode: row.bank_code,
          bankName: bank ? (language === 'en-US' ? bank.name.en : bank.name.zh) : row.bank_code,
          cardNumberMasked: row.card_number_masked,
        },
      ];
    }),
  );
}
