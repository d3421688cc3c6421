import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { CustomerError } from './customer.errors.ts';
import { createCustomer, phoneHash } from './customers.service.ts';
import { consumeSmsCode, requirePhone } from './sms-codes.service.ts';
import { passwordProblems } from './validators.ts';

export const CUSTOMER_LOGIN_FAILURES_MAX = 5;
export const CUSTOMER_LOCK_MINUTES = 15;
const REFERRAL_CODE_PATTERN = /^[A-Z0-9]{4,16}$/;

function assertStrongPassword(password: string, field: string): void {
  const problems = passwordProblems(password);
  if (problems.length) throw CustomerError.WEAK_PASSWORD({ field, problems: problems.join(', ') });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === '23505';
}

/**
 * Register a customer: the password rules and referral code are checked first, then the SMS code is used up,
 * then the customer (with ledger accounts) is created in one transaction. A phone that already has an account
 * never receives a register code (see requestSmsCode), so PHONE_TAKEN is only seen in a race.
 */
export async function registerCustomer(
  db: Db,
  cipher: FieldCipher,
  input: { phone: string; smsCode: string; password: string; referralCode?: string | undefined },
  now: Date = new Date(),
): Promise<{ userId: string }> {
  const phone = requirePhone(input.phone);
  assertStrongPassword(input.password, 'password');
  let referredBy: string | null = null;
  if (input.referralCode !== undefined && input.referralCode.trim() !== '') {
    const code = input.referralCode.trim().toUpperCase();
    const referrer = REFERRAL_CODE_PATTERN.test(code)
      ? await db.selectFrom('users').select('id').where('referral_code', '=', code).executeTakeFirst()
      : undefined;
    if (!referrer) throw CustomerError.REFERRAL_CODE_UNKNOWN({ field: 'referralCode' });
    referredBy = referrer.id;
  }
  await consumeSmsCode(db, cipher, { phone, purpose: 'register', code: input.smsCode }, now);
  try {
    return await db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('phone_hash', '=', phoneHash(cipher, phone))
        .executeTakeFirst();
      if (taken) throw CustomerError.PHONE_TAKEN({ field: 'phone' });
      const { id } = await createCustomer(trx, cipher, { phone, password: input.password, referredBy });
      return { userId: id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw CustomerError.PHONE_TAKEN({ field: 'phone' });
    throw error;
  }
}

interface LoginRow {
  id: string;
  password_hash: string | null;
  status: 'active' | 'frozen' | 'closed';
  locked_until: Date | null;
}

async function findForLogin(db: Db, cipher: FieldCipher, phone: string): Promise<LoginRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'status', 'locked_until'])
    .where('phone_hash', '=', phoneHash(cipher, phone))
    .executeTakeFirst();
  // A closed account signs in as if it did not exist.
  return row && row.status !== 'closed' ? row : undefined;
}

function lockedMinutes(row: LoginRow, now: Date): number | undefined {
  if (!row.locked_until || row.locked_until.getTime() <= now.getTime()) return undefined;
  return Math.ceil((row.locked_until.getTime() - now.getTime()) / 60_000);
}

/** Count a failed sign-in in one statement; the fifth in a row locks the account for 15 minutes. */
async function countFailure(db: Db, userId: string, now: Date): Promise<boolean> {
  const lockUntil = new Date(now.getTime() + CUSTOMER_LOCK_MINUTES * 60_000);
  const row = await db
    .updateTable('users')
    .set({
      failed_logins: sql`case when failed_logins + 1 >= ${CUSTOMER_LOGIN_FAILURES_MAX} then 0 else failed_logins + 1 end`,
      locked_until: sql`case when failed_logins + 1 >= ${CUSTOMER_LOGIN_FAILURES_MAX} then ${lockUntil}::timestamptz else locked_until end`,
    })
    .where('id', '=', userId)
    .returning('locked_until')
    .executeTakeFirst();
  return Boolean(row?.locked_until && row.locked_until.getTime() > now.getTime());
}

export type LoginMethod = 'password' | 'sms';

/**
 * Sign a customer in with a password or an SMS login code. An unknown phone costs the same password check as a
 * known one and answers the same INVALID_CREDENTIALS; five failures in a row (wrong password or wrong code)
 * lock the account for 15 minutes. A frozen customer may sign in (and read, not write; see auth.plugin.ts).
 */
