import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import type { SessionStage } from '../../platform/auth/sessions.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { generateTotpSecret, otpauthUrl, totpQrDataUrl, verifyTotp } from '../../platform/totp.ts';
import { passwordProblems } from '../identity/validators.ts';
import { StaffError } from './staff.errors.ts';

export const STAFF_LOGIN_FAILURES_MAX = 5;
export const STAFF_LOCK_MINUTES = 15;
const TOTP_CONTEXT = 'staff.totp_secret';

export interface StaffProfile {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly mustChangePassword: boolean;
  readonly totpEnabled: boolean;
  readonly roles: readonly { code: string; nameZh: string; nameEn: string }[];
}

export async function staffProfile(db: Db, staffId: string): Promise<StaffProfile> {
  const row = await db.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow();
  const roles = await db
    .selectFrom('staff_roles as sr')
    .innerJoin('roles as r', 'r.id', 'sr.role_id')
    .select(['r.code', 'r.name_zh', 'r.name_en'])
    .where('sr.staff_id', '=', staffId)
    .orderBy('r.code')
    .execute();
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    mustChangePassword: row.must_change_password,
    totpEnabled: row.totp_enabled,
    roles: roles.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })),
  };
}

function assertStrongPassword(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length) throw StaffError.WEAK_PASSWORD({ field: 'newPassword', problems: problems.join(', ') });
}

/** Create a staff member with roles; the password is temporary unless `mustChangePassword` is false. */
export async function createStaff(
  db: Db,
  input: {
    username: string;
    displayName: string;
    password: string;
    roleCodes: readonly string[];
    mustChangePassword?: boolean;
    totpSecret?: string;
    cipher?: FieldCipher;
  },
): Promise<string> {
  assertStrongPassword(input.password);
  const id = `stf_${randomUUID()}`;
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('staff').select('id').where('username', '=', input.username).executeTakeFirst();
    if (taken) throw StaffError.USERNAME_TAKEN({ field: 'username' });
    await trx
      .insertInto('staff')
      .values({
        id,
        username: input.username,
        display_name: input.displayName,
        password_hash: passwordHash,
        must_change_password: input.mustChangePassword ?? true,
        totp_secret_cipher:
          input.totpSecret && input.cipher ? input.cipher.encrypt(input.totpSecret, TOTP_CONTEXT) : null,
        totp_enabled: Boolean(input.totpSecret && input.cipher),
      })
      .execute();
    if (input.roleCodes.length) {
      const roles = await trx
        .selectFrom('roles')
        .select('id')
        .where('code', 'in', [...input.roleCodes])
        .execute();
      await trx
        .insertInto('staff_roles')
        .values(roles.map((r) => ({ staff_id: id, role_id: r.id })))
        .execute();
    }
  });
  return id;
}

/**
 * Check a staff member's password and (once enrolled) authenticator code. Five failures lock the
 * account for 15 minutes. A code's 30-second step may be used once.
 */
