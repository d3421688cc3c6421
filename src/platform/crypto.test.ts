import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import {
  createFieldCipher,
  DATA_KEY_FILE,
  FIELD_PLAINTEXT_BYTES_MAX,
  FieldDecryptionError,
  loadDataKey,
  maskCardNumber,
  maskIdNumber,
  maskName,
  maskPhone,
} from './crypto.ts';
import { AssertionError } from './errors.ts';

const KEY = Buffer.alloc(32, 7);
const CONTEXT = 'user.id_number';

describe('loadDataKey', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-crypto-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('decodes a base64 key of exactly 32 bytes from DATA_ENCRYPTION_KEY, ignoring surrounding space', () => {
    const key = randomBytes(32);
    expect(loadDataKey({ envValue: key.toString('base64'), dataDir, allowGenerate: false })).toEqual(key);
    expect(loadDataKey({ envValue: ` ${key.toString('base64')}\n`, dataDir, allowGenerate: true })).toEqual(key);
    // The environment wins over a key file and never creates one.
    expect(fs.existsSync(path.join(dataDir, DATA_KEY_FILE))).toBe(false);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['hex', randomBytes(32).toString('hex')],
    ['base64url without padding', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['not base64', `${'!'.repeat(43)}=`],
    ['a non-canonical last character', `${'A'.repeat(42)}B=`],
    ['a word', 'secret'],
  ])('refuses a malformed key (%s) with a message naming DATA_ENCRYPTION_KEY', (_label, envValue) => {
    for (const allowGenerate of [true, false]) {
      expect(() => loadDataKey({ envValue, dataDir, allowGenerate })).toThrow(ConfigError);
      expect(() => loadDataKey({ envValue, dataDir, allowGenerate })).toThrow(/DATA_ENCRYPTION_KEY/);
    }
  });

  it('refuses a missing key when generation is not allowed (production)', () => {
    for (const envValue of [undefined, '', '   ']) {
      expect(() => loadDataKey({ envValue, dataDir, allowGenerate: false })).toThrow(/DATA_ENCRYPTION_KEY/);
    }
    expect(fs.existsSync(path.join(dataDir, 'secrets'))).toBe(false);
  });

  it('generates a development key on first use (mode 0600) and reads the same key afterwards', () => {
    const first = loadDataKey({ envValue: undefined, dataDir, allowGenerate: true });
    expect(first).toHaveLength(32);
    const file = path.join(dataDir, DATA_KEY_FILE);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadDataKey({ envValue: '', dataDir, allowGenerate: true })).toEqual(first);
    // No temporary files are left behind.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['data-key']);
    // A different data folder gets a different key.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'lendhall-crypto-'));
    try {
      expect(loadDataKey({ envValue: undefined, dataDir: other, allowGenerate: true })).not.toEqual(first);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a corrupt key file, naming the variable and the file', () => {
    const file = path.join(dataDir, DATA_KEY_FILE);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'not a key\n');
    expect(() => loadDataKey({ envValue: undefined, dataDir, allowGenerate: true })).toThrow(/DATA_ENCRYPTION_KEY/);
    expect(() => loadDataKey({ envValue: undefined, dataDir, allowGenerate: true })).toThrow(file);
    // It is not silently replaced: data encrypted under the old key would be lost.
    expect(fs.readFileSync(file, 'utf8')).toBe('not a key\n');
  });
});

