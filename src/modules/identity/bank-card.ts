import type { BankCardStatus } from '../../db/schema.ts';
import type { LocalizedText } from '../../platform/i18n.ts';

export type { BankCardStatus };

/**
 * Bank card binding (绑卡), after seed 004: a new card waits for review (待审核 pending_review); the review
 * passes it to 待绑定 (pending_binding) or refuses it (审核未通过 rejected, with a reason); the bank's binding
 * (the custodian's small verification payment) then makes it 已绑定 (bound), or fails (绑定失败
 * binding_failed, with a reason — still awaiting binding and may be retried, as the seed's "支付失败，则为待绑定").
 * Unbinding or cancelling ends a card (unbound); the row stays as history.
 *
 * Until the custodian gateway (issue 5) reports binding results, staff record them through the review endpoint.
 */
export const CARD_STATUSES: readonly BankCardStatus[] = [
  'pending_review',
  'pending_binding',
  'bound',
  'rejected',
  'binding_failed',
  'unbound',
];

/** Cards that hold their number: at most one live card per number on the platform. */
export const LIVE_CARD_STATUSES: readonly BankCardStatus[] = [
  'pending_review',
  'pending_binding',
  'binding_failed',
  'bound',
];

export const CARD_STATUS_NAMES: Record<BankCardStatus, LocalizedText> = {
  pending_review: { zh: '待审核', en: 'Pending review' },
  pending_binding: { zh: '待绑定', en: 'Pending binding' },
  bound: { zh: '已绑定', en: 'Bound' },
  rejected: { zh: '审核未通过', en: 'Rejected' },
  binding_failed: { zh: '绑定失败', en: 'Binding failed' },
  unbound: { zh: '已解绑', en: 'Unbound' },
};

/** What staff may decide about a card (until issue 5 the binding results are recorded by staff too). */
export const CARD_DECISIONS = ['approve', 'reject', 'confirm_binding', 'fail_binding'] as const;
export type CardDecision = (typeof CARD_DECISIONS)[number];
export type CardAction = CardDecision | 'unbind';

interface Transition {
  readonly from: readonly BankCardStatus[];
  readonly to: BankCardStatus;
  readonly needsReason: boolean;
}

export const CARD_TRANSITIONS: Readonly<Record<CardAction, Transition>> = {
  approve: { from: ['pending_review'], to: 'pending_binding', needsReason: false },
  reject: { from: ['pending_review'], to: 'rejected', needsReason: true },
  confirm_binding: { from: ['pending_binding', 'binding_failed'], to: 'bound', needsReason: false },
  fail_binding: { from: ['pending_binding', 'binding_failed'], to: 'binding_failed', needsReason: true },
  unbind: {
    from: ['pending_review', 'pending_binding', 'binding_failed', 'bound', 'rejected'],
    to: 'unbound',
    needsReason: false,
  },
};

/** The state after an action, or undefined when the action is not allowed from `status`. */
export function nextCardStatus(status: BankCardStatus, action: CardAction): BankCardStatus | undefined {
  const t = CARD_TRANSITIONS[action];
  return t.from.includes(status) ? t.to : undefined;
}

export interface Bank {
  readonly code: string;
  readonly name: LocalizedText;
}

/** Banks a card may be added from: the large state-owned and national joint-stock banks and two city banks. */
export const BANKS: readonly Bank[] = [
  { code: 'ICBC', name: { zh: '中国工商银行', en: 'Industrial and Commercial Bank of China' } },
  { code: 'ABC', name: { zh: '中国农业银行', en: 'Agricultural Bank of China' } },
  { code: 'BOC', name: { zh: '中国银行', en: 'Bank of China' } },
  { code: 'CCB', name: { zh: '中国建设银行', en: 'China Construction Bank' } },
  { code: 'COMM', name: { zh: '交通银行', en: 'Bank of Communications' } },
  { code: 'PSBC', name: { zh: '中国邮政储蓄银行', en: 'Postal Savings Bank of China' } },
  { code: 'CMB', name: { zh: '招商银行', en: 'China Merchants Bank' } },
  { code: 'CITIC', name: { zh: '中信银行', en: 'China CITIC Bank' } },
  { code: 'CEB', name: { zh: '中国光大银行', en: 'China Everbright Bank' } },
  { code: 'HXB', name: { zh: '华夏银行', en: 'Hua Xia Bank' } },
  { code: 'CMBC', name: { zh: '中国民生银行', en: 'China Minsheng Bank' } },
  { code: 'CGB', name: { zh: '广发银行', en: 'China Guangfa Bank' } },
  { code: 'PAB', name: { zh: '平安银行', en: 'Ping An Bank' } },
  { code: 'CIB', name: { zh: '兴业银行', en: 'Industrial Bank' } },
  { code: 'SPDB', name: { zh: '上海浦东发展银行', en: 'Shanghai Pudong Development Bank' } },
  { code: 'BOB', name: { zh: '北京银行', en: 'Bank of Beijing' } },
  { code: 'BOSC', name: { zh: '上海银行', en: 'Bank of Shanghai' } },
];

const BANK_BY_CODE: ReadonlyMap<string, Bank> = new Map(BANKS.map((b) => [b.code, b]));

export function findBank(code: string): Bank | undefined {
  return BANK_BY_CODE.get(code);
}

/** How many live cards a customer may have at once. */
export const CARDS_PER_CUSTOMER_MAX = 5;
export const CARD_REASON_CHARS_MAX = 200;
