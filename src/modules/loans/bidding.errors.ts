import { defineErrors } from '../../platform/errors.ts';

/** Why a bid (投标), a second review or a cancellation was refused. */
export const BiddingError = defineErrors({
  LOAN_NOT_FOUND: { status: 404, zh: '借款标不存在', en: 'No such loan' },
  LOAN_NOT_RAISING: { status: 422, zh: '该借款不在募集中', en: 'The loan is not raising money' },
  LOAN_RAISE_ENDED: { status: 422, zh: '该借款的募集期已结束', en: "The loan's raise window has ended" },
  LOAN_FULL: { status: 422, zh: '该借款已满标', en: 'The loan is already fully subscribed' },
  BID_BELOW_MINIMUM: {
    status: 422,
    zh: '投标金额低于起投金额 {minFen} 分',
    en: 'The bid is below the minimum of {minFen} fen',
  },
  BID_NOT_ON_STEP: {
    status: 422,
    zh: '投标金额须为起投金额加递增金额 {stepFen} 分的整数倍',
    en: 'The bid must be the minimum plus a whole number of steps of {stepFen} fen',
  },
  BID_EXCEEDS_REMAINING: {
    status: 422,
    zh: '投标金额超过剩余可投金额 {remainingFen} 分',
    en: 'The bid is more than the {remainingFen} fen still open',
  },
  BID_LEAVES_UNFILLABLE_REST: {
    status: 422,
    zh: '投标后剩余金额将低于起投金额，请投满剩余的 {remainingFen} 分或少投一些',
    en: 'The bid would leave less than the minimum open; bid the whole {remainingFen} fen or less',
  },
  BID_ABOVE_INVESTOR_MAXIMUM: {
    status: 422,
    zh: '超过单人投标上限 {maxFen} 分（已投 {alreadyFen} 分）',
    en: 'Above the per-investor maximum of {maxFen} fen ({alreadyFen} fen already bid)',
  },
  BID_ON_OWN_LOAN: { status: 422, zh: '不能投资自己的借款', en: 'You cannot bid on your own loan' },
  REAL_NAME_REQUIRED: { status: 422, zh: '请先完成实名认证', en: 'Please verify your real name first' },
  RISK_ASSESSMENT_REQUIRED: {
    status: 422,
    zh: '请先完成风险测评（或测评已过期）',
    en: 'Please take the risk questionnaire first (or again: yours has expired)',
  },
  RISK_LEVEL_NOT_ALLOWED: {
    status: 422,
    zh: '您的风险等级（{level}）不适合该借款',
    en: 'Your risk level ({level}) may not bid on this loan',
  },
  INSUFFICIENT_BALANCE: { status: 422, zh: '可用余额不足', en: 'Insufficient available balance' },
  LOAN_NOT_IN_SECOND_REVIEW: { status: 422, zh: '该借款不在复审中', en: 'The loan is not waiting for second review' },
  REASON_REQUIRED: { status: 400, zh: '请填写原因：{field}', en: 'A reason is required: {field}' },
  BID_SERVICE_BUSY: {
    status: 503,
    zh: '投标人数过多，请稍后再试',
    en: 'Too many bids are waiting; please try again shortly',
  },
});
