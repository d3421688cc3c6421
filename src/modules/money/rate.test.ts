import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, AssertionError } from '../../platform/errors.ts';
import {
  ANNUAL_RATE_PPM_MAX,
  annualRateFromPpm,
  formatAnnualRate,
  formatRatePercent,
  parseAnnualRate,
  parseRatePercent,
} from './rate.ts';

function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseAnnualRate', () => {
  it.each([
    ['0', 0n, '0', '0%'],
    ['0.0', 0n, '0', '0%'],
    ['0.12', 120_000n, '0.12', '12%'],
    ['0.1200', 120_000n, '0.12', '12%'],
    ['0.085', 85_000n, '0.085', '8.5%'],
    ['0.36', 360_000n, '0.36', '36%'],
    ['0.123456', 123_456n, '0.123456', '12.3456%'],
    ['0.000001', 1n, '0.000001', '0.0001%'],
    ['1', 1_000_000n, '1', '100%'],
    ['2.5', 2_500_000n, '2.5', '250%'],
  ])('reads %j as %i ppm, canonical %j, %j', (text, ppm, canonical, percent) => {
    const rate = parseAnnualRate(text);
    expect(rate.ppm).toBe(ppm);
    expect(rate.text).toBe(canonical);
    expect(formatAnnualRate(rate)).toBe(canonical);
    expect(formatRatePercent(rate)).toBe(percent);
  });

  it.each([
    ['-0.12', 'negative'],
    ['-0', 'negative zero'],
    ['+0.12', 'plus sign'],
    ['1e-2', 'exponent'],
    ['1.2E1', 'exponent'],
    ['0.1234567', 'seven decimals'],
    ['', 'empty'],
    [' 0.12', 'blank around'],
    ['.12', 'no integer part'],
    ['0.', 'dot without decimals'],
    ['00.12', 'leading zero'],
    ['0,12', 'comma'],
    ['12%', 'percent sign'],
    ['NaN', 'NaN'],
    ['Infinity', 'infinity'],
    ['0x1', 'hex'],
    ['0.1'.padEnd(50, '0'), 'absurdly long'],
  ])('rejects %j (%s) with INVALID_RATE', (text) => {
    const error = rejection(() => parseAnnualRate(text));
    expect(error.code).toBe('INVALID_RATE');
    expect(error.status).toBe(400);
    expect(error.details?.field).toBe('annualRate');
  });

  it('rejects a rate above the maximum, inclusive bound', () => {
    expect(parseAnnualRate('0.36', { maxPpm: 360_000n }).ppm).toBe(360_000n);
    const error = rejection(() => parseAnnualRate('0.360001', { maxPpm: 360_000n, field: 'rate' }));
    expect(error.code).toBe('RATE_OUT_OF_RANGE');
    expect(error.details).toMatchObject({ field: 'rate', max: '0.36' });
    expect(rejection(() => parseAnnualRate('10.000001')).code).toBe('RATE_OUT_OF_RANGE');
    expect(parseAnnualRate('10').ppm).toBe(ANNUAL_RATE_PPM_MAX);
  });

  it('round-trips canonical text and ppm', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: ANNUAL_RATE_PPM_MAX }), (ppm) => {
        const rate = annualRateFromPpm(ppm);
        expect(parseAnnualRate(rate.text)).toEqual(rate);
        expect(parseRatePercent(formatRatePercent(rate))).toEqual(rate);
      }),
      { numRuns: 3000 },
    );
  });

  it('asserts on a negative ppm', () => {
    expect(() => annualRateFromPpm(-1n)).toThrow(AssertionError);
  });
});

describe('parseRatePercent', () => {
  it.each([
    ['12', 120_000n],
    ['12%', 120_000n],
    ['12.5 %', 125_000n],
    [' 8.25 ', 82_500n],
    ['0.0001', 1n],
    ['0', 0n],
    ['36', 360_000n],
  ])('reads %j as %i ppm', (text, ppm) => {
    expect(parseRatePercent(text).ppm).toBe(ppm);
  });

  it.each(['12.34567', '-1', '1e1', '%', '', 'abc', '12%%', '.5'])('rejects %j', (text) => {
    expect(rejection(() => parseRatePercent(text)).code).toBe('INVALID_RATE');
  });

  it('applies the maximum too', () => {
    expect(rejection(() => parseRatePercent('36.0001', { maxPpm: 360_000n })).code).toBe('RATE_OUT_OF_RANGE');
  });
});
