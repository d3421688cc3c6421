import { defineErrors } from '../../platform/errors.ts';

/**
 * Expected failures of money input. `details.field` names the input when the caller passed one,
 * `details.value` echoes (a bounded prefix of) what was rejected.
 */
export const MoneyError = defineErrors({
  INVALID_AMOUNT: {
    status: 400,
    zh: '金额格式不正确：{field}（示例：1,234.56）',
    en: 'Invalid amount: {field} (example: 1,234.56)',
  },
  AMOUNT_OUT_OF_RANGE: {
    status: 400,
    zh: '金额超出允许范围：{field}',
    en: 'The amount is out of range: {field}',
  },
  INVALID_RATE: {
    status: 400,
    zh: '利率格式不正确：{field}（最多 6 位小数，例如 0.12）',
    en: 'Invalid rate: {field} (at most 6 decimals, e.g. 0.12)',
  },
  RATE_OUT_OF_RANGE: {
    status: 400,
    zh: '利率超出允许范围：{field}',
    en: 'The rate is out of range: {field}',
  },
});

/** Bound on how much of a rejected input is echoed back in error details. */
export const ECHO_CHARS_MAX = 40;

export function echo(text: string): string {
  return text.length > ECHO_CHARS_MAX ? `${text.slice(0, ECHO_CHARS_MAX)}…` : text;
}
