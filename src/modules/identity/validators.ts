import type { LocalizedText } from '../../platform/i18n.ts';

/**
 * Validators for identity data. Pure (no Node-only APIs) so the web app imports this same file and shows
 * the same verdict before submit that the server gives after.
 */

// ---------------------------------------------------------------------------------------------------
// PRC resident identity card number (GB 11643-1999): 6-digit area code, 8-digit birth date YYYYMMDD,
// 3-digit sequence (odd: male, even: female), check character by ISO 7064 MOD 11-2.

export const ADULT_AGE_YEARS = 18;
/** Birth dates before this are refused as implausible. */
const BIRTH_DATE_MIN = '1900-01-01';
const ID_NUMBER_PATTERN = /^\d{17}[\dX]$/;
/** Weight of position i is 2^(17−i) mod 11. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character indexed by the weighted sum mod 11. */
const ID_CHECK_CHARS = '10X98765432';

export type IdNumberResult =
  | {
      readonly ok: true;
      /** Trimmed, with a lower-case `x` made upper case. */
      readonly normalised: string;
      /** YYYY-MM-DD. */
      readonly birthDate: string;
      readonly sex: 'male' | 'female';
      /** Completed years on `today`. */
      readonly ageYears: number;
    }
  | { readonly ok: false; readonly reason: 'format' | 'birth_date' | 'check_digit' };

/** The check character of the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idNumberCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A real calendar date from YYYY, MM and DD digit strings, or undefined. */
function calendarDate(yyyy: string, mm: string, dd: string): CalendarDate | undefined {
  const year = Number(yyyy);
  const month = Number(mm);
  const day = Number(dd);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function parseToday(today: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const date = match ? calendarDate(match[1]!, match[2]!, match[3]!) : undefined;
  if (date === undefined) throw new RangeError(`today must be a real date as YYYY-MM-DD, got "${today}"`);
  return date;
}

/** Completed years from `birth` to `on` (a person born on 29 February turns a year older on 1 March). */
function completedYears(birth: CalendarDate, on: CalendarDate): number {
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}

/**
 * Validate an 18-character resident ID number against `today` (YYYY-MM-DD in Asia/Shanghai, from the
 * platform clock). Surrounding whitespace is ignored and a trailing `x` accepted as `X`. Checks, in order:
 * the format, a real birth date from 1900-01-01 to today, and the MOD 11-2 check character.
 * Throws a RangeError when `today` is not a real YYYY-MM-DD date (a programmer error).
 */
export function validateIdNumber(text: string, today: string): IdNumberResult {
  const on = parseToday(today);
  const normalised = text.normalize('NFKC').trim().toUpperCase();
  if (!ID_NUMBER_PATTERN.test(normalised)) return { ok: false, reason: 'format' };
  const birth = calendarDate(normalised.slice(6, 10), normalised.slice(10, 12), normalised.slice(12, 14));
  if (birth === undefined) return { ok: false, reason: 'birth_date' };
  const birthDate = `${normalised.slice(6, 10)}-${normalised.slice(10, 12)}-${normalised.slice(12, 14)}`;
  // YYYY-MM-DD strings compare in date order.
  if (birthDate < BIRTH_DATE_MIN || birthDate > today) return { ok: false, reason: 'birth_date' };
  if (idNumberCheckChar(normalised.slice(0, 17)) !== normalised[17]) return { ok: false, reason: 'check_digit' };
  return {
    ok: true,
    normalised,
    birthDate,
    sex: Number(normalised[16]) % 2 === 1 ? 'male' : 'female',
    ageYears: completedYears(birth, on),
  };
}

export function isAdult(ageYears: number): boolean {
  return ageYears >= ADULT_AGE_YEARS;
}

// ---------------------------------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015): 18 characters from 0-9 and A-Z without I, O, Z, S, V;
// the 18th is a check character over the first 17 (weights 3^i mod 31, check = 31 − sum mod 31).

/** The code's alphabet; a character's value is its index. */
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const CREDIT_CODE_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export type CreditCodeResult =
  | { readonly ok: true; readonly normalised: string }
  | { readonly ok: false; readonly reason: 'format' | 'check_digit' };

/** The check character of the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) {
    throw new RangeError('creditCodeCheckChar needs exactly 17 characters of the credit code alphabet');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Validate a unified social credit code; surrounding whitespace is ignored, lower and full-width case accepted. */
export function validateCreditCode(text: string): CreditCodeResult {
  const normalised = text.normalize('NFKC').trim().toUpperCase();
  if (!CREDIT_CODE_PATTERN.test(normalised)) return { ok: false, reason: 'format' };
  if (creditCodeCheckChar(normalised.slice(0, 17)) !== normalised[17]) return { ok: false, reason: 'check_digit' };
  return { ok: true, normalised };
}

// ---------------------------------------------------------------------------------------------------
// Bank card numbers: 12 to 19 digits with a Luhn (mod 10) check digit.

export const CARD_DIGITS_MIN = 12;
export const CARD_DIGITS_MAX = 19;

/** The Luhn check over a string of ASCII digits; false for anything else, including an empty string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit counting from the rightmost (the check digit itself is not doubled).
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export type CardNumberResult =
  | { readonly ok: true; readonly normalised: string }
  | { readonly ok: false; readonly reason: 'format' | 'check_digit' };

/** Validate a bank card number: full-width digits read as ASCII, whitespace removed, 12–19 digits, Luhn. */
export function validateCardNumber(text: string): CardNumberResult {
  const normalised = text.normalize('NFKC').replace(/\s+/gu, '');
  if (!/^\d+$/.test(normalised) || normalised.length < CARD_DIGITS_MIN || normalised.length > CARD_DIGITS_MAX) {
    return { ok: false, reason: 'format' };
  }
  if (!luhnValid(normalised)) return { ok: false, reason: 'check_digit' };
  return { ok: true, normalised };
}

// ---------------------------------------------------------------------------------------------------
// Mainland China mobile numbers.

/**
 * Strip whitespace and hyphens, turn full-width digits and `＋` into ASCII, and drop a `+86`, `0086` or
 * `86` country prefix in front of an 11-digit number starting with 1. Anything else is returned as it is
 * after that cleaning (validation decides).
 */
export function normalisePhone(text: string): string {
  const cleaned = text.normalize('NFKC').replace(/[\s-]+/gu, '');
  return cleaned.replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '');
}

