import type { Db } from '../../db/database.ts';
import { shanghaiDate } from '../../platform/clock.ts';
import { type FieldCipher, maskIdNumber, maskName } from '../../platform/crypto.ts';
import { CustomerError } from './customer.errors.ts';
import { ADULT_AGE_YEARS, isAdult, validateIdNumber } from './validators.ts';

/** Field-cipher contexts of real-name data. Never rename one: it is bound into the ciphertext and hash. */
export const REAL_NAME_CONTEXTS = {
  name: 'customer_real_name.name',
  idNumber: 'customer_real_name.id_number',
} as const;

export const NAME_CHARS_MIN = 2;
export const NAME_CHARS_MAX = 30;
/** Attempts (refused ones, as the audit log records them) a customer may make in any 24 hours. */
export const REAL_NAME_ATTEMPTS_PER_DAY_MAX = 10;
/** The audit action of each attempt (the route records it; the daily limit counts the refusals). */
export const REAL_NAME_AUDIT_ACTION = 'customer.real_name';

/** What an identity service is asked: rules have already passed (format, check digit, real date, age). */
export interface KycCheck {
  readonly name: string;
  readonly idNumber: string;
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
}

export type KycVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * A real identity service (e.g. the public-security name/ID match many vendors offer) plugs in here.
 * It must answer within its own bounded timeout; a refusal's reason is shown to the customer.
 */
export interface KycProvider {
  readonly name: string;
  verify(check: KycCheck): Promise<KycVerdict>;
}

/** The default: the platform's own rules only (GB 11643 check digit, real birth date, age ≥ 18). */
export const rulesOnlyKycProvider: KycProvider = {
  name: 'rules',
  verify: async () => ({ ok: true }),
};

/**
 * A name as on the ID card: NFKC, trimmed, inner spaces collapsed, `•` and `．` read as the middle dot used in
 * minority and foreign names (`阿依古丽·买买提`); letters (any script), combining marks, `·`, `.` and spaces only;
 * 2–30 characters.
 */
export function normaliseName(text: string): string | undefined {
  const name = text
    .normalize('NFKC')
    .replace(/[•∙・]/gu, '·')
    .replace(/\s+/gu, ' ')
    .trim();
  const chars = Array.from(name).length;
  if (chars < NAME_CHARS_MIN || chars > NAME_CHARS_MAX) return undefined;
  if (!/^[\p{L}\p{M}·. ]+$/u.test(name) || !/\p{L}/u.test(name)) return undefined;
  return name;
}

export async function realNameAttemptsToday(db: Db, userId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('actor_kind', '=', 'customer')
    .where('actor_id', '=', userId)
    .where('action', '=', REAL_NAME_AUDIT_ACTION)
    .where('outcome', '=', 'refused')
    .where('at', '>', new Date(now.getTime() - 24 * 60 * 60_000))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface RealNameView {
  readonly status: 'verified';
  readonly nameMasked: string;
  readonly idNumberMasked: string;
  readonly verifiedAt: string;
}

/**
 * Verify a customer's identity (实名认证): the name, the ID number against today's date in Asia/Shanghai
 * (format, real birth date, check digit), age ≥ 18, one ID per platform, then the KYC provider. Stored
 * encrypted, indexed by keyed hash, answered masked. Once verified it cannot be changed by the customer.
 */
export async function verifyRealName(
  db: Db,
  cipher: FieldCipher,
  kyc: KycProvider,
  input: { userId: string; name: string; idNumber: string },
  now: Date = new Date(),
): Promise<RealNameView> {
  const existing = await db
    .selectFrom('customer_real_names')
    .select('user_id')
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  if (existing) throw CustomerError.REAL_NAME_ALREADY_VERIFIED();
  if ((await realNameAttemptsToday(db, input.userId, now)) >= REAL_NAME_ATTEMPTS_PER_DAY_MAX) {
    throw CustomerError.REAL_NAME_TOO_MANY_ATTEMPTS();
  }
  const name = normaliseName(input.name);
  if (name === undefined) throw CustomerError.NAME_INVALID({ field: 'name' });
  const id = validateIdNumber(input.idNumber, shanghaiDate(now));
  if (!id.ok) throw CustomerError.ID_NUMBER_INVALID({ field: 'idNumber', reason: id.reason });
  if (!isAdult(id.ageYears)) throw CustomerError.UNDER_AGE({ field: 'idNumber', age: ADULT_AGE_YEARS });

  const idHash = cipher.blindIndex(id.normalised, REAL_NAME_CONTEXTS.idNumber);
  const taken = await db
    .selectFrom('customer_real_names')
    .select('user_id')
    .where('id_number_hash', '=', idHash)
    .executeTakeFirst();
  if (taken) throw CustomerError.ID_NUMBER_TAKEN({ field: 'idNumber' });

  const verdict = await kyc.verify({ name, idNumber: id.normalised, birthDate: id.birthDate, sex: id.sex });
  if (!verdict.ok) throw CustomerError.REAL_NAME_REJECTED({ reason: verdict.reason.slice(0, 100) });

  const view = { nameMasked: maskName(name), idNumberMasked: maskIdNumber(id.normalised) };
  try {
    await db
      .insertInto('customer_real_names')
      .values({
        user_id: input.userId,
        name_cipher: cipher.encrypt(name, REAL_NAME_CONTEXTS.name),
        name_masked: view.nameMasked,
        id_number_cipher: cipher.encrypt(id.normalised, REAL_NAME_CONTEXTS.idNumber),
        id_number_hash: idHash,
        id_number_masked: view.idNumberMasked,
        sex: id.sex,
        provider: kyc.name,
        verified_at: now,
      })
      .execute();
  } catch (error) {
    // Two requests racing: the same customer twice, or two customers with one ID number.
    if ((error as { code?: unknown }).code === '23505') {
      const mine = (error as { constraint?: string }).constraint === 'customer_real_names_pkey';
      throw mine ? CustomerError.REAL_NAME_ALREADY_VERIFIED() : CustomerError.ID_NUMBER_TAKEN({ field: 'idNumber' });
    }
    throw error;
  }
  return { status: 'verified', ...view, verifiedAt: now.toISOString() };
}
