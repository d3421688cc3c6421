import { type Kysely, sql } from 'kysely';

/** Daily reconciliation (对账) of the platform's orders and ledger against the custodian's statement. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reconciliation_runs (
      id text primary key,
      business_date date not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      started_by text,
      status text not null check (status in ('running', 'done', 'failed')),
      matched integer not null default 0,
      differences integer not null default 0,
      error text
    )
  `.execute(db);
  await sql`create index reconciliation_runs_date on reconciliation_runs (business_date, started_at desc)`.execute(db);
  await sql`
    create table reconciliation_items (
      id text primary key,
      run_id text not null references reconciliation_runs (id),
      order_no text not null,
      category text not null check (category in
        ('matched', 'missing_ours', 'missing_theirs', 'amount_differs', 'status_differs', 'ledger_differs')),
      ours jsonb,
      theirs jsonb,
      resolution_note text,
      resolved_by text,
      resolved_at timestamptz,
      unique (run_id, order_no)
    )
  `.execute(db);
  await sql`create index reconciliation_items_open on reconciliation_items (run_id) where category <> 'matched' and resolved_at is null`.execute(
    db,
  );
}
