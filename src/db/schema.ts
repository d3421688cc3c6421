import type { ColumnType, Generated } from 'kysely';

/**
 * Table types for the query layer. Each module adds its tables here as its migrations create them.
 * BIGINT columns are read as `bigint` (see database.ts); money columns end in `_fen`.
 */
export interface Database {
  system_parameters: SystemParametersTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  idempotency_records: IdempotencyRecordsTable;
  users: UsersTable;
  organisations: OrganisationsTable;
  staff: StaffTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  staff_roles: StaffRolesTable;
  sessions: SessionsTable;
  sms_messages: SmsMessagesTable;
  sms_codes: SmsCodesTable;
  audit_log: AuditLogTable;
  documents: DocumentsTable;
  companies: CompaniesTable;
  company_financials: CompanyFinancialsTable;
  risk_assessments: RiskAssessmentsTable;
  customer_real_names: CustomerRealNamesTable;
  bank_cards: BankCardsTable;
  approval_requests: ApprovalRequestsTable;
  member_violations: MemberViolationsTable;
  vip_levels: VipLevelsTable;
  member_points: MemberPointsTable;
  member_point_entries: MemberPointEntriesTable;
  member_messages: MemberMessagesTable;
  outbox_jobs: OutboxJobsTable;
  payment_orders: PaymentOrdersTable;
  custodian_callbacks: CustodianCallbacksTable;
  sandbox_custodian_orders: SandboxCustodianOrdersTable;
  sandbox_custodian_controls: SandboxCustodianControlsTable;
  reconciliation_runs: ReconciliationRunsTable;
  reconciliation_items: ReconciliationItemsTable;
  loan_products: LoanProductsTable;
  loans: LoansTable;
  bids: BidsTable;
  loan_events: LoanEventsTable;
  repayment_schedules: RepaymentSchedulesTable;
  receipt_schedules: ReceiptSchedulesTable;
}

export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** Platform-wide settings staff can change (module switches, limits); values are JSON. */
export interface SystemParametersTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  description_zh: string;
  description_en: string;
  version: Generated<number>;
  updated_at: UpdatedAt;
}

export interface LedgerAccountsTable {
  id: string;
  code: string;
  kind: 'customer' | 'platform';
  owner_id: string | null;
  purpose: string;
  currency: Generated<string>;
  normal_side: 'debit' | 'credit';
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  debits_pending_fen: Generated<bigint>;
  debits_posted_fen: Generated<bigint>;
  credits_pending_fen: Generated<bigint>;
  credits_posted_fen: Generated<bigint>;
  version: Generated<bigint>;
  created_at: CreatedAt;
}

/** Immutable: a trigger refuses UPDATE, DELETE and TRUNCATE. */
export interface LedgerTransfersTable {
  id: string;
  seq: ColumnType<bigint, never, never>;
  debit_account_id: string;
  credit_account_id: string;
  amount_fen: bigint;
  kind: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  pending_id: string | null;
  code: string;
  linked_batch_id: string | null;
  refs: ColumnType<Record<string, string>, string, never>;
  memo: string | null;
  expires_at: Date | null;
  debit_balance_after_fen: bigint;
  debit_frozen_after_fen: bigint;
  credit_balance_after_fen: bigint;
  credit_frozen_after_fen: bigint;
  created_at: CreatedAt;
}

/** The first answer to a request with an Idempotency-Key, replayed to repeats. */
export interface IdempotencyRecordsTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  phone_cipher: string;
  phone_hash: string;
  phone_masked: string;
  password_hash: string | null;
  kind: Generated<'person' | 'company'>;
  status: Generated<'active' | 'frozen' | 'closed'>;
  status_reason: string | null;
  referral_code: string;
  referred_by: string | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface OrganisationsTable {
  id: string;
  parent_id: string | null;
  name_zh: string;
  name_en: string;
  created_at: CreatedAt;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  totp_secret_cipher: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: bigint | null;
  organisation_id: string | null;
  status: Generated<'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RolesTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  builtin: Generated<boolean>;
  created_at: CreatedAt;
}