export type MobileResult =
  | { readonly ok: true; readonly normalised: string }
  | { readonly ok: false; readonly reason: 'format' };

/** Validate a mainland mobile number (after normalisePhone): 11 digits, starting with 13 to 19. */
export function validateMainlandMobile(text: string): MobileResult {
  const normalised = normalisePhone(text);
  if (!/^1[3-9]\d{9}$/.test(normalised)) return { ok: false, reason: 'format' };
  return { ok: true, normalised };
}

// ---------------------------------------------------------------------------------------------------
// Passwords.

export const PASSWORD_CHARS_MIN = 8;
export const PASSWORD_CHARS_MAX = 64;

export type PasswordProblem = 'too_short' | 'too_long' | 'needs_letter' | 'needs_digit' | 'common';

/** The rule, shown next to the password field before submit. */
export const PASSWORD_RULES: LocalizedText = {
  zh: `密码长度 ${PASSWORD_CHARS_MIN}–${PASSWORD_CHARS_MAX} 位，至少包含一个字母和一个数字，且不能是常见密码`,
  en: `${PASSWORD_CHARS_MIN}–${PASSWORD_CHARS_MAX} characters, with at least one letter and one digit, and not a common password`,
};

/** A message for each problem, so the web can say exactly what is wrong. */
export const PASSWORD_PROBLEM_TEXT: Readonly<Record<PasswordProblem, LocalizedText>> = {
  too_short: { zh: `密码至少 ${PASSWORD_CHARS_MIN} 位`, en: `At least ${PASSWORD_CHARS_MIN} characters` },
  too_long: { zh: `密码最多 ${PASSWORD_CHARS_MAX} 位`, en: `At most ${PASSWORD_CHARS_MAX} characters` },
  needs_letter: { zh: '密码需包含至少一个字母', en: 'Include at least one letter' },
  needs_digit: { zh: '密码需包含至少一个数字', en: 'Include at least one digit' },
  common: { zh: '这是常见密码，容易被猜到，请换一个', en: 'This is a common password that is easy to guess' },
};

/**
 * The most common passwords (lower case) that would otherwise pass the length, letter and digit rules,
 * from published leak statistics, Chinese sites included. Compared case-insensitively.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password1',
  'password12',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword1',
  'abc12345',
  'abc123456',
  'abcd1234',
  'abcd12345',
  'a1234567',
  'a12345678',
  'a123456789',
  'aa123456',
  'aa12345678',
  'qq123456',
  'qwe12345',
  'qwe123456',
  'qwer1234',
  'qwerty12',
  'qwerty123',
  'qwerty1234',
  'qwertyuiop1',
  'asd12345',
  'asd123456',
  'asdf1234',
  'zxc12345',
  'zxc123456',
  'zxcv1234',
  'zxcvbnm1',
  'zxcvbnm123',
  '1qaz2wsx',
  '1qaz2wsx3edc',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'q1w2e3r4',
  'q1w2e3r4t5',
  '123qweasd',
  '123qweasdzxc',
  'qweasd123',
  '12345abc',
  '123456ab',
  '123456abc',
  '12345678a',
  '123456789a',
  '12345qwert',
  'iloveyou1',
  'iloveyou123',
  'woaini1314',
  'woaini520',
  'woaini123',
  '5201314a',
  'a5201314',
  'admin123',
  'admin1234',
  'admin12345',
  'administrator1',
  'root1234',
  'test1234',
  'welcome1',
  'welcome123',
  'letmein1',
  'sunshine1',
  'princess1',
  'football1',
  'baseball1',
  'monkey123',
  'dragon123',
  'master123',
  'superman1',
  'trustno1',
  'changeme1',
  'lendhall1',
  'lendhall123',
]);

/**
 * Every rule the password breaks (empty when it is acceptable). Lengths count Unicode code points of the
 * password as typed; the letter, digit and common-password checks read it in NFKC form, so a full-width
 * `１` counts as a digit and `ｐａｓｓｗｏｒｄ１` as `password1`.
 */
export function passwordProblems(password: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  // A UTF-16 length over twice the maximum is over the maximum in code points too: don't split huge input.
  const chars = password.length > 2 * PASSWORD_CHARS_MAX ? Number.POSITIVE_INFINITY : Array.from(password).length;
  if (chars < PASSWORD_CHARS_MIN) problems.push('too_short');
  if (chars > PASSWORD_CHARS_MAX) problems.push('too_long');
  const folded = password.normalize('NFKC');
  if (!/\p{L}/u.test(folded)) problems.push('needs_letter');
  if (!/[0-9]/.test(folded)) problems.push('needs_digit');
  if (COMMON_PASSWORDS.has(folded.toLowerCase())) problems.push('common');
  return problems;
}
