import type { Db } from '../../db/database.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { phoneHash } from '../identity/customers.service.ts';
import { validateMainlandMobile } from '../identity/validators.ts';
import { BackofficeError } from './backoffice.errors.ts';
import { cursorTime, decodeTimeCursor, encodeTimeCursor, olderThan, pageOf } from './cursor.ts';

export interface SmsOutboxEntry {
  readonly id: string;
  readonly phoneMasked: string;
  readonly purpose: string;
  /** The text with every run of 4–8 digits starred: staff must not read live verification codes. */
  readonly body: string;
  readonly provider: string;
  readonly status: 'queued' | 'sent' | 'failed';
  readonly error: string | null;
  readonly createdAt: Date;
}

/** Star codes in a message so a reader of the outbox cannot use them (`验证码 123456` → `验证码 ******`). */
export function maskCodes(body: string): string {
  return body.replace(/(?<!\d)\d{4,8}(?!\d)/g, (digits) => '*'.repeat(digits.length));
}

/** Messages sent (or tried) newest first; `phone` finds one number's messages by its keyed hash. */
export async function listSmsOutbox(
  db: Db,
  cipher: FieldCipher,
  query: {
    phone?: string | undefined;
    purpose?: string | undefined;
    status?: 'queued' | 'sent' | 'failed' | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: SmsOutboxEntry[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('sms_messages')
    .select([
      'id',
      'phone_masked',
      'purpose',
      'body',
      'provider',
      'status',
      'error',
      'created_at',
      cursorTime('created_at').as('cursor_at'),
    ]);
  if (query.phone?.trim()) {
    const phone = validateMainlandMobile(query.phone);
    if (!phone.ok) throw BackofficeError.SEARCH_TERM_UNRECOGNISED({ field: 'phone' });
    q = q.where('phone_hash', '=', phoneHash(cipher, phone.normalised));
  }
  if (query.purpose) q = q.where('purpose', '=', query.purpose);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.cursor) q = q.where(olderThan('created_at', 'id', decodeTimeCursor(query.cursor)));
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = pageOf(rows, query.limit, (r) => encodeTimeCursor(r.cursor_at, r.id));
  return {
    items: page.items.map((r) => ({
      id: r.id,
      phoneMasked: r.phone_masked,
      purpose: r.purpose,
      body: maskCodes(r.body),
      provider: r.provider,
      status: r.status,
      error: r.error,
      createdAt: r.created_at,
    })),
    nextCursor: page.nextCursor,
  };
}
