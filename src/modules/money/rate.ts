import { assert } from '../../platform/errors.ts';
import { echo, MoneyError } from './money.errors.ts';

/** Rates are held in parts per million: 0.12 (12%) = 120,000 ppm. Six decimals is the finest a rate may be. */
export const RATE_PPM_PER_UNIT = 1_000_000n;
const RATE_DECIMALS = 6;
/** ppm per percentage point: 1% = 10,000 ppm. */
const PPM_PER_PERCENT = 10_000n;
const PERCENT_DECIMALS = 4;

/** The largest rate `parseAnnualRate` accepts unless told otherwise: 10 (1000% a year). Callers narrow it. */
export const ANNUAL_RATE_PPM_MAX = 10n * RATE_PPM_PER_UNIT;

const RATE_TEXT_CHARS_MAX = 24;

/** A rate as plain decimal digits: "0", "0.12", "1.5"; no sign, no exponent, no leading zeros, ≤ 6 decimals. */
const RATE_PATTERN = /^(0|[1-9]\d*)(?:\.(\d{1,6}))?$/;
/** A percentage with at most 4 decimals (6 decimals of the rate) and an optional "%": "12", "12.5%", "0.0001". */
const PERCENT_PATTERN = /^(0|[1-9]\d*)(?:\.(\d{1,4}))?\s*%?$/;

/**
 * An annual interest rate, exact: `ppm` is parts per million (0.12 → 120000n) and `text` its canonical
 * decimal string ("0.12": no trailing zeros, "0" for zero). Two rates are equal when their ppm are.
 */
export interface AnnualRate {
  readonly ppm: bigint;
  readonly text: string;
}

export interface ParseRateOptions {
  /** The input's name for `details.field` in errors (default "annualRate"). */
  readonly field?: string;
  /** Largest accepted rate in ppm, inclusive (default ANNUAL_RATE_PPM_MAX). */
  readonly maxPpm?: bigint;
}

/** A rate from its ppm. Asserts 0 ≤ ppm (a negative rate is a programmer error here; parsing rejects it politely). */
export function annualRateFromPpm(ppm: bigint): AnnualRate {
  assert(ppm >= 0n, `annualRateFromPpm: negative rate ${ppm}`);
  return Object.freeze({ ppm, text: formatRatePpm(ppm) });
}

/**
 * A decimal rate string as the API sends it ("0.12", "0.1200", "0.085", "0") → AnnualRate.
 * Rejects negatives, signs, exponents ("1e-2"), more than 6 decimals, blanks and anything above `maxPpm`.
 * Throws INVALID_RATE or RATE_OUT_OF_RANGE (400) with `details.field`.
 */
export function parseAnnualRate(text: string, options: ParseRateOptions = {}): AnnualRate {
  const field = options.field ?? 'annualRate';
  const match = typeof text === 'string' && text.length <= RATE_TEXT_CHARS_MAX ? RATE_PATTERN.exec(text) : null;
  if (!match) throw MoneyError.INVALID_RATE({ field, value: echo(String(text)) });
  const [, integer = '', fraction = ''] = match;
  const ppm = BigInt(integer) * RATE_PPM_PER_UNIT + BigInt(fraction.padEnd(RATE_DECIMALS, '0'));
  return checkedRate(ppm, field, options.maxPpm, text);
}

/**
 * A percentage as a person types it ("12", "12.5", "12.5%", "0.0001") → AnnualRate (12.5 → 0.125).
 * At most 4 decimals, so the rate has at most 6. Same errors as parseAnnualRate.
 */
export function parseRatePercent(text: string, options: ParseRateOptions = {}): AnnualRate {
  const field = options.field ?? 'annualRate';
  const match =
    typeof text === 'string' && text.length <= RATE_TEXT_CHARS_MAX ? PERCENT_PATTERN.exec(text.trim()) : null;
  if (!match) throw MoneyError.INVALID_RATE({ field, value: echo(String(text)) });
  const [, integer = '', fraction = ''] = match;
  const ppm = BigInt(integer) * PPM_PER_PERCENT + BigInt(fraction.padEnd(PERCENT_DECIMALS, '0'));
  return checkedRate(ppm, field, options.maxPpm, text);
}

function checkedRate(ppm: bigint, field: string, maxPpm: bigint | undefined, text: string): AnnualRate {
  const max = maxPpm ?? ANNUAL_RATE_PPM_MAX;
  if (ppm > max) throw MoneyError.RATE_OUT_OF_RANGE({ field, value: echo(text), max: formatRatePpm(max) });
  return annualRateFromPpm(ppm);
}

/** The canonical decimal string of a rate: "0.12", "0.085", "0", "1". */
export function formatAnnualRate(rate: AnnualRate): string {
  return rate.text;
}

/** A rate as a percentage for display: 0.12 → "12%", 0.085 → "8.5%", 0.123456 → "12.3456%". Exact. */
export function formatRatePercent(rate: AnnualRate): string {
  return `${decimalText(rate.ppm, PPM_PER_PERCENT, PERCENT_DECIMALS)}%`;
}

function formatRatePpm(ppm: bigint): string {
  return decimalText(ppm, RATE_PPM_PER_UNIT, RATE_DECIMALS);
}

/** value / scale as a decimal string without trailing zeros; scale is 10^decimals, value ≥ 0. */
function decimalText(value: bigint, scale: bigint, decimals: number): string {
  const integer = (value / scale).toString();
  const fraction = (value % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction ? `${integer}.${fraction}` : integer;
}
