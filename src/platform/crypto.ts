import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.ts';
import { assert } from './errors.ts';

/**
 * Protection of sensitive personal data at rest (ID numbers, bank card numbers, phone numbers).
 *
 * - One 32-byte master key (`DATA_ENCRYPTION_KEY`, or a development key generated into the data folder).
 * - Two subkeys derived from it with HKDF-SHA256: one for AES-256-GCM field encryption, one for the
 *   blind index (HMAC-SHA256), so a leak of index values says nothing about the encryption key.
 * - Each encrypted field is bound to its context (e.g. `user.id_number`) as additional authenticated
 *   data: a ciphertext copied into another column or table does not decrypt there.
 * - Ciphertexts are `v1.<nonce b64url>.<ciphertext+tag b64url>`; the version prefix names the format and
 *   key generation, so a later rotation can add `v2` (a new key) while `v1` values are still readable.
 */

export const DATA_KEY_ENV = 'DATA_ENCRYPTION_KEY';
export const DATA_KEY_BYTES = 32;
/** Where the development key lives, relative to the data folder. */
export const DATA_KEY_FILE = path.join('secrets', 'data-key');

const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;
/** Fields are short (ID, card, phone, name, TOTP secret); anything larger is a programmer error. */
export const FIELD_PLAINTEXT_BYTES_MAX = 4096;
/** Longest ciphertext `decrypt` looks at: the encoding of FIELD_PLAINTEXT_BYTES_MAX plus framing. */
const FIELD_CIPHERTEXT_CHARS_MAX = 3 + 16 + 1 + Math.ceil(((FIELD_PLAINTEXT_BYTES_MAX + GCM_TAG_BYTES) * 4) / 3);
const FORMAT_V1 = 'v1';
/** A context names the field it protects: letters, digits and `._:-`, e.g. `user.id_number`. */
const CONTEXT_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;
const BASE64_KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

const HKDF_SALT = Buffer.from('lendhall/data-key', 'utf8');
const HKDF_INFO_ENCRYPTION = 'lendhall/field-encryption/v1';
const HKDF_INFO_BLIND_INDEX = 'lendhall/blind-index/v1';

export interface LoadDataKeyOptions {
  /** The raw value of DATA_ENCRYPTION_KEY (undefined or blank means unset). */
  readonly envValue: string | undefined;
  /** The platform's data folder; the development key is kept in `<dataDir>/secrets/data-key`. */
  readonly dataDir: string;
  /** Whether a missing key may be read from or generated into the data folder (not in production). */
  readonly allowGenerate: boolean;
}

function parseBase64Key(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = BASE64_KEY_PATTERN.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  // The round trip rejects non-canonical encodings (stray bits in the last character).
  if (key === undefined || key.length !== DATA_KEY_BYTES || key.toString('base64') !== trimmed) {
    throw new ConfigError(
      DATA_KEY_ENV,
      `${source} must be the base64 encoding of exactly ${DATA_KEY_BYTES} bytes ` +
        `(generate one with: node -e "console.log(crypto.randomBytes(32).toString('base64'))")`,
    );
  }
  return key;
}

/**
 * The 32-byte master key for sensitive data: from DATA_ENCRYPTION_KEY when set; otherwise, when allowed
 * (development, test), from `<dataDir>/secrets/data-key`, creating it (mode 0600) on first use. Throws a
 * ConfigError naming DATA_ENCRYPTION_KEY when the value is malformed or the key is missing in production.
 */
export function loadDataKey(options: LoadDataKeyOptions): Buffer {
  const { envValue, dataDir, allowGenerate } = options;
  if (envValue !== undefined && envValue.trim() !== '') return parseBase64Key(envValue, 'the value');
  if (!allowGenerate) {
    throw new ConfigError(DATA_KEY_ENV, 'is required in production (the base64 encoding of 32 random bytes)');
  }
  const file = path.join(dataDir, DATA_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing !== undefined) return parseBase64Key(existing, `the development key in ${file}`);
  return parseBase64Key(createKeyFile(file), `the development key in ${file}`);
}

function readKeyFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Write a fresh key to a temporary file and link it into place: the link fails if another process got
 * there first, in which case its key wins. Nobody ever reads a half-written key file.
 */
