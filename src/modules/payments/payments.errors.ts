import { defineErrors } from '../../platform/errors.ts';

export const PaymentError = defineErrors({
  REAL_NAME_REQUIRED: {
    status: 422,
    zh: '请先完成实名认证',
    en: 'Please complete real-name verification first',
  },
  AMOUNT_BELOW_MINIMUM: { status: 422, zh: '金额不能低于 {min} 元', en: 'The amount must be at least {min} CNY' },
  AMOUNT_ABOVE_MAXIMUM: { status: 422, zh: '单笔金额不能超过 {max} 元', en: 'One order may be at most {max} CNY' },
  DAILY_LIMIT_EXCEEDED: {
    status: 422,
    zh: '超过每日限额 {max} 元，今日还可 {left} 元',
    en: 'Over the daily limit of {max} CNY; {left} CNY left today',
  },
  ORDER_NOT_FOUND: { status: 404, zh: '订单不存在', en: 'No such order' },
});