describe('createFieldCipher', () => {
  const cipher = createFieldCipher(KEY);

  it('round-trips text in the compact v1 format, with a fresh nonce each time', () => {
    const a = cipher.encrypt('330106199001011234', CONTEXT);
    const b = cipher.encrypt('330106199001011234', CONTEXT);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('330106199001011234');
    expect(cipher.decrypt(a, CONTEXT)).toBe('330106199001011234');
    expect(cipher.decrypt(b, CONTEXT)).toBe('330106199001011234');
    expect(cipher.decrypt(cipher.encrypt('', CONTEXT), CONTEXT)).toBe('');
    expect(cipher.decrypt(cipher.encrypt('张三丰 😀', 'user.name'), 'user.name')).toBe('张三丰 😀');
  });

  it('round-trips any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(cipher.decrypt(cipher.encrypt(text, CONTEXT), CONTEXT)).toBe(text);
      }),
    );
  });

  it('decrypts with a second cipher built from the same key, not with another key', () => {
    const token = cipher.encrypt('6222021234567890123', 'bank_card.number');
    expect(createFieldCipher(Buffer.from(KEY)).decrypt(token, 'bank_card.number')).toBe('6222021234567890123');
    expect(() => createFieldCipher(Buffer.alloc(32, 8)).decrypt(token, 'bank_card.number')).toThrow(
      FieldDecryptionError,
    );
  });

  it('refuses the wrong context', () => {
    const token = cipher.encrypt('13812345678', 'user.phone');
    expect(() => cipher.decrypt(token, 'user.id_number')).toThrow(FieldDecryptionError);
    expect(() => cipher.decrypt(token, 'user.phonE')).toThrow(FieldDecryptionError);
  });

  it('refuses every single-character change of the ciphertext (property)', () => {
    const token = cipher.encrypt('330106199001011234', CONTEXT);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.v';
    fc.assert(
      fc.property(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...alphabet.split('')),
        (position, replacement) => {
          fc.pre(token[position] !== replacement);
          const tampered = token.slice(0, position) + replacement + token.slice(position + 1);
          expect(() => cipher.decrypt(tampered, CONTEXT)).toThrow(FieldDecryptionError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['empty', ''],
    ['plaintext', '330106199001011234'],
    ['unknown version', 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['missing part', 'v1.AAAAAAAAAAAAAAAA'],
    ['extra part', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['short nonce', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['body shorter than the tag', 'v1.AAAAAAAAAAAAAAAA.AAAA'],
    ['standard base64 characters', 'v1.AAAAAAAAAAAAAAA+.AAAAAAAAAAAAAAAAAAAAAA'],
    ['padding', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA=='],
    ['huge', `v1.AAAAAAAAAAAAAAAA.${'A'.repeat(100_000)}`],
  ])('refuses a malformed ciphertext (%s)', (_label, text) => {
    expect(() => cipher.decrypt(text, CONTEXT)).toThrow(FieldDecryptionError);
  });

  it('treats a bad key, a bad context, or an oversized plaintext as programmer errors', () => {
    expect(() => createFieldCipher(Buffer.alloc(16))).toThrow(AssertionError);
    expect(() => cipher.encrypt('x', '')).toThrow(AssertionError);
    expect(() => cipher.encrypt('x', 'user id')).toThrow(AssertionError);
    expect(() => cipher.decrypt('x', 'a\0b')).toThrow(AssertionError);
    expect(() => cipher.blindIndex('x', 'a/b')).toThrow(AssertionError);
    expect(() => cipher.encrypt('x'.repeat(FIELD_PLAINTEXT_BYTES_MAX + 1), CONTEXT)).toThrow(AssertionError);
    expect(() => cipher.encrypt('\ud800', CONTEXT)).toThrow(AssertionError);
    // The largest allowed plaintext still round-trips (the decrypt length bound is not too tight).
    const largest = 'x'.repeat(FIELD_PLAINTEXT_BYTES_MAX);
    expect(cipher.decrypt(cipher.encrypt(largest, CONTEXT), CONTEXT)).toBe(largest);
  });
});

describe('the v1 format is stable (stored data must stay readable and searchable)', () => {
  // Derived here from the documented parameters, independently of the code under test.
  const subkey = (info: string) => Buffer.from(hkdfSync('sha256', KEY, Buffer.from('lendhall/data-key'), info, 32));

  it('decrypts a value encrypted by hand with the HKDF encryption subkey and the context as AAD', () => {
    const nonce = Buffer.alloc(12, 1);
    const cipher = createCipheriv('aes-256-gcm', subkey('lendhall/field-encryption/v1'), nonce);
    cipher.setAAD(Buffer.from(`lendhall/v1/${CONTEXT}`));
    const body = Buffer.concat([cipher.update('330106199001011234'), cipher.final(), cipher.getAuthTag()]);
    const token = `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    expect(createFieldCipher(KEY).decrypt(token, CONTEXT)).toBe('330106199001011234');
  });

  it('computes the blind index as HMAC-SHA256 under the HKDF blind-index subkey', () => {
    const expected = createHmac('sha256', subkey('lendhall/blind-index/v1'))
      .update(`${CONTEXT}\u0000330106199001011234`)
      .digest('hex');
    expect(createFieldCipher(KEY).blindIndex('330106199001011234', CONTEXT)).toBe(expected);
  });
});

describe('blindIndex', () => {
  const cipher = createFieldCipher(KEY);

  it('is deterministic, 64 hex characters, and contains no plaintext', () => {
    const index = cipher.blindIndex('330106199001011234', CONTEXT);
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.blindIndex('330106199001011234', CONTEXT)).toBe(index);
    expect(createFieldCipher(Buffer.from(KEY)).blindIndex('330106199001011234', CONTEXT)).toBe(index);
  });

  it('normalises case, whitespace and full-width characters', () => {
    const index = cipher.blindIndex('33010619900101123X', CONTEXT);
    expect(cipher.blindIndex('33010619900101123x', CONTEXT)).toBe(index);
    expect(cipher.blindIndex(' 330106 19900101 123X\n', CONTEXT)).toBe(index);
    expect(cipher.blindIndex('３３０１０６１９９００１０１１２３Ｘ', CONTEXT)).toBe(index);
  });

  it('differs by value, by context and by key', () => {
    const index = cipher.blindIndex('330106199001011234', CONTEXT);
    expect(cipher.blindIndex('330106199001011235', CONTEXT)).not.toBe(index);
    expect(cipher.blindIndex('330106199001011234', 'bank_card.number')).not.toBe(index);
    expect(createFieldCipher(Buffer.alloc(32, 8)).blindIndex('330106199001011234', CONTEXT)).not.toBe(index);
  });

  it('uses a derived key: an HMAC under the raw master key does not match', () => {
    const naive = createHmac('sha256', KEY).update(`${CONTEXT}\u0000330106199001011234`).digest('hex');
    expect(cipher.blindIndex('330106199001011234', CONTEXT)).not.toBe(naive);
  });

  it('refuses an empty value', () => {
    expect(() => cipher.blindIndex('', CONTEXT)).toThrow(AssertionError);
    expect(() => cipher.blindIndex('  ', CONTEXT)).toThrow(AssertionError);
  });
});

describe('masking', () => {
  it('masks ID numbers to the first 4 and last 4', () => {
    expect(maskIdNumber('330106199001011234')).toBe('3301**********1234');
    expect(maskIdNumber('33010619900101123X')).toBe('3301**********123X');
    expect(maskIdNumber('330106900101123')).toBe('3301*******1123');
    expect(maskIdNumber('12345678')).toBe('********');
    expect(maskIdNumber('')).toBe('');
  });

  it('masks card numbers to `first4 **** **** last4` whatever their length', () => {
    expect(maskCardNumber('6222021234567891234')).toBe('6222 **** **** 1234');
    expect(maskCardNumber('6222 0212 3456 7891')).toBe('6222 **** **** 7891');
    expect(maskCardNumber('622202123456')).toBe('6222 **** **** 3456');
    expect(maskCardNumber('12345678901')).toBe('***********');
    expect(maskCardNumber('')).toBe('');
  });

  it('masks phone numbers to the first 3 and last 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(' 13812345678 ')).toBe('138****5678');
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskPhone('')).toBe('');
  });

  it('masks names to their first character', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('𠮷野家')).toBe('𠮷**');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });

  it('never reveals more than it keeps (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12,19}$/), (digits) => {
        const masked = maskCardNumber(digits);
        expect(masked).toBe(`${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`);
        const id = maskIdNumber(digits);
        expect(id.replace(/\*/g, '')).toBe(digits.slice(0, 4) + digits.slice(-4));
        expect(id).toHaveLength(digits.length);
      }),
    );
  });
});
