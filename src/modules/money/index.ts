/**
 * Money: amounts as bigint fen, annual rates as exact parts per million, rounding that names its mode,
 * and one way to split a sum. Pure code with no Node-only API: the browser imports it too.
 */
export { allocate } from './allocate.ts';
export {
  AMOUNT_FEN_MAX,
  FEN_PER_YUAN,
  type FormatYuanOptions,
  fenFromJson,
  fenToJson,
  formatYuan,
  type ParseYuanOptions,
  parseYuan,
} from './amount.ts';
export { MoneyError } from './money.errors.ts';
export {
  ANNUAL_RATE_PPM_MAX,
  type AnnualRate,
  annualRateFromPpm,
  formatAnnualRate,
  formatRatePercent,
  type ParseRateOptions,
  parseAnnualRate,
  parseRatePercent,
  RATE_PPM_PER_UNIT,
} from './rate.ts';
export { divRound, ROUNDING_MODES, type RoundingMode } from './rounding.ts';
