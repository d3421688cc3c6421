import type { LocalizedText } from '../i18n.ts';

/**
 * Every permission a back-office route may require. A route declares exactly one with
 * `config: { permission: '…' }`; the app refuses to start if an /api/v1/admin route declares none.
 * New capabilities add their permissions here (with both names) and to the built-in roles below.
 */
export const PERMISSIONS = {
  'workbench.read': { zh: '查看工作台', en: 'View the workbench' },
  'members.read': { zh: '查看会员', en: 'View members' },
  'members.manage': { zh: '管理会员（冻结、解冻、违规标记）', en: 'Manage members (freeze, unfreeze, flag)' },
  'kyc.review': { zh: '审核实名与资料', en: 'Review identity and documents' },
  'cards.review': { zh: '审核银行卡', en: 'Review bank cards' },
  'ledger.read': { zh: '查看资金流水', en: 'View fund statements' },
  'ledger.trial_balance': { zh: '查看试算平衡表', en: 'View the trial balance' },
  'sms.outbox.read': { zh: '查看短信发送记录', en: 'View the SMS outbox' },
  'staff.read': { zh: '查看员工', en: 'View staff' },
  'staff.manage': { zh: '管理员工', en: 'Manage staff' },
  'roles.manage': { zh: '管理角色与权限', en: 'Manage roles and permissions' },
  'audit.read': { zh: '查看审计日志', en: 'View the audit log' },
  'approvals.read': { zh: '查看复核事项', en: 'View approval requests' },
  'approvals.decide': {
    zh: '复核他人提交的操作（还须持有该操作的权限）',
    en: "Approve or reject others' requests (also needs the action's own permission)",
  },
  'system.parameters': { zh: '修改系统参数', en: 'Change system parameters' },
  'payments.read': {
    zh: '查看充值提现订单与存管回调',
    en: 'View recharge and withdrawal orders and custodian callbacks',
  },
  'payments.reconcile': { zh: '执行对账并处理差异', en: 'Run reconciliation and resolve differences' },
  'payments.review': { zh: '审核大额提现', en: 'Review large withdrawals' },
  'payments.offline_recharge': {
    zh: '登记与复核线下充值（登记与复核须为两人）',
    en: 'Record and approve offline recharges (two different people)',
  },
  'loans.products': { zh: '配置借款产品', en: 'Configure loan products' },
  'loans.review': {
    zh: '借款初审与发布（超限额发布须两人）',
    en: 'First review and publishing of loan applications (two people above the limit)',
  },
  'loans.second_review': {
    zh: '满标复审与放款（审核通过即放款，或驳回退回投标资金）',
    en: 'Second review of full loans (approve to disburse, or reject to release the bids)',
  },
  'loans.cancel': { zh: '撤销募集中的借款（流标）', en: 'Cancel a raising loan (release every bid)' },
} as const satisfies Record<string, LocalizedText>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export interface BuiltinRole {
  readonly code: string;
  readonly name: LocalizedText;
  readonly permissions: readonly Permission[];
}

/** Roles every installation has. Their permission sets are kept in step with this list at every start. */
export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  { code: 'super_admin', name: { zh: '超级管理员', en: 'Super admin' }, permissions: ALL_PERMISSIONS },
  {
    code: 'reviewer',
    name: { zh: '审核员', en: 'Reviewer' },
    permissions: ['workbench.read', 'members.read', 'kyc.review', 'cards.review', 'loans.review'],
  },
  {
    code: 'risk_officer',
    name: { zh: '风控专员', en: 'Risk officer' },
    permissions: [
      'workbench.read',
      'members.read',
      'members.manage',
      'kyc.review',
      'ledger.read',
      'audit.read',
      'approvals.read',
      'approvals.decide',
      'loans.products',
      'loans.review',
      'loans.second_review',
      'loans.cancel',
    ],
  },
  {
    code: 'finance',
    name: { zh: '财务', en: 'Finance' },
    permissions: [
      'workbench.read',
      'members.read',
      'ledger.read',
      'ledger.trial_balance',
      'approvals.read',
      'approvals.decide',
      'payments.read',
      'payments.reconcile',
      'payments.review',
      'payments.offline_recharge',
    ],
  },
  {
    code: 'customer_service',
    name: { zh: '客服', en: 'Customer service' },
    permissions: ['workbench.read', 'members.read', 'sms.outbox.read'],
  },
  {
    code: 'operator',
    name: { zh: '运营', en: 'Operator' },
    permissions: ['workbench.read', 'members.read', 'system.parameters', 'sms.outbox.read'],
  },
];
