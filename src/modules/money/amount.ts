import { assert } from '../../platform/errors.ts';
import { echo, MoneyError } from './money.errors.ts';

/** Fen per yuan. */
export const FEN_PER_YUAN = 100n;

/**
 * The largest amount the platform handles, in fen: 10^15 fen = 10 trillion yuan. It stays below
 * Number.MAX_SAFE_INTEGER (≈ 9.007·10^15) so that every amount survives the trip as a JSON number.
 */
export const AMOUNT_FEN_MAX = 1_000_000_000_000_000n;

/** Longer inputs are rejected before any parsing (the longest valid one is about 26 characters). */
const AMOUNT_TEXT_CHARS_MAX = 40;

/**
 * sign? symbol? integer (fraction)?
 * - the integer is "0", plain digits without a leading zero, or correctly grouped by thousands;
 * - the fraction has one or two digits;
 * - the symbol is ¥ (U+00A5) or the full-width ￥ (U+FFE5).
 */
const AMOUNT_PATTERN = /^(-?)[¥￥]?(0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;

const YUAN_SYMBOL = '¥';

export interface ParseYuanOptions {
  /** Accept a leading minus sign (default false). "-0" is rejected either way. */
  readonly allowNegative?: boolean;
  /** The input's name, reported as `details.field` in errors (default "amount"). */
  readonly field?: string;
}

/**
 * A yuan amount as typed by a person ("1234", "1234.5", "1,234.56", "¥1,234.56", "￥1,234.56") → fen.
 * Surrounding blanks are ignored. Rejects: anything else, wrong thousands grouping ("1,23"), more than
 * two decimals ("1.234"), a minus sign unless allowed, negative zero ("-0", "-0.00"), and amounts beyond
 * AMOUNT_FEN_MAX. Throws INVALID_AMOUNT or AMOUNT_OUT_OF_RANGE (400).
 */
export function parseYuan(text: string, options: ParseYuanOptions = {}): bigint {
  const field = options.field ?? 'amount';
  if (typeof text !== 'string') throw MoneyError.INVALID_AMOUNT({ field, value: String(text) });
  const trimmed = text.trim();
  const match = trimmed.length <= AMOUNT_TEXT_CHARS_MAX ? AMOUNT_PATTERN.exec(trimmed) : null;
  if (!match) throw MoneyError.INVALID_AMOUNT({ field, value: echo(trimmed) });
  const [, sign = '', integer = '', fraction = ''] = match;
  const magnitude = BigInt(integer.replaceAll(',', '')) * FEN_PER_YUAN + BigInt(fraction.padEnd(2, '0'));
  if (sign === '-') {
    if (!options.allowNegative) throw MoneyError.INVALID_AMOUNT({ field, value: echo(trimmed), reason: 'negative' });
    if (magnitude === 0n) throw MoneyError.INVALID_AMOUNT({ field, value: echo(trimmed), reason: 'negative_zero' });
  }
  if (magnitude > AMOUNT_FEN_MAX) {
    throw MoneyError.AMOUNT_OUT_OF_RANGE({ field, value: echo(trimmed), maxFen: Number(AMOUNT_FEN_MAX) });
  }
  return sign === '-' ? -magnitude : magnitude;
}

export interface FormatYuanOptions {
  /** Prefix the yuan symbol ¥ (default false). A minus sign goes before it: "-¥1.00". */
  readonly symbol?: boolean;
  /** Group thousands with commas (default true). Without grouping the text suits CSV and spreadsheets. */
  readonly grouping?: boolean;
}

/** Fen → "1,234.56" (or "¥1,234.56", "-1,234.56", "1234.56"). Always two decimals; exact for any bigint. */
export function formatYuan(fen: bigint, options: FormatYuanOptions = {}): string {
  const negative = fen < 0n;
  const magnitude = negative ? -fen : fen;
  const integer = (magnitude / FEN_PER_YUAN).toString();
  const fraction = (magnitude % FEN_PER_YUAN).toString().padStart(2, '0');
  const grouped = options.grouping === false ? integer : groupThousands(integer);
  return `${negative ? '-' : ''}${options.symbol ? YUAN_SYMBOL : ''}${grouped}.${fraction}`;
}

function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** Fen → a JSON number for the HTTP edge. Asserts it is a safe integer (within ±AMOUNT_FEN_MAX is always safe). */
export function fenToJson(fen: bigint): number {
  assert(
    fen <= BigInt(Number.MAX_SAFE_INTEGER) && fen >= -BigInt(Number.MAX_SAFE_INTEGER),
    `fenToJson: ${fen} is not a safe integer`,
  );
  return Number(fen);
}

/** A JSON number of fen (already validated by the request schema) → bigint. Asserts it is a safe integer. */
export function fenFromJson(n: number): bigint {
  assert(Number.isSafeInteger(n), `fenFromJson: ${n} is not a safe integer`);
  return BigInt(n);
}
