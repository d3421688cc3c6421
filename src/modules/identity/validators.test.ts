import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  creditCodeCheckChar,
  idNumberCheckChar,
  isAdult,
  luhnValid,
  normalisePhone,
  PASSWORD_PROBLEM_TEXT,
  PASSWORD_RULES,
  passwordProblems,
  validateCardNumber,
  validateCreditCode,
  validateIdNumber,
  validateMainlandMobile,
} from './validators.ts';

// ---------------------------------------------------------------------------------------------------
// Reference implementations, written differently from the code under test on purpose.

/** ISO 7064 MOD 11-2 as the standard states it: the recursive form p = (p + a) · 2 mod 11. */
function referenceIdCheckChar(first17: string): string {
  let p = 0;
  for (const ch of first17) p = ((p + Number(ch)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? 'X' : String(check);
}

function makeId(area: string, birth: string, sequence: string): string {
  const first17 = area + birth + sequence;
  return first17 + referenceIdCheckChar(first17);
}

/** GB 32100: the alphabet is 0-9 and A-Z less I, O, S, V, Z; weights are 3^i mod 31. */
const REFERENCE_CREDIT_ALPHABET = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => !'IOSVZ'.includes(c));
function referenceCreditCheckChar(first17: string): string {
  let sum = 0;
  let weight = 1;
  for (const ch of first17) {
    sum += REFERENCE_CREDIT_ALPHABET.indexOf(ch) * weight;
    weight = (weight * 3) % 31;
  }
  return REFERENCE_CREDIT_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Luhn by computing the check digit a payload needs, left to right with a doubling table. */
function referenceLuhnCheckDigit(payload: string): string {
  const doubled = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];
  let sum = 0;
  // With the check digit appended, the payload's last digit is second from the right: doubled.
  const parity = payload.length % 2;
  for (let i = 0; i < payload.length; i++) {
    const d = Number(payload[i]);
    sum += i % 2 === parity ? d : doubled[d]!;
  }
  return String((10 - (sum % 10)) % 10);
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
const otherCheckChar = (right: string) => fc.constantFrom(...'0123456789X'.split('')).filter((c) => c !== right);

// ---------------------------------------------------------------------------------------------------

describe('validateIdNumber', () => {
  const TODAY = '2024-06-01';

  it('accepts the example from GB 11643-1999 and reads its birth date, sex and age', () => {
    expect(validateIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      normalised: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      ageYears: 74,
    });
  });

  it('agrees with the reference check digit on constructed numbers', () => {
    const male = makeId('330106', '19900101', '123');
    // By hand: Σ digit·weight = 178, 178 mod 11 = 2, and position 2 of "10X98765432" is X.
    expect(male).toBe('33010619900101123X');
    expect(validateIdNumber(male, TODAY)).toMatchObject({
      ok: true,
      birthDate: '1990-01-01',
      sex: 'male',
      ageYears: 34,
    });
    const leap = makeId('440305', '20000229', '002');
    expect(validateIdNumber(leap, TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29', sex: 'female' });
    expect(idNumberCheckChar('44030520000229002')).toBe(leap[17]);
  });

  it('normalises a lower-case x, surrounding space and full-width digits', () => {
    const first17 = '11010519491231002';
    expect(validateIdNumber(`  ${first17}x `, TODAY)).toMatchObject({ ok: true, normalised: `${first17}X` });
    expect(validateIdNumber('１１０１０５１９４９１２３１００２Ｘ', TODAY)).toMatchObject({
      ok: true,
      normalised: `${first17}X`,
    });
  });

  it('accepts any real birth date with its reference check digit, and refuses every other check digit', () => {
    const birthDates = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-06-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(digits(6, 6), birthDates, digits(3, 3), (area, birthDate, sequence) => {
        const id = makeId(area, birthDate.replaceAll('-', ''), sequence);
        const result = validateIdNumber(id, TODAY);
        expect(result).toMatchObject({ ok: true, normalised: id, birthDate });
        expect(result.ok && result.sex).toBe(Number(sequence[2]) % 2 === 1 ? 'male' : 'female');
        fc.assert(
          fc.property(otherCheckChar(id[17]!), (wrong) => {
            expect(validateIdNumber(id.slice(0, 17) + wrong, TODAY)).toEqual({ ok: false, reason: 'check_digit' });
          }),
          { numRuns: 3 },
        );
      }),
      { numRuns: 200 },
    );
  });

  it('detects any single changed digit and any swap of two different adjacent digits', () => {
    const id = makeId('330106', '19900101', '123');
    for (let i = 0; i < 18; i++) {
      for (const replacement of '0123456789X') {
        if (replacement === id[i] || (i < 17 && replacement === 'X')) continue;
        const changed = id.slice(0, i) + replacement + id.slice(i + 1);
        expect(validateIdNumber(changed, TODAY).ok, changed).toBe(false);
      }
    }
    for (let i = 0; i < 16; i++) {
      if (id[i] === id[i + 1]) continue;
      const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
      expect(validateIdNumber(swapped, TODAY).ok, swapped).toBe(false);
    }
  });

  it.each([
    ['17 digits', '11010519491231002'],
    ['19 digits', '110105194912310021X'],
    ['letters', '11010519491231002A'],
    ['X in the middle', '1101051949123100X2'],
    ['inner space', '110105 19491231002X'],
    ['empty', ''],
    ['15-digit first generation', '110105491231002'],
    ['sign', '-11010519491231002'],
  ])('refuses the format (%s)', (_label, text) => {
    expect(validateIdNumber(text, TODAY)).toEqual({ ok: false, reason: 'format' });
  });

  it.each([
    ['February 30', makeId('330106', '19900230', '123')],
    ['February 29 in a common year', makeId('330106', '19900229', '123')],
    ['February 29 in 1900 (not a leap year)', makeId('330106', '19000229', '123')],
    ['April 31', makeId('330106', '19900431', '123')],
    ['month 13', makeId('330106', '19901301', '123')],
    ['month 00', makeId('330106', '19900001', '123')],
    ['day 00', makeId('330106', '19900100', '123')],
    ['tomorrow', makeId('330106', '20240602', '123')],
    ['the far future', makeId('330106', '29990101', '123')],
    ['before 1900 (the GB 11643 example of 1880)', '440524188001010014'],
    ['1899-12-31', makeId('330106', '18991231', '123')],
  ])('refuses the birth date (%s)', (_label, id) => {
    expect(validateIdNumber(id, TODAY)).toEqual({ ok: false, reason: 'birth_date' });
  });

  it('accepts the boundary birth dates: 1900-01-01 and today', () => {
    expect(validateIdNumber(makeId('330106', '19000101', '123'), TODAY)).toMatchObject({ ok: true, ageYears: 124 });
    expect(validateIdNumber(makeId('330106', '20240601', '123'), TODAY)).toMatchObject({ ok: true, ageYears: 0 });
    expect(validateIdNumber(makeId('330106', '20000229', '123'), '2000-02-29')).toMatchObject({ ok: true });
  });

  it('counts completed years, turning 18 on the birthday (and on 1 March for 29 February)', () => {
    const id = makeId('330106', '20060601', '123');
    expect(validateIdNumber(id, '2024-05-31')).toMatchObject({ ok: true, ageYears: 17 });
    expect(validateIdNumber(id, '2024-06-01')).toMatchObject({ ok: true, ageYears: 18 });
    const leapling = makeId('330106', '20040229', '123');
    expect(validateIdNumber(leapling, '2022-02-28')).toMatchObject({ ok: true, ageYears: 17 });
    expect(validateIdNumber(leapling, '2022-03-01')).toMatchObject({ ok: true, ageYears: 18 });
    expect(validateIdNumber(leapling, '2024-02-29')).toMatchObject({ ok: true, ageYears: 20 });
  });

  it('treats a malformed `today` as a programmer error', () => {
    for (const today of ['', '2024-6-1', '2024-02-30', '20240601', 'today']) {
      expect(() => validateIdNumber('11010519491231002X', today)).toThrow(RangeError);
    }
  });

  it('idNumberCheckChar refuses anything but 17 digits', () => {
    expect(() => idNumberCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => idNumberCheckChar('1101051949123100A')).toThrow(RangeError);
  });
});

describe('isAdult', () => {
  it('is true from 18', () => {
    expect(isAdult(17)).toBe(false);
    expect(isAdult(18)).toBe(true);
    expect(isAdult(80)).toBe(true);
    expect(isAdult(0)).toBe(false);
  });
});

describe('validateCreditCode', () => {
  it('accepts the example code of GB 32100-2015', () => {
    expect(validateCreditCode('91350100M000100Y43')).toEqual({ ok: true, normalised: '91350100M000100Y43' });
    expect(validateCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, normalised: '91350100M000100Y43' });
  });

  it('agrees with the reference on constructed codes, and refuses every other check character', () => {
    const body = fc.array(fc.constantFrom(...REFERENCE_CREDIT_ALPHABET), { minLength: 17, maxLength: 17 });
    fc.assert(
      fc.property(body, fc.constantFrom(...REFERENCE_CREDIT_ALPHABET), (chars, wrong) => {
        const first17 = chars.join('');
        const check = referenceCreditCheckChar(first17);
        expect(creditCodeCheckChar(first17)).toBe(check);
        expect(validateCreditCode(first17 + check)).toEqual({ ok: true, normalised: first17 + check });
        if (wrong !== check) {
          expect(validateCreditCode(first17 + wrong)).toEqual({ ok: false, reason: 'check_digit' });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('uses check character 0 when the weighted sum is a multiple of 31', () => {
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
    expect(validateCreditCode('000000000000000000').ok).toBe(true);
    expect(validateCreditCode('000000000000000001')).toEqual({ ok: false, reason: 'check_digit' });
  });

  it.each([
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['letter I', '91350100M000100I43'],
    ['letter O', '91350100M000100O43'],
    ['letter Z', '91350100M000100Z43'],
    ['letter S', '91350100M000100S43'],
    ['letter V', '91350100M000100V43'],
    ['punctuation', '91350100M000100-43'],
    ['inner space', '91350100 M000100Y43'],
    ['empty', ''],
  ])('refuses the format (%s)', (_label, text) => {
    expect(validateCreditCode(text)).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses a changed or swapped character', () => {
    expect(validateCreditCode('91350100M000100Y44')).toEqual({ ok: false, reason: 'check_digit' });
    expect(validateCreditCode('91350100M000100Y34').ok).toBe(false);
    expect(validateCreditCode('19350100M000100Y43').ok).toBe(false);
  });

  it('creditCodeCheckChar refuses anything but 17 characters of the alphabet', () => {
    expect(() => creditCodeCheckChar('91350100M000100Y')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100M000100I4')).toThrow(RangeError);
  });
});

describe('luhnValid', () => {
  it.each([
    ['79927398713', true],
    ['79927398710', false],
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['0', true],
    ['18', true],
    ['19', false],
  ])('luhnValid(%s) = %s', (text, expected) => {
    expect(luhnValid(text)).toBe(expected);
  });

  it('is false for anything that is not a string of ASCII digits', () => {
    for (const text of ['', ' ', '4111 1111 1111 1111', '4111-1111', 'abc', '-18', '１８']) {
      expect(luhnValid(text)).toBe(false);
    }
  });

  it('agrees with the reference check digit, and catches every single-digit change (property)', () => {
    fc.assert(
      fc.property(digits(1, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, at, delta) => {
        const full = payload + referenceLuhnCheckDigit(payload);
        expect(luhnValid(full)).toBe(true);
        const i = at % full.length;
        const changed = full.slice(0, i) + String((Number(full[i]) + delta) % 10) + full.slice(i + 1);
        expect(luhnValid(changed)).toBe(false);
      }),
    );
  });
});

describe('validateCardNumber', () => {
  const card16 = `622202123456789${referenceLuhnCheckDigit('622202123456789')}`;
  const card19 = `622848001234567890${referenceLuhnCheckDigit('622848001234567890')}`;

  it('accepts 12 to 19 digits with a valid Luhn digit, ignoring spaces and full-width digits', () => {
    expect(validateCardNumber(card16)).toEqual({ ok: true, normalised: card16 });
    expect(validateCardNumber(card19)).toEqual({ ok: true, normalised: card19 });
    expect(validateCardNumber(' 6222 0212 3456 7890 ').ok).toBe(luhnValid('6222021234567890'));
    const spaced = card16.replace(/(\d{4})(?=\d)/g, '$1 ');
    expect(validateCardNumber(spaced)).toEqual({ ok: true, normalised: card16 });
    const fullWidth = [...card16].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(validateCardNumber(fullWidth)).toEqual({ ok: true, normalised: card16 });
    const twelve = `62220212345${referenceLuhnCheckDigit('62220212345')}`;
    expect(validateCardNumber(twelve).ok).toBe(true);
  });

  it('refuses a wrong check digit', () => {
    const wrong = card16.slice(0, 15) + String((Number(card16[15]) + 1) % 10);
    expect(validateCardNumber(wrong)).toEqual({ ok: false, reason: 'check_digit' });
  });

  it.each([
    ['11 digits', `6222021234${referenceLuhnCheckDigit('6222021234')}`],
    ['20 digits', `6222021234567890123${referenceLuhnCheckDigit('6222021234567890123')}`],
    ['letters', '6222a21234567890'],
    ['hyphens', '6222-0212-3456-7890'],
    ['empty', ''],
    ['only spaces', '   '],
  ])('refuses the format (%s)', (_label, text) => {
    expect(validateCardNumber(text)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('normalisePhone and validateMainlandMobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    [' 138 1234 5678 ', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['＋８６１３８１２３４５６７８', '13812345678'],
    // Not a country prefix in front of a mobile number: left for validation to refuse.
    ['+85212345678', '+85212345678'],
    ['86123', '86123'],
  ])('normalisePhone(%j) = %j', (text, expected) => {
    expect(normalisePhone(text)).toBe(expected);
  });

  it('accepts 11 digits starting with 13 to 19', () => {
    for (const second of '3456789') {
      expect(validateMainlandMobile(`1${second}812345678`)).toEqual({ ok: true, normalised: `1${second}812345678` });
    }
    expect(validateMainlandMobile('+86 199 0000 0000')).toEqual({ ok: true, normalised: '19900000000' });
  });

  it.each([
    ['starts with 10', '10812345678'],
    ['starts with 12', '12812345678'],
    ['starts with 2', '23812345678'],
    ['10 digits', '1381234567'],
    ['12 digits', '138123456789'],
    ['letters', '1381234567a'],
    ['Hong Kong', '+85291234567'],
    ['landline', '02112345678'],
    ['empty', ''],
  ])('refuses %s', (_label, text) => {
    expect(validateMainlandMobile(text)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('passwordProblems', () => {
  it('accepts a password that meets every rule', () => {
    expect(passwordProblems('correct1horse')).toEqual([]);
    expect(passwordProblems('a1b2c3d4')).toEqual([]);
    expect(passwordProblems(`a1${'x'.repeat(62)}`)).toEqual([]);
    // Any script's letters count; lengths count characters, not UTF-16 units.
    expect(passwordProblems('借贷平台安全密码2024')).toEqual([]);
    expect(passwordProblems(`1${'𠮷'.repeat(63)}`)).toEqual([]);
  });

  it.each([
    ['', ['too_short', 'needs_letter', 'needs_digit']],
    ['a1', ['too_short']],
    ['abc123x', ['too_short']],
    [`a1${'x'.repeat(63)}`, ['too_long']],
    ['x'.repeat(100_000), ['too_long', 'needs_digit']],
    [`1${'𠮷'.repeat(64)}`, ['too_long']],
    ['12345678', ['needs_letter']],
    ['abcdefgh', ['needs_digit']],
    ['!@#$%^&*()', ['needs_letter', 'needs_digit']],
    ['password1', ['common']],
    ['Password1', ['common']],
    ['PASSWORD123', ['common']],
    ['woaini1314', ['common']],
    ['1qaz2wsx', ['common']],
    ['ｐａｓｓｗｏｒｄ１', ['common']],
  ])('passwordProblems(%j) = %j', (password, expected) => {
    expect(passwordProblems(password)).toEqual(expected);
  });

  it('has a rule text and a message for each problem in both languages', () => {
    expect(PASSWORD_RULES.zh).toContain('8');
    expect(PASSWORD_RULES.en).toContain('64');
    for (const text of Object.values(PASSWORD_PROBLEM_TEXT)) {
      expect(text.zh.length).toBeGreaterThan(0);
      expect(text.en.length).toBeGreaterThan(0);
    }
    expect(Object.keys(PASSWORD_PROBLEM_TEXT).sort()).toEqual(
      ['common', 'needs_digit', 'needs_letter', 'too_long', 'too_short'].sort(),
    );
  });
});