export interface RolePermissionsTable {
  role_id: string;
  permission: string;
}

export interface StaffRolesTable {
  staff_id: string;
  role_id: string;
}

export interface SessionsTable {
  token_hash: string;
  subject_kind: 'customer' | 'staff';
  subject_id: string;
  csrf_token: string;
  /** 'setup': a staff member who must still change the password or enrol TOTP. */
  stage: Generated<'full' | 'setup'>;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: UpdatedAt;
  idle_timeout_seconds: number;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface SmsMessagesTable {
  id: string;
  phone_hash: string;
  phone_masked: string;
  phone_cipher: string;
  purpose: string;
  body: string;
  provider: string;
  status: 'queued' | 'sent' | 'failed';
  error: string | null;
  ip: string | null;
  created_at: CreatedAt;
}

export interface SmsCodesTable {
  id: string;
  phone_hash: string;
  purpose: 'register' | 'login' | 'reset_password' | 'withdraw' | 'bind_card';
  code_hash: string;
  attempts: Generated<number>;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
  /** The requester's IP (per-IP sending limit). */
  ip: string | null;
  /** What went out: the code, a notice without a code (register on a taken phone), or nothing. */
  delivery: Generated<'code' | 'notice' | 'none'>;
}

/** Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
export interface AuditLogTable {
  id: ColumnType<bigint, never, never>;
  at: CreatedAt;
  actor_kind: 'customer' | 'staff' | 'system' | 'anonymous';
  actor_id: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  outcome: Generated<'ok' | 'refused'>;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  detail: ColumnType<unknown, string | null, never>;
}

/** Two-person approval (maker-checker): see src/modules/backoffice/approvals.service.ts. */
export interface ApprovalRequestsTable {
  id: string;
  kind: string;
  target_kind: string | null;
  target_id: string | null;
  payload: ColumnType<unknown, string, never>;
  note: string;
  maker_staff_id: string;
  status: Generated<'pending' | 'approved' | 'rejected' | 'cancelled'>;
  checker_staff_id: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: CreatedAt;
}

/** Append-only: flags, freezes and unfreezes of a member with their reasons. */
export interface MemberViolationsTable {
  id: string;
  user_id: string;
  action: 'flag' | 'freeze' | 'unfreeze';
  reason: string;
  staff_id: string | null;
  approval_id: string | null;
  created_at: CreatedAt;
}

export interface VipLevelsTable {
  level: number;
  name_zh: string;
  name_en: string;
  min_points: bigint;
}

export interface MemberPointsTable {
  user_id: string;
  points: bigint;
  updated_at: UpdatedAt;
}

/** Append-only: every change of a member's points. */
export interface MemberPointEntriesTable {
  id: string;
  user_id: string;
  delta_points: bigint;
  points_after: bigint;
  reason: string;
  staff_id: string | null;
  created_at: CreatedAt;
}

/** In-site messages (站内信) from staff to a member. */
export interface MemberMessagesTable {
  id: string;
  user_id: string;
  title: string;
  body: string;
  sender_staff_id: string | null;
  read_at: Date | null;
  created_at: CreatedAt;
}

/** A customer's verified identity (实名认证): one per customer, one customer per ID number. */
export interface CustomerRealNamesTable {
  user_id: string;
  name_cipher: string;
  name_masked: string;
  id_number_cipher: string;
  id_number_hash: string;
  id_number_masked: string;
  sex: 'male' | 'female';
  provider: string;
  verified_at: CreatedAt;
}

export type BankCardStatus = 'pending_review' | 'pending_binding' | 'bound' | 'rejected' | 'binding_failed' | 'unbound';

/** A customer's bank card (绑卡) and its binding state; see src/modules/identity/bank-card.ts. */
export interface BankCardsTable {
  id: string;
  seq: ColumnType<bigint, never, never>;
  user_id: string;
  bank_code: string;
  card_number_cipher: string;
  card_number_hash: string;
  card_number_masked: string;
  reserved_phone_cipher: string;
  reserved_phone_masked: string;
  status: Generated<BankCardStatus>;
  status_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  bound_at: Date | null;
  unbound_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Uploaded customer documents (资料上传); the file is at <DATA_DIR>/uploads/<storage_key>, encrypted. */
export interface DocumentsTable {
  id: string;
  user_id: string;
  kind:
    | 'id_card'
    | 'property_certificate'
    | 'bank_statement'
    | 'business_licence'
    | 'financial_statement'
    | 'income_proof'
    | 'credit_report'
    | 'other';
  status: Generated<'pending' | 'approved' | 'rejected'>;
  content_type: 'image/jpeg' | 'image/png' | 'application/pdf';
  size_bytes: number;
  sha256: string;
  storage_key: string;
  file_key_cipher: string;
  file_name_cipher: string;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_reason: string | null;
  created_at: CreatedAt;
}

/** A customer's company profile (企业用户); one per customer, credit code unique. */
export interface CompaniesTable {
  id: string;
  user_id: string;
  name: string;
  credit_code: string;
  legal_rep_name_cipher: string;
  legal_rep_name_masked: string;
  registered_capital_fen: bigint;
  industry: string;
  /** DATE, read as a YYYY-MM-DD string (see companies.service.ts). */
  founded_on: ColumnType<string, string, string>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CompanyFinancialsTable {
  company_id: string;
  year: number;
  revenue_fen: bigint;
  net_profit_fen: bigint;
  total_assets_fen: bigint;
  total_liabilities_fen: bigint;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Investor risk questionnaires answered (风险测评); the latest unexpired one counts. */
export interface RiskAssessmentsTable {
  id: string;
  user_id: string;
  questionnaire_version: number;
  answers: ColumnType<unknown, string, never>;
  score: number;
  level: 'conservative' | 'steady' | 'balanced' | 'aggressive';
  created_at: CreatedAt;
  expires_at: Date;
}

export interface OutboxJobsTable {
  id: string;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<'pending' | 'running' | 'done' | 'failed'>;
  attempts: Generated<number>;
  max_attempts: number;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: Date | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  done_at: Date | null;
}

export interface PaymentOrdersTable {
  order_no: string;
  kind: 'recharge' | 'withdrawal' | 'offline_recharge';
  user_id: string;
  amount_fen: bigint;
  fee_fen: Generated<bigint>;
  status: string;
  failure_reason: string | null;
  bank_card_id: string | null;
  hold_transfer_id: string | null;
  custodian_ref: string | null;
  business_date: ColumnType<string, string, string>;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  completed_at: Date | null;
}

export interface CustodianCallbacksTable {
  id: ColumnType<bigint, never, never>;
  received_at: CreatedAt;
  order_no: string | null;
  event: string | null;
  outcome: string;
  detail: string | null;
  signature: string | null;
  sent_at: string | null;
  raw_body: string;
}

export interface SandboxCustodianOrdersTable {
  order_no: string;
  kind: 'recharge' | 'payout';
  user_ref: string;
  amount_fen: bigint;
  status: 'created' | 'succeeded' | 'failed';
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
  settled_at: Date | null;
}

export interface SandboxCustodianControlsTable {
  id: number;
  delay_ms: Generated<number>;
  duplicates: Generated<number>;
  reorder: Generated<boolean>;
  fail_deliveries: Generated<number>;
  payout_result: Generated<'success' | 'fail'>;
}

export interface ReconciliationRunsTable {
  id: string;
  business_date: ColumnType<string, string, string>;
  started_at: CreatedAt;
  finished_at: Date | null;
  started_by: string | null;
  status: 'running' | 'done' | 'failed';
  matched: Generated<number>;
  differences: Generated<number>;
  error: string | null;
}

export type ReconciliationCategory =
  | 'matched'
  | 'missing_ours'
  | 'missing_theirs'
  | 'amount_differs'
  | 'status_differs'
  | 'ledger_differs';

export interface ReconciliationItemsTable {
  id: string;
  run_id: string;
  order_no: string;
  category: ReconciliationCategory;
  ours: ColumnType<unknown, string | null, string | null>;
  theirs: ColumnType<unknown, string | null, string | null>;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
}

export type LoanType = 'credit' | 'guaranteed' | 'net_worth' | 'flash' | 'mortgage' | 'experience' | 'corporate';

export interface LoanProductsTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  loan_type: LoanType;
  methods: string[];
  amount_min_fen: bigint;
  amount_max_fen: bigint;
  term_unit: 'month' | 'day';
  term_min: number;
  term_max: number;
  rate_min_ppm: bigint;
  rate_max_ppm: bigint;
  bid_min_fen: bigint;
  bid_step_fen: bigint;
  bid_max_per_investor_fen: bigint | null;
  raise_days: number;
  service_fee_ppm: Generated<bigint>;
  guarantee_fee_ppm: Generated<bigint>;
  management_fee_ppm: Generated<bigint>;
  risk_levels: string[];
  allow_bonus: Generated<boolean>;
  net_worth_share_ppm: bigint | null;
  publish_two_person_above_fen: bigint | null;
  status: Generated<'active' | 'disabled'>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/**
 * submitted → (returned → submitted) | rejected | scheduled | raising; raising → second_review (full) |
 * failed (raise window ended) | cancelled; second_review → repaying (disbursed) | cancelled (rejected);
 * repaying → finished.
 */
export type LoanStatus =
  | 'submitted'
  | 'returned'
  | 'rejected'
  | 'scheduled'
  | 'raising'
  | 'second_review'
  | 'repaying'
  | 'finished'
  | 'failed'
  | 'cancelled';

export interface LoansTable {
  id: string;
  loan_no: string;
  product_id: string;
  borrower_id: string;
  title: string;
  purpose: string;
  amount_fen: bigint;
  annual_rate_ppm: bigint;
  method: string;
  term_months: number | null;
  term_days: number | null;
  grade: string | null;
  status: LoanStatus;
  raised_fen: Generated<bigint>;
  bid_count: Generated<number>;
  document_ids: Generated<string[]>;
  collateral: ColumnType<unknown, string | null | undefined, string | null>;
  guarantor: ColumnType<unknown, string | null | undefined, string | null>;
  review_note: string | null;
  first_reviewed_by: string | null;
  second_reviewed_by: string | null;
  publish_at: Date | null;
  raise_ends_at: Date | null;
  full_at: Date | null;
  disbursed_at: Date | null;
  closed_at: Date | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface BidsTable {
  id: string;
  loan_id: string;
  investor_id: string;
  amount_fen: bigint;
  from_bonus_fen: Generated<bigint>;
  status: 'held' | 'posted' | 'voided';
  source: Generated<'manual' | 'auto'>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LoanEventsTable {
  id: ColumnType<bigint, never, never>;
  loan_id: string;
  at: CreatedAt;
  from_status: string | null;
  to_status: string;
  actor_kind: 'customer' | 'staff' | 'system';
  actor_id: string | null;
  note: string | null;
}

export interface RepaymentSchedulesTable {
  loan_id: string;
  period: number;
  due_date: ColumnType<string, string, string>;
  principal_fen: bigint;
  interest_fen: bigint;
  payment_fen: bigint;
  remaining_principal_fen: bigint;
  status: Generated<'pending' | 'paid' | 'overdue'>;
  paid_at: Date | null;
  created_at: CreatedAt;
}

export interface ReceiptSchedulesTable {
  bid_id: string;
  period: number;
  loan_id: string;
  investor_id: string;
  due_date: ColumnType<string, string, string>;
  principal_fen: bigint;
  interest_fen: bigint;
  management_fee_fen: bigint;
  payment_fen: bigint;
  remaining_principal_fen: bigint;
  status: Generated<'pending' | 'received'>;
  received_at: Date | null;
  created_at: CreatedAt;
}
