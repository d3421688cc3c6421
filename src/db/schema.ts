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
