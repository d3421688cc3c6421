import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import { assert } from './errors.ts';

/**
 * Time-based one-time passwords (RFC 6238) for the staff second factor, as authenticator apps expect
 * them by default: HMAC-SHA1, 6 digits, 30-second steps. The secret is base32 (RFC 4648, no padding).
 * Store the secret encrypted (FieldCipher) and remember the last accepted step per staff member, so a
 * code seen once cannot be replayed within its window.
 */

export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;
export const TOTP_SECRET_BYTES = 20;
/** The largest verification window allowed, in steps either side of now. */
export const TOTP_WINDOW_STEPS_MAX = 5;
/** Bound on a secret's base32 length (a 20-byte secret is 32 characters). */
const SECRET_BASE32_CHARS_MAX = 128;
/** Bound on the otpauth URL turned into a QR code. */
export const TOTP_URL_CHARS_MAX = 512;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decode RFC 4648 base32. Case, spaces, hyphens and trailing `=` padding are tolerated (people copy
 * secrets by hand); any other character, a length no encoding can have, or a final character with stray
 * bits makes it return undefined.
 */
export function base32Decode(text: string): Buffer | undefined {
  const cleaned = text
    .replace(/[\s-]+/g, '')
    .replace(/=+$/, '')
    .toUpperCase();
  // Lengths mod 8 of 1, 3 and 6 cannot come from whole bytes.
  if ([1, 3, 6].includes(cleaned.length % 8)) return undefined;
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of cleaned) {
    const value = BASE32_ALPHABET.indexOf(ch);
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return Buffer.from(out);
}

/** A new secret: 20 random bytes (the RFC 4226 recommended length for SHA-1) as base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(TOTP_SECRET_BYTES));
}

function secretKey(secretBase32: string): Buffer {
  assert(secretBase32.length <= SECRET_BASE32_CHARS_MAX, 'TOTP secret is too long');
  const key = base32Decode(secretBase32);
  assert(key !== undefined && key.length > 0, 'TOTP secret must be non-empty base32');
  return key;
}

/** The 30-second step that contains the instant `atMs` (milliseconds since the Unix epoch). */
export function totpStep(atMs: number): number {
  assert(Number.isSafeInteger(atMs) && atMs >= 0, `TOTP time must be a non-negative whole number of ms: ${atMs}`);
  return Math.floor(atMs / 1000 / TOTP_STEP_SECONDS);
}

/** RFC 4226 HOTP value of one counter: HMAC-SHA1, dynamic truncation, 6 digits. */
function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/** The code an authenticator shows at `atMs` for this secret. */
export function totpCode(secretBase32: string, atMs: number): string {
  return hotp(secretKey(secretBase32), totpStep(atMs));
}

export type TotpVerification = { readonly ok: true; readonly step: number } | { readonly ok: false };

/**
 * Check a code typed at `atMs` against the steps from `window` before to `window` after the current one
 * (clock drift and typing time). Each comparison is constant-time. On success returns the step that
 * matched; the caller must refuse it unless it is greater than the last step it accepted for this
 * secret (replay protection), and then store it. Spaces in the code are ignored ("123 456").
 */
export function verifyTotp(secretBase32: string, code: string, atMs: number, window = 1): TotpVerification {
  assert(
    Number.isSafeInteger(window) && window >= 0 && window <= TOTP_WINDOW_STEPS_MAX,
    `TOTP window must be 0..${TOTP_WINDOW_STEPS_MAX} steps`,
  );
  const key = secretKey(secretBase32);
  const now = totpStep(atMs);
  const typed = code.length <= 32 ? code.replace(/\s+/g, '') : '';
  if (!/^\d{6}$/.test(typed)) return { ok: false };
  const typedBytes = Buffer.from(typed, 'ascii');
  // Nearest steps first, so the current step wins if two steps happen to share a code.
  for (let distance = 0; distance <= window; distance++) {
    for (const step of distance === 0 ? [now] : [now - distance, now + distance]) {
      if (step < 0) continue;
      if (timingSafeEqual(Buffer.from(hotp(key, step), 'ascii'), typedBytes)) return { ok: true, step };
    }
  }
  return { ok: false };
}

export interface OtpauthUrlInput {
  readonly issuer: string;
  /** What the authenticator app shows under the issuer, e.g. the staff login name. */
  readonly account: string;
  readonly secret: string;
}

/**
 * The `otpauth://totp/...` key URI that authenticator apps read from a QR code:
 * `otpauth://totp/Lendhall:alice?secret=...&issuer=Lendhall&algorithm=SHA1&digits=6&period=30`.
 */
export function otpauthUrl(input: OtpauthUrlInput): string {
  const { issuer, account, secret } = input;
  assert(issuer.trim() !== '' && !issuer.includes(':'), 'TOTP issuer must be non-empty and contain no colon');
  assert(account.trim() !== '' && !account.includes(':'), 'TOTP account must be non-empty and contain no colon');
  secretKey(secret);
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const secretParam = secret
    .replace(/[\s-]+/g, '')
    .replace(/=+$/, '')
    .toUpperCase();
  const query = [
    `secret=${secretParam}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_STEP_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

/** QR rendering: pixels per module (a ~100-character URL gives a QR of about 270 px) and quiet zone. */
export const TOTP_QR_PIXELS_PER_MODULE = 6;
export const TOTP_QR_MARGIN_MODULES = 2;

/** A PNG data URL (`data:image/png;base64,...`) of a QR code for the otpauth URL, for enrolment. */
export async function totpQrDataUrl(url: string): Promise<string> {
  assert(url.startsWith('otpauth://'), 'a TOTP QR code encodes an otpauth:// URL');
  assert(url.length <= TOTP_URL_CHARS_MAX, `otpauth URL is longer than ${TOTP_URL_CHARS_MAX} characters`);
  return QRCode.toDataURL(url, {
    type: 'image/png',
    errorCorrectionLevel: 'M',
    margin: TOTP_QR_MARGIN_MODULES,
    scale: TOTP_QR_PIXELS_PER_MODULE,
  });
}