export async function signInCustomer(
  db: Db,
  cipher: FieldCipher,
  input: { phone: string; password?: string | undefined; smsCode?: string | undefined },
  now: Date = new Date(),
): Promise<{ userId: string; method: LoginMethod }> {
  const hasPassword = input.password !== undefined && input.password !== '';
  const hasCode = input.smsCode !== undefined && input.smsCode !== '';
  if (hasPassword === hasCode) throw CustomerError.LOGIN_METHOD_REQUIRED({ field: 'password' });
  const phone = requirePhone(input.phone);
  const row = await findForLogin(db, cipher, phone);
  const method: LoginMethod = hasPassword ? 'password' : 'sms';

  if (row) {
    const minutes = lockedMinutes(row, now);
    if (minutes !== undefined) throw CustomerError.ACCOUNT_LOCKED({ minutes });
  }
  if (method === 'password') {
    const ok = await verifyPassword(row?.password_hash ?? (await decoyHash()), input.password ?? '');
    if (!row?.password_hash || !ok) {
      if (row && (await countFailure(db, row.id, now))) {
        throw CustomerError.ACCOUNT_LOCKED({ minutes: CUSTOMER_LOCK_MINUTES });
      }
      throw CustomerError.INVALID_CREDENTIALS();
    }
  } else {
    try {
      await consumeSmsCode(db, cipher, { phone, purpose: 'login', code: input.smsCode ?? '' }, now);
    } catch (error) {
      if (
        row &&
        error instanceof AppError &&
        error.code === 'SMS_CODE_INVALID' &&
        (await countFailure(db, row.id, now))
      ) {
        throw CustomerError.ACCOUNT_LOCKED({ minutes: CUSTOMER_LOCK_MINUTES });
      }
      throw error;
    }
    // Login codes are only ever sent to phones with an account, so a used code implies `row`.
    if (!row) throw CustomerError.SMS_CODE_INVALID({ field: 'smsCode' });
  }
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', row.id).execute();
  return { userId: row.id, method };
}

/**
 * Set a new password with a reset code. Owning the phone also lifts a lock. The caller signs out every session.
 * A phone without an account never receives a reset code, so it fails at the code like a wrong one.
 */
export async function resetCustomerPassword(
  db: Db,
  cipher: FieldCipher,
  input: { phone: string; smsCode: string; newPassword: string },
  now: Date = new Date(),
): Promise<{ userId: string }> {
  const phone = requirePhone(input.phone);
  assertStrongPassword(input.newPassword, 'newPassword');
  await consumeSmsCode(db, cipher, { phone, purpose: 'reset_password', code: input.smsCode }, now);
  const row = await findForLogin(db, cipher, phone);
  if (!row) throw CustomerError.SMS_CODE_INVALID({ field: 'smsCode' });
  await db
    .updateTable('users')
    .set({
      password_hash: await hashPassword(input.newPassword),
      failed_logins: 0,
      locked_until: null,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .execute();
  return { userId: row.id };
}

export interface CustomerProfile {
  readonly id: string;
  readonly phoneMasked: string;
  readonly kind: 'person' | 'company';
  readonly status: 'active' | 'frozen' | 'closed';
  readonly referralCode: string;
  readonly hasPassword: boolean;
  readonly createdAt: string;
  readonly realName: {
    readonly status: 'unverified' | 'verified';
    readonly nameMasked: string | null;
    readonly idNumberMasked: string | null;
    readonly verifiedAt: string | null;
  };
}

/** The customer's own profile; every sensitive field masked. */
export async function customerProfile(db: Db, userId: string): Promise<CustomerProfile> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('customer_real_names as r', 'r.user_id', 'u.id')
    .select([
      'u.id',
      'u.phone_masked',
      'u.kind',
      'u.status',
      'u.referral_code',
      'u.password_hash',
      'u.created_at',
      'r.name_masked',
      'r.id_number_masked',
      'r.verified_at',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    phoneMasked: row.phone_masked,
    kind: row.kind,
    status: row.status,
    referralCode: row.referral_code,
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at.toISOString(),
    realName: {
      status: row.verified_at ? 'verified' : 'unverified',
      nameMasked: row.name_masked ?? null,
      idNumberMasked: row.id_number_masked ?? null,
      verifiedAt: row.verified_at ? row.verified_at.toISOString() : null,
    },
  };
}
