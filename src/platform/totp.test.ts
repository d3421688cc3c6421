import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionError } from './errors.ts';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  otpauthUrl,
  TOTP_QR_MARGIN_MODULES,
  TOTP_QR_PIXELS_PER_MODULE,
  TOTP_URL_CHARS_MAX,
  totpCode,
  totpQrDataUrl,
  totpStep,
  verifyTotp,
} from './totp.ts';

/** The RFC 6238 Appendix B SHA-1 secret: the ASCII string "12345678901234567890". */
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('base32', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes the RFC 4648 vector %j as %j (padding dropped) and decodes it back', (text, encoded) => {
    expect(base32Encode(Buffer.from(text, 'ascii'))).toBe(encoded);
    expect(base32Decode(encoded)?.toString('ascii')).toBe(text);
  });

  it('encodes the RFC 6238 secret as authenticator apps expect', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('tolerates lower case, spaces, hyphens and padding', () => {
    expect(base32Decode('mzxw 6ytb-oi======')?.toString('ascii')).toBe('foobar');
    expect(base32Decode('MZXW6===')?.toString('ascii')).toBe('foo');
  });

  it.each([
    ['a character outside the alphabet', 'MZXW1'],
    ['a 0 (digit zero)', 'MZXW0'],
    ['an impossible length', 'MZX'],
    ['one character', 'M'],
    ['stray bits in the last character', 'MZ'],
    ['padding in the middle', 'MZ=XQ'],
  ])('refuses %s', (_label, text) => {
    expect(base32Decode(text)).toBeUndefined();
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const encoded = base32Encode(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(encoded).toHaveLength(Math.ceil((bytes.length * 8) / 5));
        expect(base32Decode(encoded)).toEqual(Buffer.from(bytes));
        expect(base32Decode(encoded.toLowerCase())).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('generateTotpSecret', () => {
  it('is 20 random bytes in base32 (32 characters), different each time', () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(a).not.toBe(b);
  });
});

describe('totpCode', () => {
  // RFC 6238 Appendix B, SHA-1 rows: the 8-digit values truncated to their last 6 digits (the same
  // number mod 10^6).
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 vector at T = %i s', (seconds, eightDigits) => {
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(eightDigits.slice(-6));
  });

  it('matches the RFC 4226 HOTP vectors for steps 0 to 9', () => {
    const hotp = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    hotp.forEach((code, step) => {
      expect(totpCode(RFC_SECRET, step * 30_000)).toBe(code);
      expect(totpCode(RFC_SECRET, step * 30_000 + 29_999)).toBe(code);
    });
  });

  it('reads the secret in any case and with spaces', () => {
    expect(totpCode(RFC_SECRET.toLowerCase().replace(/(.{4})/g, '$1 '), 59_000)).toBe('287082');
  });

  it('treats a bad secret or time as a programmer error', () => {
    expect(() => totpCode('', 0)).toThrow(AssertionError);
    expect(() => totpCode('not base32!', 0)).toThrow(AssertionError);
    expect(() => totpCode('A'.repeat(200), 0)).toThrow(AssertionError);
    expect(() => totpCode(RFC_SECRET, -1)).toThrow(AssertionError);
    expect(() => totpCode(RFC_SECRET, 1.5)).toThrow(AssertionError);
    expect(() => totpCode(RFC_SECRET, Number.NaN)).toThrow(AssertionError);
  });
});

describe('totpStep', () => {
  it('is the 30-second step containing the instant', () => {
    expect(totpStep(0)).toBe(0);
    expect(totpStep(29_999)).toBe(0);
    expect(totpStep(30_000)).toBe(1);
    expect(totpStep(59_000)).toBe(1);
  });
});

describe('verifyTotp', () => {
  const at = 1_234_567_890_000; // step 41152263
  const step = totpStep(at);

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(RFC_SECRET, '005924', at)).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, ' 005 924 ', at)).toEqual({ ok: true, step });
  });

  it('accepts the previous and next step within the default window of 1, and reports which', () => {
    const previous = totpCode(RFC_SECRET, at - 30_000);
    const next = totpCode(RFC_SECRET, at + 30_000);
    expect(verifyTotp(RFC_SECRET, previous, at)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(RFC_SECRET, next, at)).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(RFC_SECRET, previous, at, 0)).toEqual({ ok: false });
  });

  it('refuses codes outside the window', () => {
    const twoBack = totpCode(RFC_SECRET, at - 60_000);
    const twoAhead = totpCode(RFC_SECRET, at + 60_000);
    expect(verifyTotp(RFC_SECRET, twoBack, at)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, twoAhead, at)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, twoBack, at, 2)).toEqual({ ok: true, step: step - 2 });
  });

  it('refuses the code of another secret', () => {
    const other = generateTotpSecret();
    const code = totpCode(other, at);
    const collides = [-1, 0, 1].some((d) => totpCode(RFC_SECRET, at + d * 30_000) === code);
    // About a 3-in-a-million chance that the two secrets share a code in the window: nothing to check then.
    if (!collides) expect(verifyTotp(RFC_SECRET, code, at)).toEqual({ ok: false });
  });

  it.each([
    ['empty', ''],
    ['5 digits', '05924'],
    ['7 digits', '0005924'],
    ['8-digit RFC value', '89005924'],
    ['letters', '00592a'],
    ['full-width digits', '００５９２４'],
    ['huge', '0'.repeat(10_000)],
    ['wrong', '005925'],
  ])('refuses a malformed or wrong code (%s)', (_label, code) => {
    expect(verifyTotp(RFC_SECRET, code, at)).toEqual({ ok: false });
  });

  it('never looks before step 0', () => {
    expect(verifyTotp(RFC_SECRET, '755224', 0)).toEqual({ ok: true, step: 0 });
    expect(verifyTotp(RFC_SECRET, '287082', 0)).toEqual({ ok: true, step: 1 });
  });

  it('accepts exactly the codes of its window (property)', () => {
    const secret = generateTotpSecret();
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000, max: 4_000_000_000 }), fc.integer({ min: -3, max: 3 }), (s, offset) => {
        const now = s * 1000;
        const code = totpCode(secret, now + offset * 30_000);
        const result = verifyTotp(secret, code, now, 1);
        if (Math.abs(offset) <= 1) expect(result).toEqual({ ok: true, step: totpStep(now) + offset });
        else expect(result.ok && result.step !== totpStep(now) + offset).not.toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('treats a bad window as a programmer error', () => {
    expect(() => verifyTotp(RFC_SECRET, '005924', at, -1)).toThrow(AssertionError);
    expect(() => verifyTotp(RFC_SECRET, '005924', at, 6)).toThrow(AssertionError);
    expect(() => verifyTotp(RFC_SECRET, '005924', at, 1.5)).toThrow(AssertionError);
  });
});

