import { type Kysely, sql } from 'kysely';

/** Customers, staff, sessions, roles and permissions, SMS outbox and codes, and the audit log. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  // Customers (前台用户). Sensitive fields are stored encrypted (*_cipher), searchable by keyed hash
  // (*_hash), and shown masked (*_masked); plaintext never reaches the database.
  await sql`
    create table users (
      id text primary key,
      phone_cipher text not null,
      phone_hash text not null unique,
      phone_masked text not null,
      password_hash text,
      kind text not null default 'person' check (kind in ('person', 'company')),
      status text not null default 'active' check (status in ('active', 'frozen', 'closed')),
      status_reason text,
      referral_code text not null unique,
      referred_by text references users (id),
      failed_logins integer not null default 0 check (failed_logins >= 0),
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table organisations (
      id text primary key,
      parent_id text references organisations (id),
      name_zh text not null,
      name_en text not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table staff (
      id text primary key,
      username text not null unique check (username ~ '^[a-z][a-z0-9_.-]{2,31}$'),
      display_name text not null,
      password_hash text not null,
      must_change_password boolean not null default true,
      totp_secret_cipher text,
      totp_enabled boolean not null default false,
      totp_last_step bigint,
      organisation_id text references organisations (id),
      status text not null default 'active' check (status in ('active', 'disabled')),
      failed_logins integer not null default 0 check (failed_logins >= 0),
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);

  await sql`
    create table roles (
      id text primary key,
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
      name_zh text not null,
      name_en text not null,
      builtin boolean not null default false,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table role_permissions (
      role_id text not null references roles (id) on delete cascade,
      permission text not null,
      primary key (role_id, permission)
    )
  `.execute(db);
  await sql`
    create table staff_roles (
      staff_id text not null references staff (id) on delete cascade,
      role_id text not null references roles (id) on delete cascade,
      primary key (staff_id, role_id)
    )
  `.execute(db);

  // Server-side sessions for customers and staff alike; only a hash of the token is kept.
  await sql`
    create table sessions (
      token_hash text primary key,
      subject_kind text not null check (subject_kind in ('customer', 'staff')),
      subject_id text not null,
      csrf_token text not null,
      stage text not null default 'full' check (stage in ('full', 'setup')),
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      idle_timeout_seconds integer not null check (idle_timeout_seconds > 0),
      expires_at timestamptz not null,
      revoked_at timestamptz
    )
  `.execute(db);
  await sql`create index sessions_subject on sessions (subject_kind, subject_id) where revoked_at is null`.execute(db);

  // SMS: codes (hashed) and every message sent, kept as the outbox staff can read.
  await sql`
    create table sms_messages (
      id text primary key,
      phone_hash text not null,
      phone_masked text not null,
      phone_cipher text not null,
      purpose text not null,
      body text not null,
      provider text not null,
      status text not null check (status in ('queued', 'sent', 'failed')),
      error text,
      ip text,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index sms_messages_phone on sms_messages (phone_hash, created_at desc)`.execute(db);
  await sql`create index sms_messages_ip on sms_messages (ip, created_at desc)`.execute(db);
  await sql`
    create table sms_codes (
      id text primary key,
      phone_hash text not null,
      purpose text not null check (purpose in ('register', 'login', 'reset_password', 'withdraw', 'bind_card')),
      code_hash text not null,
      attempts integer not null default 0,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index sms_codes_lookup on sms_codes (phone_hash, purpose, created_at desc)`.execute(db);

  // Audit log: every staff action and every login. Append-only, like the ledger.
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_kind text not null check (actor_kind in ('customer', 'staff', 'system', 'anonymous')),
      actor_id text,
      action text not null,
      target_kind text,
      target_id text,
      outcome text not null default 'ok' check (outcome in ('ok', 'refused')),
      ip text,
      user_agent text,
      request_id text,
      before jsonb,
      after jsonb,
      detail jsonb
    )
  `.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_kind, actor_id, id desc)`.execute(db);
  await sql`create index audit_log_action on audit_log (action, id desc)`.execute(db);
  await sql`create index audit_log_target on audit_log (target_kind, target_id, id desc)`.execute(db);
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log rows are append-only (% refused)', tg_op using errcode = 'P0001';
    end
    $$
  `.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()
  `.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()
  `.execute(db);
}
