import { type Kysely, sql } from 'kysely';

/**
 * The marketplace's core records: loan products (标种), loans from application to the end of their
 * life, bids, and a status history. Schedules are created at disbursement by the next migration's tables.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table loan_products (
      id text primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
      name_zh text not null,
      name_en text not null,
      loan_type text not null check (loan_type in
        ('credit', 'guaranteed', 'net_worth', 'flash', 'mortgage', 'experience', 'corporate')),
      methods text[] not null check (cardinality(methods) >= 1),
      amount_min_fen bigint not null check (amount_min_fen > 0),
      amount_max_fen bigint not null check (amount_max_fen >= amount_min_fen),
      term_unit text not null check (term_unit in ('month', 'day')),
      term_min integer not null check (term_min >= 1),
      term_max integer not null check (term_max >= term_min),
      rate_min_ppm bigint not null check (rate_min_ppm >= 0),
      rate_max_ppm bigint not null check (rate_max_ppm >= rate_min_ppm and rate_max_ppm <= 360000),
      bid_min_fen bigint not null check (bid_min_fen > 0),
      bid_step_fen bigint not null check (bid_step_fen > 0),
      bid_max_per_investor_fen bigint check (bid_max_per_investor_fen is null or bid_max_per_investor_fen >= bid_min_fen),
      raise_days integer not null check (raise_days between 1 and 60),
      service_fee_ppm bigint not null default 0 check (service_fee_ppm between 0 and 200000),
      guarantee_fee_ppm bigint not null default 0 check (guarantee_fee_ppm between 0 and 200000),
      management_fee_ppm bigint not null default 0 check (management_fee_ppm between 0 and 500000),
      risk_levels text[] not null,
      allow_bonus boolean not null default false,
      net_worth_share_ppm bigint check (net_worth_share_ppm is null or net_worth_share_ppm between 1 and 1000000),
      publish_two_person_above_fen bigint,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table loans (
      id text primary key,
      loan_no text not null unique,
      product_id text not null references loan_products (id),
      borrower_id text not null references users (id),
      title text not null,
      purpose text not null,
      amount_fen bigint not null check (amount_fen > 0),
      annual_rate_ppm bigint not null check (annual_rate_ppm between 0 and 360000),
      method text not null,
      term_months integer check (term_months is null or term_months between 1 and 360),
      term_days integer check (term_days is null or term_days between 1 and 3650),
      grade text,
      status text not null check (status in ('submitted', 'returned', 'rejected', 'scheduled', 'raising',
        'second_review', 'repaying', 'finished', 'failed', 'cancelled')),
      -- The database itself refuses an over-subscribed loan, whatever the code above it does.
      raised_fen bigint not null default 0 check (raised_fen >= 0 and raised_fen <= amount_fen),
      bid_count integer not null default 0 check (bid_count >= 0),
      document_ids text[] not null default '{}',
      collateral jsonb,
      guarantor jsonb,
      review_note text,
      first_reviewed_by text,
      second_reviewed_by text,
      publish_at timestamptz,
      raise_ends_at timestamptz,
      full_at timestamptz,
      disbursed_at timestamptz,
      closed_at timestamptz,
      version integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((term_months is null) <> (term_days is null))
    )
  `.execute(db);
  await sql`create index loans_status on loans (status, created_at desc)`.execute(db);
  await sql`create index loans_borrower on loans (borrower_id, created_at desc)`.execute(db);
  await sql`create index loans_raise_ends on loans (raise_ends_at) where status = 'raising'`.execute(db);

  await sql`
    create table bids (
      id text primary key,
      loan_id text not null references loans (id),
      investor_id text not null references users (id),
      amount_fen bigint not null check (amount_fen > 0),
      from_bonus_fen bigint not null default 0 check (from_bonus_fen >= 0 and from_bonus_fen <= amount_fen),
      status text not null check (status in ('held', 'posted', 'voided')),
      source text not null default 'manual' check (source in ('manual', 'auto')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index bids_loan on bids (loan_id, created_at)`.execute(db);
  await sql`create index bids_investor on bids (investor_id, created_at desc)`.execute(db);

  // Every change of a loan's status, who made it and why.
  await sql`
    create table loan_events (
      id bigint generated always as identity primary key,
      loan_id text not null references loans (id),
      at timestamptz not null default now(),
      from_status text,
      to_status text not null,
      actor_kind text not null check (actor_kind in ('customer', 'staff', 'system')),
      actor_id text,
      note text
    )
  `.execute(db);
  await sql`create index loan_events_loan on loan_events (loan_id, id)`.execute(db);
}
