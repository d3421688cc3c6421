import { type Kysely, sql } from 'kysely';

/** Outbox jobs, payment orders (recharge, withdrawal), the custodian callback log, and the sandbox custodian. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  // Work that talks to the outside world is written here inside the business transaction and done after it.
  await sql`
    create table outbox_jobs (
      id text primary key,
      kind text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
      attempts integer not null default 0,
      max_attempts integer not null check (max_attempts between 1 and 100),
      next_attempt_at timestamptz not null default now(),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      done_at timestamptz
    )
  `.execute(db);
  await sql`create index outbox_jobs_due on outbox_jobs (next_attempt_at) where status in ('pending', 'running')`.execute(
    db,
  );

  await sql`
    create table payment_orders (
      order_no text primary key check (order_no ~ '^[RWO][0-9A-Z]{8,40}$'),
      kind text not null check (kind in ('recharge', 'withdrawal', 'offline_recharge')),
      user_id text not null references users (id),
      amount_fen bigint not null check (amount_fen > 0),
      fee_fen bigint not null default 0 check (fee_fen >= 0),
      status text not null,
      failure_reason text,
      bank_card_id text,
      hold_transfer_id text,
      custodian_ref text,
      business_date date not null,
      detail jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz
    )
  `.execute(db);
  await sql`create index payment_orders_user on payment_orders (user_id, created_at desc)`.execute(db);
  await sql`create index payment_orders_status on payment_orders (kind, status, created_at desc)`.execute(db);
  await sql`create index payment_orders_business_date on payment_orders (business_date)`.execute(db);

  // Every callback that reached us, applied or not: staff see refused and duplicate ones too.
  await sql`
    create table custodian_callbacks (
      id bigint generated always as identity primary key,
      received_at timestamptz not null default now(),
      order_no text,
      event text,
      outcome text not null,
      detail text,
      signature text,
      sent_at text,
      raw_body text not null
    )
  `.execute(db);
  await sql`create index custodian_callbacks_order on custodian_callbacks (order_no, id)`.execute(db);

  // The sandbox custodian's own books (in a real deployment these live at the bank).
  await sql`
    create table sandbox_custodian_orders (
      order_no text primary key,
      kind text not null check (kind in ('recharge', 'payout')),
      user_ref text not null,
      amount_fen bigint not null check (amount_fen > 0),
      status text not null check (status in ('created', 'succeeded', 'failed')),
      detail jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      settled_at timestamptz
    )
  `.execute(db);
  await sql`
    create table sandbox_custodian_controls (
      id integer primary key check (id = 1),
      delay_ms integer not null default 0 check (delay_ms between 0 and 600000),
      duplicates integer not null default 0 check (duplicates between 0 and 10),
      reorder boolean not null default false,
      fail_deliveries integer not null default 0 check (fail_deliveries between 0 and 100),
      payout_result text not null default 'success' check (payout_result in ('success', 'fail'))
    )
  `.execute(db);
  await sql`insert into sandbox_custodian_controls (id) values (1)`.execute(db);
}
