import type { LocalizedText } from '../../platform/i18n.ts';

/**
 * Why money moved. Every transfer carries one; statements show its name and filter by it.
 * New capabilities add their codes here (the compiler then demands both names).
 */
export const TRANSFER_CODES = {
  recharge: { zh: '充值', en: 'Recharge' },
  recharge_offline: { zh: '线下充值', en: 'Offline recharge' },
  withdraw: { zh: '提现', en: 'Withdrawal' },
  withdraw_fee: { zh: '提现手续费', en: 'Withdrawal fee' },
  bid_hold: { zh: '投标冻结', en: 'Bid hold' },
  disburse: { zh: '放款', en: 'Disbursement' },
  service_fee: { zh: '借款服务费', en: 'Service fee' },
  guarantee_fee: { zh: '担保费', en: 'Guarantee fee' },
  repay_principal: { zh: '还款本金', en: 'Principal repaid' },
  repay_interest: { zh: '还款利息', en: 'Interest repaid' },
  management_fee: { zh: '利息管理费', en: 'Management fee on interest' },
  penalty: { zh: '罚息', en: 'Penalty interest' },
  late_fee: { zh: '逾期管理费', en: 'Late fee' },
  advance: { zh: '平台垫付', en: 'Platform advance' },
  advance_recovery: { zh: '垫付回收', en: 'Advance recovered' },
  bonus: { zh: '红包/体验金发放', en: 'Bonus granted' },
  bonus_expire: { zh: '红包/体验金过期', en: 'Bonus expired' },
  risk_reserve_fund: { zh: '风险准备金计提', en: 'Risk reserve funding' },
  correction: { zh: '冲正调整', en: 'Correction' },
  internal: { zh: '内部调账', en: 'Internal transfer' },
} as const satisfies Record<string, LocalizedText>;

export type TransferCode = keyof typeof TRANSFER_CODES;

export function isTransferCode(code: string): code is TransferCode {
  return Object.hasOwn(TRANSFER_CODES, code);
}
