import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, AssertionError } from '../../platform/errors.ts';
import { AMOUNT_FEN_MAX, fenFromJson, fenToJson, formatYuan, parseYuan } from './amount.ts';

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseYuan', () => {
  it.each([
    ['0', 0n],
    ['0.00', 0n],
    ['0.5', 50n],
    ['0.05', 5n],
    ['1', 100n],
    ['1234', 123400n],
    ['1234.5', 123450n],
    ['1234.56', 123456n],
    ['1,234.56', 123456n],
    ['¥1,234.56', 123456n],
    ['￥1,234.56', 123456n],
    ['￥1234', 123400n],
    ['12,345,678.90', 1234567890n],
    ['999', 99900n],
    ['1,000', 100000n],
    ['  88.80 ', 8880n],
    ['10,000,000,000,000', AMOUNT_FEN_MAX],
    ['10000000000000.00', AMOUNT_FEN_MAX],
  ])('reads %j as %i fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each([
    ['1.234', 'three decimals'],
    ['0.001', 'three decimals'],
    ['-0', 'negative zero'],
    ['-0.00', 'negative zero'],
    ['-1', 'negative'],
    ['abc', 'letters'],
    ['', 'empty'],
    ['   ', 'blank'],
    ['1,23', 'short group'],
    ['1,2345', 'long group'],
    ['12,34,567', 'Indian grouping'],
    ['1234,567', 'first group too long'],
    [',123', 'leading comma'],
    ['1,234,', 'trailing comma'],
    ['01', 'leading zero'],
    ['0,123', 'grouped zero'],
    ['1.', 'dot without decimals'],
    ['.5', 'no integer part'],
    ['1e3', 'exponent'],
    ['+1', 'plus sign'],
    ['¥', 'symbol alone'],
    ['¥-1', 'sign after symbol'],
    ['$1', 'dollar'],
    ['1 234', 'space grouping'],
    ['１２３', 'full-width digits'],
    ['1.2.3', 'two dots'],
    ['Infinity', 'infinity'],
    ['NaN', 'NaN'],
    ['0x10', 'hex'],
    ['1,234.567', 'grouped with three decimals'],
    ['9'.repeat(100), 'absurdly long'],
  ])('rejects %j (%s) with INVALID_AMOUNT', (text) => {
    const error = rejection(() => parseYuan(text, { field: 'amountYuan' }));
    expect(error.code).toBe('INVALID_AMOUNT');
    expect(error.status).toBe(400);
    expect(error.details?.field).toBe('amountYuan');
    expect(error.text.zh).toContain('金额');
    expect(error.text.en).toContain('amount');
  });

  it('rejects amounts beyond AMOUNT_FEN_MAX with AMOUNT_OUT_OF_RANGE', () => {
    expect(rejection(() => parseYuan('10,000,000,000,000.01')).code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(rejection(() => parseYuan('99999999999999999999')).code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(rejection(() => parseYuan('-10000000000000.01', { allowNegative: true })).code).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('names the field "amount" when none is given', () => {
    expect(rejection(() => parseYuan('x')).details?.field).toBe('amount');
  });

  it('accepts negatives only when asked, and never negative zero', () => {
    expect(parseYuan('-1,234.56', { allowNegative: true })).toBe(-123456n);
    expect(parseYuan('-¥0.01', { allowNegative: true })).toBe(-1n);
    expect(rejection(() => parseYuan('-0', { allowNegative: true })).code).toBe('INVALID_AMOUNT');
    expect(rejection(() => parseYuan('-0.00', { allowNegative: true })).code).toBe('INVALID_AMOUNT');
    expect(rejection(() => parseYuan('--1', { allowNegative: true })).code).toBe('INVALID_AMOUNT');
  });

  it('keeps an echo of the rejected input short', () => {
    const error = rejection(() => parseYuan('x'.repeat(39)));
    expect(String(error.details?.value)).toBe('x'.repeat(39));
    expect(String(rejection(() => parseYuan('y'.repeat(1000))).details?.value).length).toBeLessThanOrEqual(41);
  });
});

describe('formatYuan', () => {
  it.each([
    [0n, '0.00', '¥0.00', '0.00'],
    [5n, '0.05', '¥0.05', '0.05'],
    [50n, '0.50', '¥0.50', '0.50'],
    [100n, '1.00', '¥1.00', '1.00'],
    [99999n, '999.99', '¥999.99', '999.99'],
    [100000n, '1,000.00', '¥1,000.00', '1000.00'],
    [123456n, '1,234.56', '¥1,234.56', '1234.56'],
    [-123456n, '-1,234.56', '-¥1,234.56', '-1234.56'],
    [-1n, '-0.01', '-¥0.01', '-0.01'],
    [123456789012n, '1,234,567,890.12', '¥1,234,567,890.12', '1234567890.12'],
    [AMOUNT_FEN_MAX, '10,000,000,000,000.00', '¥10,000,000,000,000.00', '10000000000000.00'],
  ])('formats %i fen', (fen, plain, withSymbol, ungrouped) => {
    expect(formatYuan(fen)).toBe(plain);
    expect(formatYuan(fen, { symbol: true })).toBe(withSymbol);
    expect(formatYuan(fen, { grouping: false })).toBe(ungrouped);
  });

  it('round-trips through parseYuan for every amount in range, in every style', () => {
    const amounts = fc.oneof(
      fc.bigInt({ min: -AMOUNT_FEN_MAX, max: AMOUNT_FEN_MAX }),
      fc.bigInt({ min: -100_000n, max: 100_000n }),
    );
    fc.assert(
      fc.property(amounts, fc.boolean(), fc.boolean(), (fen, symbol, grouping) => {
        const text = formatYuan(fen, { symbol, grouping });
        expect(parseYuan(text, { allowNegative: true })).toBe(fen);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives back the canonical text of anything parseYuan accepts', () => {
    const yuanText = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }), fc.constantFrom('', '.5', '.05', '.50', '.99'))
      .map(([integer, fraction]) => `${integer}${fraction}`);
    fc.assert(
      fc.property(yuanText, (text) => {
        const fen = parseYuan(text);
        expect(formatYuan(fen, { grouping: false })).toBe(
          text.includes('.') ? text.replace(/\.(\d)$/, '.$10') : `${text}.00`,
        );
      }),
    );
  });
});

describe('fen at the JSON edge', () => {
  it('converts safe integers both ways', () => {
    expect(fenToJson(123456n)).toBe(123456);
    expect(fenToJson(-AMOUNT_FEN_MAX)).toBe(-1e15);
    expect(fenToJson(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(fenFromJson(123456)).toBe(123456n);
    expect(fenFromJson(-0)).toBe(0n);
  });

  it('asserts instead of losing precision', () => {
    expect(() => fenToJson(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(AssertionError);
    expect(() => fenToJson(-(2n ** 60n))).toThrow(AssertionError);
    expect(() => fenFromJson(1.5)).toThrow(AssertionError);
    expect(() => fenFromJson(Number.NaN)).toThrow(AssertionError);
    expect(() => fenFromJson(Number.POSITIVE_INFINITY)).toThrow(AssertionError);
    expect(() => fenFromJson(2 ** 53)).toThrow(AssertionError);
  });

  it('round-trips every amount up to AMOUNT_FEN_MAX', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -AMOUNT_FEN_MAX, max: AMOUNT_FEN_MAX }), (fen) => {
        expect(fenFromJson(fenToJson(fen))).toBe(fen);
      }),
    );
  });
});
