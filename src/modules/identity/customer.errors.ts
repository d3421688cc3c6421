import { defineErrors } from '../../platform/errors.ts';

/** Expected failures of customer sign-up, sign-in, SMS codes, real-name verification and bank cards. */
export const CustomerError = defineErrors({
  // Input.
  PHONE_INVALID: {
    status: 400,
    zh: '请输入正确的中国大陆手机号',
    en: 'Please enter a valid mainland China mobile number',
  },
  WEAK_PASSWORD: {
    status: 400,
    zh: '密码不符合要求：{problems}',
    en: 'The password does not meet the rules: {problems}',
  },
  REFERRAL_CODE_UNKNOWN: { status: 400, zh: '邀请码不存在', en: 'No such referral code' },
  NAME_INVALID: {
    status: 400,
    zh: '请输入身份证上的姓名（2–30 个字符）',
    en: 'Please enter the name on your ID card (2–30 characters)',
  },
  ID_NUMBER_INVALID: {
    status: 400,
    zh: '身份证号码不正确（{reason}）',
    en: 'The ID number is not valid ({reason})',
  },
  CARD_NUMBER_INVALID: {
    status: 400,
    zh: '银行卡号不正确，请核对后重新输入',
    en: 'The card number is not valid; please check it',
  },
  BANK_UNKNOWN: { status: 400, zh: '请选择支持的银行', en: 'Please choose a supported bank' },
  SMS_PURPOSE_NEEDS_SIGN_IN: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  SMS_PHONE_MISMATCH: {
    status: 400,
    zh: '验证码只能发送到您账户绑定的手机号',
    en: 'This code can only be sent to the phone number of your account',
  },

  // SMS codes.
  SMS_CODE_INVALID: {
    status: 400,
    zh: '短信验证码错误或已使用',
    en: 'The SMS code is wrong or was already used',
  },
  SMS_CODE_EXPIRED: {
    status: 400,
    zh: '短信验证码已过期，请重新获取',
    en: 'The SMS code has expired; please request a new one',
  },
  SMS_CODE_TOO_MANY_ATTEMPTS: {
    status: 429,
    zh: '验证码错误次数过多，请重新获取',
    en: 'Too many wrong codes; please request a new one',
  },
  SMS_TOO_FREQUENT: {
    status: 429,
    zh: '验证码发送过于频繁，请 {seconds} 秒后再试',
    en: 'Codes are being requested too often; try again in {seconds} seconds',
  },
  SMS_DAILY_LIMIT: {
    status: 429,
    zh: '该手机号今日获取验证码次数已达上限',
    en: 'This phone number has reached its daily limit of codes',
  },
  SMS_IP_LIMIT: {
    status: 429,
    zh: '您的网络请求验证码过于频繁，请稍后再试',
    en: 'Too many codes were requested from your network; please try again later',
  },
  SMS_SEND_FAILED: {
    status: 503,
    zh: '短信发送失败，请稍后重试',
    en: 'The SMS could not be sent; please try again shortly',
  },
  SMS_OUTBOX_DISABLED: { status: 404, zh: '记录不存在', en: 'Not found' },

  // Accounts and sign-in.
  PHONE_TAKEN: {
    status: 409,
    zh: '该手机号已注册，请直接登录',
    en: 'This phone number is already registered; please sign in',
  },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号或密码错误', en: 'Wrong phone number or password' },
  ACCOUNT_LOCKED: {
    status: 429,
    zh: '登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试',
    en: 'Too many failed sign-ins; the account is locked, try again in {minutes} minutes',
  },
  LOGIN_METHOD_REQUIRED: {
    status: 400,
    zh: '请输入密码或短信验证码（二选一）',
    en: 'Enter either a password or an SMS code',
  },

  // Real-name verification.
  UNDER_AGE: {
    status: 422,
    zh: '未满 {age} 周岁，不能在本平台实名认证',
    en: 'You must be at least {age} years old to verify your identity here',
  },
  ID_NUMBER_TAKEN: {
    status: 409,
    zh: '该身份证号已被其他账户认证',
    en: 'This ID number is already verified by another account',
  },
  REAL_NAME_ALREADY_VERIFIED: {
    status: 409,
    zh: '您已完成实名认证',
    en: 'Your identity is already verified',
  },
  REAL_NAME_REJECTED: {
    status: 422,
    zh: '身份信息核验未通过：{reason}',
    en: 'The identity check failed: {reason}',
  },
  REAL_NAME_TOO_MANY_ATTEMPTS: {
    status: 429,
    zh: '今日实名认证尝试次数过多，请明天再试',
    en: 'Too many verification attempts today; please try again tomorrow',
  },
  REAL_NAME_REQUIRED: {
    status: 422,
    zh: '请先完成实名认证',
    en: 'Please verify your identity first',
  },

  // Bank cards.
  CARD_TAKEN: {
    status: 409,
    zh: '该银行卡已被绑定或正在审核',
    en: 'This card is already bound or under review',
  },
  CARD_LIMIT_REACHED: {
    status: 422,
    zh: '最多可同时绑定 {max} 张银行卡',
    en: 'At most {max} cards can be bound at a time',
  },
  CARD_STATE_CONFLICT: {
    status: 409,
    zh: '银行卡当前状态（{status}）不允许此操作',
    en: 'The card is {status}; this action is not allowed now',
  },
  CARD_HAS_PENDING_WITHDRAWAL: {
    status: 422,
    zh: '有提现正在处理中，暂不能解绑银行卡',
    en: 'A withdrawal is in progress; the card cannot be unbound now',
  },
  REVIEW_REASON_REQUIRED: {
    status: 400,
    zh: '请填写原因',
    en: 'Please give a reason',
  },
});
