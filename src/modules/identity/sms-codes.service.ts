import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { assert } from '../../platform/errors.ts';
import { CustomerError } from './customer.errors.ts';
import { phoneHash } from './customers.service.ts';
import type { SmsProvider, SmsPurpose } from './sms.provider.ts';
import { validateMainlandMobile } from './validators.ts';

export const SMS_CODE_DIGITS = 6;
export const SMS_CODE_TTL_MS = 5 * 60_000;
/** Wrong entries a code survives; after that it is dead and a new one must be requested. */
export const SMS_CODE_ATTEMPTS_MAX = 5;
/** One request per phone per minute, whatever the purpose. */
export const SMS_PHONE_INTERVAL_MS = 60_000;
/** Requests per phone in any 24 hours (a rolling window, not the calendar day). */
export const SMS_PHONE_PER_DAY_MAX = 10;
export const SMS_PHONE_DAY_WINDOW_MS = 24 * 60 * 60_000;
/** Requests per client IP in any hour. */
export const SMS_IP_PER_HOUR_MAX = 20;
export const SMS_IP_WINDOW_MS = 60 * 60_000;

/** Field-cipher context of the keyed code hash: a leaked table does not give the codes away. */
const SMS_CODE_CONTEXT = 'sms_code';

/** Purposes that only a signed-in customer may ask for. */
export const SIGNED_IN_PURPOSES: ReadonlySet<SmsPurpose> = new Set(['withdraw', 'bind_card']);

const PURPOSE_TEXT: Record<SmsPurpose, string> = {
  register: '注册',
  login: '登录',
  reset_password: '找回密码',
  withdraw: '提现',
  bind_card: '绑定银行卡',
};

function codeText(purpose: SmsPurpose, code: string): string {
  return `【借贷厅】您的${PURPOSE_TEXT[purpose]}验证码是 ${code}，5 分钟内有效。请勿泄露给他人。`;
}

/** Sent instead of a code when someone asks to register a phone that already has an account. */
const REGISTERED_NOTICE =
  '【借贷厅】有人尝试用您的手机号注册。该号码已注册，如忘记密码请使用“找回密码”。如非本人操作请忽略。';

