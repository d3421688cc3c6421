import { defineErrors } from '../../../platform/errors.ts';

/** Rule violations of a schedule request; `details.field` names the input. Shape problems are VALIDATION_FAILED. */
export const ScheduleError = defineErrors({
  TERM_REQUIRED: {
    status: 400,
    zh: '请填写期限：{field}',
    en: 'The term is required: {field}',
  },
  TERM_NOT_APPLICABLE: {
    status: 400,
    zh: '该还款方式不使用此期限字段：{field}',
    en: 'This repayment method does not take {field}',
  },
  TERM_OUT_OF_RANGE: {
    status: 400,
    zh: '期限超出允许范围：{field}（{min}–{max}）',
    en: 'The term is out of range: {field} ({min}–{max})',
  },
  TERM_NOT_WHOLE_QUARTERS: {
    status: 400,
    zh: '按季还款的期限必须是 3 的倍数（月）：{field}',
    en: 'A quarterly loan runs for a multiple of 3 months: {field}',
  },
  INVALID_START_DATE: {
    status: 400,
    zh: '起息日不是有效日期（YYYY-MM-DD，{min} 至 {max}）：{field}',
    en: 'The start date is not a valid date (YYYY-MM-DD, {min} to {max}): {field}',
  },
  INVALID_METHOD: {
    status: 400,
    zh: '不支持的还款方式：{field}',
    en: 'Unknown repayment method: {field}',
  },
});