describe('otpauthUrl', () => {
  it('builds the key URI authenticator apps read', () => {
    expect(otpauthUrl({ issuer: 'Lendhall', account: 'alice', secret: RFC_SECRET })).toBe(
      `otpauth://totp/Lendhall:alice?secret=${RFC_SECRET}&issuer=Lendhall&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('encodes the label and issuer, and tidies the secret', () => {
    const url = otpauthUrl({ issuer: 'Lendhall Ops', account: '张三@example.com', secret: 'mzxw 6ytb oi==' });
    expect(url).toBe(
      'otpauth://totp/Lendhall%20Ops:%E5%BC%A0%E4%B8%89%40example.com' +
        '?secret=MZXW6YTBOI&issuer=Lendhall%20Ops&algorithm=SHA1&digits=6&period=30',
    );
    const parsed = new URL(url);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.searchParams.get('secret')).toBe('MZXW6YTBOI');
    expect(parsed.searchParams.get('issuer')).toBe('Lendhall Ops');
  });

  it('refuses an empty or colon-bearing issuer or account, and a bad secret', () => {
    expect(() => otpauthUrl({ issuer: '', account: 'alice', secret: RFC_SECRET })).toThrow(AssertionError);
    expect(() => otpauthUrl({ issuer: 'Lend:hall', account: 'alice', secret: RFC_SECRET })).toThrow(AssertionError);
    expect(() => otpauthUrl({ issuer: 'Lendhall', account: ' ', secret: RFC_SECRET })).toThrow(AssertionError);
    expect(() => otpauthUrl({ issuer: 'Lendhall', account: 'a:b', secret: RFC_SECRET })).toThrow(AssertionError);
    expect(() => otpauthUrl({ issuer: 'Lendhall', account: 'alice', secret: 'not base32!' })).toThrow(AssertionError);
  });
});

describe('totpQrDataUrl', () => {
  const url = otpauthUrl({ issuer: 'Lendhall', account: 'alice', secret: RFC_SECRET });

  it('renders a PNG data URL', async () => {
    const dataUrl = await totpQrDataUrl(url);
    expect(dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR width and height: a square of whole modules, (21 + 4·version-steps + 2·margin) × scale pixels.
    const width = png.readUInt32BE(16);
    expect(png.readUInt32BE(20)).toBe(width);
    expect(width % TOTP_QR_PIXELS_PER_MODULE).toBe(0);
    const modules = width / TOTP_QR_PIXELS_PER_MODULE - 2 * TOTP_QR_MARGIN_MODULES;
    expect(modules).toBeGreaterThanOrEqual(21);
    expect((modules - 21) % 4).toBe(0);
    const other = await totpQrDataUrl(otpauthUrl({ issuer: 'Lendhall', account: 'bob', secret: RFC_SECRET }));
    expect(other).not.toBe(dataUrl);
  });

  it('refuses anything but a bounded otpauth URL', async () => {
    await expect(totpQrDataUrl('https://example.com')).rejects.toThrow(AssertionError);
    await expect(totpQrDataUrl(`${url}&x=${'a'.repeat(TOTP_URL_CHARS_MAX)}`)).rejects.toThrow(AssertionError);
  });
});