function createKeyFile(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const encoded = randomBytes(DATA_KEY_BYTES).toString('base64');
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, `${encoded}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file);
    return encoded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8');
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** A stored ciphertext could not be decrypted: wrong key, wrong context, or tampered. Never user input. */
export class FieldDecryptionError extends Error {
  readonly context: string;
  constructor(context: string) {
    super(`cannot decrypt a value of ${context}: malformed, tampered, or encrypted for another field or key`);
    this.name = 'FieldDecryptionError';
    this.context = context;
  }
}

export interface FieldCipher {
  /** AES-256-GCM with a random nonce; the result is `v1.<nonce>.<ciphertext+tag>` (base64url). */
  encrypt(plaintext: string, context: string): string;
  /** The plaintext, or a FieldDecryptionError if the string is malformed, tampered or of another context. */
  decrypt(ciphertext: string, context: string): string;
  /**
   * A keyed hash (HMAC-SHA256, 64 hex characters) of the normalised value, for equality search and
   * uniqueness without plaintext. Normalisation: Unicode NFKC, whitespace removed, upper case; so
   * `330106199001011234x` and `330106 199001011234X` index alike. The context is part of the hash, so
   * the same number in two different fields gives unrelated values.
   */
  blindIndex(value: string, context: string): string;
}

function assertContext(context: string): void {
  assert(CONTEXT_PATTERN.test(context), `field cipher context must match ${CONTEXT_PATTERN}: ${context}`);
}

function additionalData(context: string): Buffer {
  return Buffer.from(`lendhall/${FORMAT_V1}/${context}`, 'utf8');
}

/** Normalise a value before blind indexing (see FieldCipher.blindIndex). */
export function normaliseForIndex(value: string): string {
  return value.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

export function createFieldCipher(masterKey: Buffer): FieldCipher {
  assert(masterKey.length === DATA_KEY_BYTES, `the data key must be ${DATA_KEY_BYTES} bytes`);
  const encryptionKey = Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, HKDF_INFO_ENCRYPTION, 32));
  const indexKey = Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, HKDF_INFO_BLIND_INDEX, 32));

  return Object.freeze({
    encrypt(plaintext: string, context: string): string {
      assertContext(context);
      const data = Buffer.from(plaintext, 'utf8');
      assert(data.toString('utf8') === plaintext, 'field plaintext must be well-formed Unicode');
      assert(data.length <= FIELD_PLAINTEXT_BYTES_MAX, `field plaintext exceeds ${FIELD_PLAINTEXT_BYTES_MAX} bytes`);
      const nonce = randomBytes(GCM_NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, nonce, { authTagLength: GCM_TAG_BYTES });
      cipher.setAAD(additionalData(context));
      const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
      return `${FORMAT_V1}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },

    decrypt(ciphertext: string, context: string): string {
      assertContext(context);
      if (ciphertext.length > FIELD_CIPHERTEXT_CHARS_MAX) throw new FieldDecryptionError(context);
      const parts = ciphertext.split('.');
      const [version, nonceText, bodyText] = parts;
      if (parts.length !== 3 || version !== FORMAT_V1 || nonceText === undefined || bodyText === undefined) {
        throw new FieldDecryptionError(context);
      }
      if (!BASE64URL_PATTERN.test(nonceText) || !BASE64URL_PATTERN.test(bodyText)) {
        throw new FieldDecryptionError(context);
      }
      const nonce = Buffer.from(nonceText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      // Canonical encodings only: a changed padding bit must not decode to the same bytes unnoticed.
      if (nonce.length !== GCM_NONCE_BYTES || nonce.toString('base64url') !== nonceText) {
        throw new FieldDecryptionError(context);
      }
      if (body.length < GCM_TAG_BYTES || body.toString('base64url') !== bodyText) {
        throw new FieldDecryptionError(context);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', encryptionKey, nonce, { authTagLength: GCM_TAG_BYTES });
        decipher.setAAD(additionalData(context));
        decipher.setAuthTag(body.subarray(body.length - GCM_TAG_BYTES));
        const data = Buffer.concat([decipher.update(body.subarray(0, body.length - GCM_TAG_BYTES)), decipher.final()]);
        return data.toString('utf8');
      } catch {
        throw new FieldDecryptionError(context);
      }
    },

    blindIndex(value: string, context: string): string {
      assertContext(context);
      const normalised = normaliseForIndex(value);
      assert(normalised.length > 0, 'cannot blind-index an empty value');
      // The context cannot contain NUL (CONTEXT_PATTERN), so `context NUL value` is unambiguous.
      return createHmac('sha256', indexKey).update(`${context}\0${normalised}`, 'utf8').digest('hex');
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Masking for display. Each keeps a fixed number of characters at the ends and stars the rest; a value
// too short to keep anything safely is starred entirely. Lengths count Unicode code points.

function maskMiddle(text: string, keepStart: number, keepEnd: number): string {
  const chars = Array.from(text);
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return (
    chars.slice(0, keepStart).join('') +
    '*'.repeat(chars.length - keepStart - keepEnd) +
    chars.slice(chars.length - keepEnd).join('')
  );
}

/** `330106199001011234` → `3301**********1234` (first 4, last 4). */
export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber.trim(), 4, 4);
}

/**
 * `6222021234567891234` → `6222 **** **** 1234`: the first 4 and last 4 digits around a fixed
 * `**** ****`, whatever the card's length, so the mask does not reveal the length either. Spaces in the
 * input are ignored. Fewer than 12 digits (not a valid card) are starred entirely.
 */
export function maskCardNumber(cardNumber: string): string {
  const digits = cardNumber.replace(/\s+/gu, '');
  const chars = Array.from(digits);
  if (chars.length < 12) return '*'.repeat(chars.length);
  return `${chars.slice(0, 4).join('')} **** **** ${chars.slice(-4).join('')}`;
}

/** `13812345678` → `138****5678` (first 3, last 4). */
export function maskPhone(phone: string): string {
  return maskMiddle(phone.trim(), 3, 4);
}

/** `张三丰` → `张**`, `张三` → `张*` (the first character kept); a one-character name → `*`. */
export function maskName(name: string): string {
  return maskMiddle(name.trim(), 1, 0);
}
