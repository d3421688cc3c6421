import { defineErrors } from '../../platform/errors.ts';

/** Why the ledger refused a command. Each leaves every balance unchanged. */
export const LedgerError = defineErrors({
  INSUFFICIENT_BALANCE: {
    status: 422,
    zh: '可用余额不足',
    en: 'Insufficient available balance',
  },
  CREDITS_EXCEED_DEBITS: {
    status: 422,
    zh: '账户 {accountCode} 余额不足以支付该笔款项',
    en: 'Account {accountCode} does not hold enough to pay this out',
  },
  ACCOUNT_NOT_FOUND: { status: 404, zh: '账户不存在', en: 'Account not found' },
  INVALID_TRANSFER_AMOUNT: {
    status: 400,
    zh: '金额必须是大于 0 的整数分',
    en: 'The amount must be a whole number of fen greater than 0',
  },
  INVALID_TRANSFER_ID: {
    status: 400,
    zh: '转账编号格式不正确',
    en: 'The transfer id has the wrong format',
  },
  SAME_ACCOUNT_TRANSFER: {
    status: 422,
    zh: '转出与转入账户不能相同',
    en: 'The debit and credit accounts must differ',
  },
  TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS: {
    status: 409,
    zh: '该编号已用于另一笔不同的转账',
    en: 'This transfer id was already used for a different transfer',
  },
  PENDING_TRANSFER_NOT_FOUND: { status: 404, zh: '冻结记录不存在', en: 'No such hold' },
  NOT_A_PENDING_TRANSFER: { status: 422, zh: '该记录不是冻结', en: 'That transfer is not a hold' },
  PENDING_TRANSFER_ALREADY_POSTED: { status: 409, zh: '该冻结已扣款', en: 'The hold was already posted' },
  PENDING_TRANSFER_ALREADY_VOIDED: { status: 409, zh: '该冻结已解冻', en: 'The hold was already released' },
  PENDING_TRANSFER_EXPIRED: { status: 422, zh: '该冻结已过期', en: 'The hold has expired' },
  EXCEEDS_PENDING_AMOUNT: {
    status: 422,
    zh: '扣款金额超过冻结金额',
    en: 'The amount to post exceeds the amount held',
  },
  LINKED_TRANSFER_FAILED: {
    status: 422,
    zh: '同组的另一笔转账失败，本组全部未执行',
    en: 'Another transfer in the linked set failed, so none was made',
  },
  BATCH_TOO_LARGE: { status: 400, zh: '一次提交的转账过多', en: 'Too many transfers in one batch' },
});
