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
