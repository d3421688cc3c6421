import { type Kysely, sql } from 'kysely';

/** Customer documents (资料上传), company profiles with yearly financials (企业用户), investor risk assessments (风险测评). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  // Uploaded loan materials. The file itself lives under <DATA_DIR>/uploads/<storage_key>, encrypted with a
  // per-file key that is stored here wrapped by the field cipher; the client's file name is kept encrypted
  // (it may hold a name or an ID number) and never appears in a path.
  await sql`
    create table documents (
      id text primary key,
      user_id text not null references users (id),
      kind text not null check (kind in (
        'id_card', 'property_certificate', 'bank_statement', 'business_licence',
        'financial_statement', 'income_proof', 'credit_report', 'other'
      )),
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      content_type text not null check (content_type in ('image/jpeg', 'image/png', 'application/pdf')),
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      storage_key text not null unique check (storage_key ~ '^[0-9a-f]{32}$'),
      file_key_cipher text not null,
      file_name_cipher text not null,
      reviewed_by text references staff (id),
      reviewed_at timestamptz,
      review_reason text check (length(review_reason) <= 500),
      created_at timestamptz not null default now(),
      check ((status = 'pending') = (reviewed_at is null)),
      check (status <> 'rejected' or length(review_reason) > 0)
    )
  `.execute(db);
  await sql`create index documents_user on documents (user_id, id desc)`.execute(db);
  await sql`create index documents_status on documents (status, id desc)`.execute(db);

  // One company profile per customer; the unified social credit code is unique across the platform.
  await sql`
    create table companies (
      id text primary key,
      user_id text not null unique references users (id),
      name text not null check (length(name) between 2 and 100),
      credit_code text not null unique check (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
      legal_rep_name_cipher text not null,
      legal_rep_name_masked text not null,
      registered_capital_fen bigint not null check (registered_capital_fen > 0),
      industry text not null,
      founded_on date not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index companies_name on companies (name)`.execute(db);

  // Yearly financial statements: one row per company and year. Net profit may be negative (a loss).
  await sql`
    create table company_financials (
      company_id text not null references companies (id) on delete cascade,
      year integer not null check (year between 1900 and 2999),
      revenue_fen bigint not null check (revenue_fen >= 0),
      net_profit_fen bigint not null,
      total_assets_fen bigint not null check (total_assets_fen >= 0),
      total_liabilities_fen bigint not null check (total_liabilities_fen >= 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (company_id, year)
    )
  `.execute(db);

  // Every questionnaire a customer answered; the latest one that has not expired is their risk level.
  await sql`
    create table risk_assessments (
      id text primary key,
      user_id text not null references users (id),
      questionnaire_version integer not null,
      answers jsonb not null,
      score integer not null check (score >= 0),
      level text not null check (level in ('conservative', 'steady', 'balanced', 'aggressive')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      check (expires_at > created_at)
    )
  `.execute(db);
  await sql`create index risk_assessments_user on risk_assessments (user_id, created_at desc, id desc)`.execute(db);
}