function codeHash(cipher: FieldCipher, codeId: string, code: string): string {
  return cipher.blindIndex(`${codeId}:${code}`, SMS_CODE_CONTEXT);
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A validated, normalised mainland mobile number, or PHONE_INVALID naming the field. */
export function requirePhone(text: string, field = 'phone'): string {
  const result = validateMainlandMobile(text);
  if (!result.ok) throw CustomerError.PHONE_INVALID({ field });
  return result.normalised;
}

export interface SmsCodeRequest {
  readonly phone: string;
  readonly purpose: SmsPurpose;
  readonly ip: string | null;
  /** The signed-in customer, required for `withdraw` and `bind_card`. */
  readonly customerId?: string | null;
}

export interface SmsCodeAccepted {
  readonly expiresInSeconds: number;
  readonly resendAfterSeconds: number;
}

/**
 * Accept a code request and send the code. The answer is the same whether or not the phone has an account:
 * - `login`, `reset_password` to a phone without an account: nothing is sent;
 * - `register` to a phone that has an account: a notice without a code is sent (only the owner reads it);
 * - `withdraw` goes only to the customer's own phone; `bind_card` to the card's reserved phone.
 * Every accepted request is a row in `sms_codes` (the rate-limit record), sent or not, so the limits cannot
 * tell registered phones from others either. Limits: 1 per phone per minute, 10 per phone per 24 hours,
 * 20 per IP per hour; checked under a per-phone lock so two concurrent requests cannot both pass.
 */
export async function requestSmsCode(
  db: Db,
  cipher: FieldCipher,
  provider: SmsProvider,
  input: SmsCodeRequest,
  now: Date = new Date(),
): Promise<SmsCodeAccepted> {
  const phone = requirePhone(input.phone);
  const hash = phoneHash(cipher, phone);
  const account = await db
    .selectFrom('users')
    .select(['id', 'phone_hash', 'status'])
    .where('phone_hash', '=', hash)
    .executeTakeFirst();
  const hasAccount = account !== undefined && account.status !== 'closed';

  if (SIGNED_IN_PURPOSES.has(input.purpose)) {
    assert(input.customerId, `sms purpose ${input.purpose} needs a signed-in customer`);
    if (input.purpose === 'withdraw' && account?.id !== input.customerId) {
      throw CustomerError.SMS_PHONE_MISMATCH({ field: 'phone' });
    }
  }
  const delivery: 'code' | 'notice' | 'none' =
    input.purpose === 'register'
      ? hasAccount
        ? 'notice'
        : 'code'
      : input.purpose === 'login' || input.purpose === 'reset_password'
        ? hasAccount
          ? 'code'
          : 'none'
        : 'code';

  const code = String(randomInt(0, 10 ** SMS_CODE_DIGITS)).padStart(SMS_CODE_DIGITS, '0');
  const id = `smc_${randomUUID().replaceAll('-', '')}`;
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`sms:${hash}`}, 0))`.execute(trx);
    if (input.ip) {
      const byIp = await trx
        .selectFrom('sms_codes')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('ip', '=', input.ip)
        .where('created_at', '>', new Date(now.getTime() - SMS_IP_WINDOW_MS))
        .executeTakeFirstOrThrow();
      if (Number(byIp.n) >= SMS_IP_PER_HOUR_MAX) throw CustomerError.SMS_IP_LIMIT();
    }
    const byPhone = await trx
      .selectFrom('sms_codes')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('created_at').as('latest')])
      .where('phone_hash', '=', hash)
      .where('created_at', '>', new Date(now.getTime() - SMS_PHONE_DAY_WINDOW_MS))
      .executeTakeFirstOrThrow();
    const latest = byPhone.latest ? new Date(byPhone.latest as Date | string) : undefined;
    if (latest && now.getTime() - latest.getTime() < SMS_PHONE_INTERVAL_MS) {
      const seconds = Math.ceil((SMS_PHONE_INTERVAL_MS - (now.getTime() - latest.getTime())) / 1000);
      throw CustomerError.SMS_TOO_FREQUENT({ seconds, retryAfterSeconds: seconds });
    }
    if (Number(byPhone.n) >= SMS_PHONE_PER_DAY_MAX) throw CustomerError.SMS_DAILY_LIMIT();
    await trx
      .insertInto('sms_codes')
      .values({
        id,
        phone_hash: hash,
        purpose: input.purpose,
        code_hash: codeHash(cipher, id, code),
        expires_at: new Date(now.getTime() + SMS_CODE_TTL_MS),
        created_at: now,
        ip: input.ip,
        delivery,
      })
      .execute();
  });

  if (delivery !== 'none') {
    const body = delivery === 'code' ? codeText(input.purpose, code) : REGISTERED_NOTICE;
    const redactedBody = delivery === 'code' ? codeText(input.purpose, '*'.repeat(SMS_CODE_DIGITS)) : body;
    const sent = await provider.send(db, { phone, purpose: input.purpose, body, redactedBody, ip: input.ip });
    if (!sent.ok) throw CustomerError.SMS_SEND_FAILED();
  }
  return { expiresInSeconds: SMS_CODE_TTL_MS / 1000, resendAfterSeconds: SMS_PHONE_INTERVAL_MS / 1000 };
}

/**
 * Check and use up a code: only the latest code of the phone and purpose counts; it must be unused, unexpired
 * and have had fewer than 5 wrong entries. A wrong entry is counted at once (outside any transaction of the
 * caller, so a refusal cannot roll it back); a right one is marked used by one conditional update, so two
 * requests racing with the same code cannot both succeed. Call it after every cheaper check of the request,
 * just before the change it authorises.
 */
export async function consumeSmsCode(
  db: Db,
  cipher: FieldCipher,
  input: { phone: string; purpose: SmsPurpose; code: string },
  now: Date = new Date(),
): Promise<void> {
  const hash = phoneHash(cipher, input.phone);
  const row = await db
    .selectFrom('sms_codes')
    .select(['id', 'code_hash', 'attempts', 'expires_at', 'used_at'])
    .where('phone_hash', '=', hash)
    .where('purpose', '=', input.purpose)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.used_at !== null) throw CustomerError.SMS_CODE_INVALID({ field: 'smsCode' });
  if (row.expires_at.getTime() <= now.getTime()) throw CustomerError.SMS_CODE_EXPIRED({ field: 'smsCode' });
  if (row.attempts >= SMS_CODE_ATTEMPTS_MAX) throw CustomerError.SMS_CODE_TOO_MANY_ATTEMPTS({ field: 'smsCode' });

  const right = /^\d{6}$/.test(input.code) && sameHex(row.code_hash, codeHash(cipher, row.id, input.code));
  if (!right) {
    const counted = await db
      .updateTable('sms_codes')
      .set({ attempts: sql`attempts + 1` })
      .where('id', '=', row.id)
      .where('attempts', '<', SMS_CODE_ATTEMPTS_MAX)
      .returning('attempts')
      .executeTakeFirst();
    if (!counted) throw CustomerError.SMS_CODE_TOO_MANY_ATTEMPTS({ field: 'smsCode' });
    throw CustomerError.SMS_CODE_INVALID({
      field: 'smsCode',
      attemptsLeft: Math.max(0, SMS_CODE_ATTEMPTS_MAX - counted.attempts),
    });
  }
  const used = await db
    .updateTable('sms_codes')
    .set({ used_at: now })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .where('attempts', '<', SMS_CODE_ATTEMPTS_MAX)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  if (!used) throw CustomerError.SMS_CODE_INVALID({ field: 'smsCode' });
}