export async function signInStaff(
  db: Db,
  cipher: FieldCipher,
  input: { username: string; password: string; totpCode?: string | undefined },
  now: Date = new Date(),
): Promise<{ staffId: string; stage: SessionStage }> {
  const row = await db
    .selectFrom('staff')
    .selectAll()
    .where('username', '=', input.username.trim().toLowerCase())
    .executeTakeFirst();
  if (!row) {
    await verifyPassword(await decoyHash(), input.password);
    throw StaffError.INVALID_CREDENTIALS({ username: input.username });
  }
  if (row.locked_until && row.locked_until.getTime() > now.getTime()) {
    throw StaffError.ACCOUNT_LOCKED({ minutes: Math.ceil((row.locked_until.getTime() - now.getTime()) / 60_000) });
  }
  const fail = async (error: ReturnType<typeof StaffError.INVALID_CREDENTIALS>) => {
    const failures = row.failed_logins + 1;
    const lock = failures >= STAFF_LOGIN_FAILURES_MAX;
    await db
      .updateTable('staff')
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? new Date(now.getTime() + STAFF_LOCK_MINUTES * 60_000) : row.locked_until,
      })
      .where('id', '=', row.id)
      .execute();
    throw lock ? StaffError.ACCOUNT_LOCKED({ minutes: STAFF_LOCK_MINUTES }) : error;
  };
  if (!(await verifyPassword(row.password_hash, input.password))) return fail(StaffError.INVALID_CREDENTIALS());
  if (row.status !== 'active') throw StaffError.ACCOUNT_DISABLED();
  let totpStep: bigint | null = row.totp_last_step;
  if (row.totp_enabled && row.totp_secret_cipher) {
    if (!input.totpCode) throw StaffError.TOTP_REQUIRED({ field: 'totpCode' });
    const secret = cipher.decrypt(row.totp_secret_cipher, TOTP_CONTEXT);
    const check = verifyTotp(secret, input.totpCode, now.getTime());
    if (!check.ok || (row.totp_last_step !== null && BigInt(check.step) <= row.totp_last_step)) {
      return fail(StaffError.TOTP_INVALID({ field: 'totpCode' }));
    }
    totpStep = BigInt(check.step);
  }
  await db
    .updateTable('staff')
    .set({ failed_logins: 0, locked_until: null, totp_last_step: totpStep })
    .where('id', '=', row.id)
    .execute();
  const stage: SessionStage = row.must_change_password || !row.totp_enabled ? 'setup' : 'full';
  return { staffId: row.id, stage };
}

export async function changeStaffPassword(
  db: Db,
  staffId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const row = await db
    .selectFrom('staff')
    .select(['password_hash'])
    .where('id', '=', staffId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, currentPassword)))
    throw StaffError.INVALID_CREDENTIALS({ field: 'currentPassword' });
  if (currentPassword === newPassword) throw StaffError.PASSWORD_UNCHANGED({ field: 'newPassword' });
  assertStrongPassword(newPassword);
  await db
    .updateTable('staff')
    .set({ password_hash: await hashPassword(newPassword), must_change_password: false, updated_at: new Date() })
    .where('id', '=', staffId)
    .execute();
}

/** Start authenticator enrolment: a new secret (stored encrypted, not yet active) and its QR code. */
export async function beginTotpEnrolment(
  db: Db,
  cipher: FieldCipher,
  staffId: string,
): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const row = await db
    .selectFrom('staff')
    .select(['username', 'totp_enabled'])
    .where('id', '=', staffId)
    .executeTakeFirstOrThrow();
  if (row.totp_enabled) throw StaffError.TOTP_ALREADY_ENABLED();
  const secret = generateTotpSecret();
  await db
    .updateTable('staff')
    .set({ totp_secret_cipher: cipher.encrypt(secret, TOTP_CONTEXT) })
    .where('id', '=', staffId)
    .execute();
  const url = otpauthUrl({ issuer: 'Lendhall', account: row.username, secret });
  return { secret, otpauthUrl: url, qrDataUrl: await totpQrDataUrl(url) };
}

/** Finish enrolment with a code from the authenticator app. */
export async function confirmTotpEnrolment(
  db: Db,
  cipher: FieldCipher,
  staffId: string,
  code: string,
  now: Date = new Date(),
) {
  const row = await db
    .selectFrom('staff')
    .select(['totp_enabled', 'totp_secret_cipher'])
    .where('id', '=', staffId)
    .executeTakeFirstOrThrow();
  if (row.totp_enabled) throw StaffError.TOTP_ALREADY_ENABLED();
  if (!row.totp_secret_cipher) throw StaffError.TOTP_NOT_STARTED();
  const check = verifyTotp(cipher.decrypt(row.totp_secret_cipher, TOTP_CONTEXT), code, now.getTime());
  if (!check.ok) throw StaffError.TOTP_INVALID({ field: 'code' });
  await db
    .updateTable('staff')
    .set({ totp_enabled: true, totp_last_step: BigInt(check.step), updated_at: now })
    .where('id', '=', staffId)
    .execute();
}
