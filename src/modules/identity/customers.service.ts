import { randomBytes, randomUUID } from 'node:crypto';
import type { Trx } from '../../db/database.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { type FieldCipher, maskPhone } from '../../platform/crypto.ts';
import { openCustomerAccounts } from '../ledger/index.ts';
import { validateMainlandMobile } from './validators.ts';

/** Field-cipher contexts of customer data. Never rename one: it is bound into the ciphertext and hash. */
export const CUSTOMER_CONTEXTS = {
  phone: 'user.phone',
} as const;

const REFERRAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const REFERRAL_CODE_CHARS = 8;

function referralCode(): string {
  const bytes = randomBytes(REFERRAL_CODE_CHARS);
  return Array.from(bytes, (b) => REFERRAL_ALPHABET[b % REFERRAL_ALPHABET.length]).join('');
}

/** The keyed hash used to find a customer by phone without storing it in plaintext. */
export function phoneHash(cipher: FieldCipher, phone: string): string {
  return cipher.blindIndex(phone, CUSTOMER_CONTEXTS.phone);
}

/**
 * Create a customer with their ledger accounts (cash and bonus), in the caller's transaction.
 * The phone must already be validated; it is stored encrypted, hashed for look-up, and masked for display.
 */
export async function createCustomer(
  trx: Trx,
  cipher: FieldCipher,
  input: { phone: string; password?: string; referredBy?: string | null; kind?: 'person' | 'company' },
): Promise<{ id: string; referralCode: string }> {
  const phone = validateMainlandMobile(input.phone);
  if (!phone.ok) throw new Error('createCustomer: phone must be validated by the caller');
  const id = `usr_${randomUUID().replaceAll('-', '')}`;
  const code = referralCode();
  await trx
    .insertInto('users')
    .values({
      id,
      phone_cipher: cipher.encrypt(phone.normalised, CUSTOMER_CONTEXTS.phone),
      phone_hash: phoneHash(cipher, phone.normalised),
      phone_masked: maskPhone(phone.normalised),
      password_hash: input.password ? await hashPassword(input.password) : null,
      kind: input.kind ?? 'person',
      referral_code: code,
      referred_by: input.referredBy ?? null,
    })
    .execute();
  await openCustomerAccounts(trx, id);
  return { id, referralCode: code };
}
