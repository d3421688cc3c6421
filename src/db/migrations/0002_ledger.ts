import { type Kysely, sql } from 'kysely';

/**
 * The ledger, after TigerBeetle's model: accounts hold four running totals (pending/posted debits and
 * credits); transfers are immutable rows; a pending transfer (hold) is later posted or voided exactly once.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ledger_accounts (
      id text primary key,
      code text not null unique,
      kind text not null check (kind in ('customer', 'platform')),
      owner_id text,
      purpose text not null,
      currency text not null default 'CNY' check (currency = 'CNY'),
      normal_side text not null check (normal_side in ('debit', 'credit')),
      debits_must_not_exceed_credits boolean not null,
      credits_must_not_exceed_debits boolean not null,
      debits_pending_fen bigint not null default 0 check (debits_pending_fen >= 0),
      debits_posted_fen bigint not null default 0 check (debits_posted_fen >= 0),
      credits_pending_fen bigint not null default 0 check (credits_pending_fen >= 0),
      credits_posted_fen bigint not null default 0 check (credits_posted_fen >= 0),
      version bigint not null default 0,
      created_at timestamptz not null default now(),
      check ((kind = 'customer') = (owner_id is not null)),
      -- A customer account can never be overdrawn, even by a bug in the code above it.
      check (kind <> 'customer' or debits_must_not_exceed_credits),
      constraint ledger_accounts_no_overdraft check (
        not debits_must_not_exceed_credits or debits_posted_fen + debits_pending_fen <= credits_posted_fen
      ),
      constraint ledger_accounts_no_overcredit check (
        not credits_must_not_exceed_debits or credits_posted_fen + credits_pending_fen <= debits_posted_fen
      )
    )
  `.execute(db);
  await sql`create unique index ledger_accounts_owner_purpose on ledger_accounts (owner_id, purpose) where owner_id is not null`.execute(
    db,
  );

  await sql`
    create table ledger_transfers (
      id text primary key check (id ~ '^[A-Za-z0-9_:.-]{1,120}$'),
      seq bigint generated always as identity unique,
      debit_account_id text not null references ledger_accounts (id),
      credit_account_id text not null references ledger_accounts (id),
      amount_fen bigint not null check (amount_fen >= 0),
      kind text not null check (kind in ('posted', 'pending', 'post_pending', 'void_pending')),
      pending_id text references ledger_transfers (id),
      code text not null check (code ~ '^[a-z][a-z0-9_]{0,49}$'),
      linked_batch_id text,
      refs jsonb not null default '{}'::jsonb,
      memo text,
      expires_at timestamptz,
      debit_balance_after_fen bigint not null,
      debit_frozen_after_fen bigint not null,
      credit_balance_after_fen bigint not null,
      credit_frozen_after_fen bigint not null,
      created_at timestamptz not null default now(),
      check (debit_account_id <> credit_account_id),
      check ((kind in ('post_pending', 'void_pending')) = (pending_id is not null)),
      check (kind = 'void_pending' or amount_fen > 0),
      check (expires_at is null or kind = 'pending')
    )
  `.execute(db);
  // A hold is posted or voided at most once.
  await sql`create unique index ledger_transfers_resolves_once on ledger_transfers (pending_id) where pending_id is not null`.execute(
    db,
  );
  await sql`create index ledger_transfers_debit_seq on ledger_transfers (debit_account_id, seq)`.execute(db);
  await sql`create index ledger_transfers_credit_seq on ledger_transfers (credit_account_id, seq)`.execute(db);
  await sql`create index ledger_transfers_open_holds on ledger_transfers (expires_at) where kind = 'pending' and expires_at is not null`.execute(
    db,
  );

  // Transfers are facts: never updated, never deleted. A mistake is corrected by another transfer.
  await sql`
    create function ledger_transfers_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger_transfers rows are immutable (% refused)', tg_op using errcode = 'P0001';
    end
    $$
  `.execute(db);
  await sql`
    create trigger ledger_transfers_no_update_delete before update or delete on ledger_transfers
    for each row execute function ledger_transfers_immutable()
  `.execute(db);
  await sql`
    create trigger ledger_transfers_no_truncate before truncate on ledger_transfers
    for each statement execute function ledger_transfers_immutable()
  `.execute(db);

  // Platform accounts, each with its own code (names and meanings: src/modules/ledger/accounts.ts).
  // Debit-normal: assets and expenses; credit-normal: what the platform owes and its income.
  const platform: [string, 'debit' | 'credit'][] = [
    ['custody_cash', 'debit'],
    ['loan_escrow', 'credit'],
    ['fee_income', 'credit'],
    ['penalty_income', 'credit'],
    ['risk_reserve', 'credit'],
    ['marketing_expense', 'debit'],
    ['advance_receivable', 'debit'],
    ['suspense', 'credit'],
  ];
  for (const [purpose, side] of platform) {
    await sql`
      insert into ledger_accounts (id, code, kind, purpose, normal_side, debits_must_not_exceed_credits,
                                   credits_must_not_exceed_debits)
      values (${`acc_platform_${purpose}`}, ${`platform.${purpose}`}, 'platform', ${purpose}, ${side}, false,
              ${purpose === 'custody_cash'})
    `.execute(db);
  }
}
