import { defineErrors } from '../../platform/errors.ts';

export const StaffError = defineErrors({
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  TOTP_REQUIRED: { status: 401, zh: '请输入动态口令', en: 'Please enter your authenticator code' },
  TOTP_INVALID: { status: 401, zh: '动态口令错误或已使用', en: 'The authenticator code is wrong or was already used' },
  ACCOUNT_LOCKED: {
    status: 429,
    zh: '登录失败次数过多，账户已锁定，请 {minutes} 分钟后再试',
    en: 'Too many failed sign-ins; the account is locked, try again in {minutes} minutes',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账户已停用', en: 'This account is disabled' },
  WEAK_PASSWORD: {
    status: 400,
    zh: '密码不符合要求：{problems}',
    en: 'The password does not meet the rules: {problems}',
  },
  PASSWORD_UNCHANGED: {
    status: 400,
    zh: '新密码不能与当前密码相同',
    en: 'The new password must differ from the current one',
  },
  TOTP_ALREADY_ENABLED: { status: 409, zh: '动态口令已绑定', en: 'Two-factor authentication is already set up' },
  TOTP_NOT_STARTED: { status: 409, zh: '请先获取绑定二维码', en: 'Start the set-up first to get the QR code' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已存在', en: 'This username is taken' },
});
