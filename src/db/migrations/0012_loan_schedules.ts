import { type Kysely, sql } from 'kysely';

/**
 * Schedules created at disbursement: the borrower's repayment schedule (还款计划) and every investor's
 * receipt schedule (回款计划), one row per period, computed by the schedule engine and split exactly
 * (the investors' rows of a period sum to the borrower's row of that period).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table repayment_schedules (
      loan_id text not null references loans (id),
      period integer not null check (period >= 1),
      due_date date not null,
      principal_fen bigint not null check (principal_fen >= 0),
      interest_fen bigint not null check (interest_fen >= 0),
      payment_fen bigint not null check (payment_fen = principal_fen + interest_fen),
      remaining_principal_fen bigint not null check (remaining_principal_fen >= 0),
      status text not null default 'pending' check (status in ('pending', 'paid', 'overdue')),
      paid_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (loan_id, period)
    )
  `.execute(db);
  await sql`create index repayment_schedules_due on repayment_schedules (due_date) where status = 'pending'`.execute(
    db,
  );

  await sql`
    create table receipt_schedules (
      bid_id text not null references bids (id),
      period integer not null check (period >= 1),
      loan_id text not null references loans (id),
      investor_id text not null references users (id),
      due_date date not null,
      principal_fen bigint not null check (principal_fen >= 0),
      interest_fen bigint not null check (interest_fen >= 0),
      -- The platform's management fee on this row's interest (利息管理费), deducted when it is paid.
      management_fee_fen bigint not null check (management_fee_fen >= 0 and management_fee_fen <= interest_fen),
      payment_fen bigint not null check (payment_fen = principal_fen + interest_fen),
      remaining_principal_fen bigint not null check (remaining_principal_fen >= 0),
      status text not null default 'pending' check (status in ('pending', 'received')),
      received_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (bid_id, period)
    )
  `.execute(db);
  await sql`create index receipt_schedules_loan on receipt_schedules (loan_id, period)`.execute(db);
  await sql`create index receipt_schedules_investor on receipt_schedules (investor_id, due_date)`.execute(db);
}
