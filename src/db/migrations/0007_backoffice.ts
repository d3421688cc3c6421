import { type Kysely, sql } from 'kysely';

/**
 * Back office: member violations (flag, freeze, unfreeze), VIP levels and points, in-site messages
 * (站内信), and two-person approval requests (maker-checker).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function backoffice_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% rows are append-only (% refused)', tg_table_name, tg_op using errcode = 'P0001';
    end
    $$
  `.execute(db);

  // Two-person approval: one staff member (maker) asks, another (checker) with the kind's permission decides.
  await sql`
    create table approval_requests (
      id text primary key,
      kind text not null check (kind ~ '^[a-z][a-z0-9_.]{1,63}$'),
      target_kind text,
      target_id text,
      payload jsonb not null,
      note text not null check (length(note) between 1 and 500),
      maker_staff_id text not null references staff (id),
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'cancelled')),
      checker_staff_id text references staff (id),
      decided_at timestamptz,
      decision_reason text check (decision_reason is null or length(decision_reason) <= 500),
      created_at timestamptz not null default now(),
      check (checker_staff_id is null or checker_staff_id <> maker_staff_id),
      check ((status = 'pending') = (decided_at is null))
    )
  `.execute(db);
  await sql`create index approval_requests_status on approval_requests (status, created_at desc, id desc)`.execute(db);
  // At most one pending request per kind and target (two clicks on "unfreeze" make one request).
  await sql`
    create unique index approval_requests_one_pending on approval_requests (kind, target_kind, target_id)
    where status = 'pending' and target_id is not null
  `.execute(db);

  // Violations (违规): flags, freezes and unfreezes with their reasons; history, never edited.
  await sql`
    create table member_violations (
      id text primary key,
      user_id text not null references users (id),
      action text not null check (action in ('flag', 'freeze', 'unfreeze')),
      reason text not null check (length(reason) between 1 and 500),
      staff_id text references staff (id),
      approval_id text references approval_requests (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index member_violations_user on member_violations (user_id, created_at desc, id desc)`.execute(db);
  await sql`
    create trigger member_violations_append_only before update or delete on member_violations
    for each row execute function backoffice_append_only()
  `.execute(db);

  // VIP levels: a member's level is the highest whose threshold their points reach.
  await sql`
    create table vip_levels (
      level integer primary key check (level >= 0),
      name_zh text not null,
      name_en text not null,
      min_points bigint not null unique check (min_points >= 0)
    )
  `.execute(db);
  await sql`
    insert into vip_levels (level, name_zh, name_en, min_points) values
      (0, '普通会员', 'Member', 0),
      (1, '白银会员', 'Silver', 1000),
      (2, '黄金会员', 'Gold', 5000),
      (3, '铂金会员', 'Platinum', 20000),
      (4, '钻石会员', 'Diamond', 100000)
  `.execute(db);
  await sql`
    create table member_points (
      user_id text primary key references users (id),
      points bigint not null default 0 check (points >= 0),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table member_point_entries (
      id text primary key,
      user_id text not null references users (id),
      delta_points bigint not null check (delta_points <> 0),
      points_after bigint not null check (points_after >= 0),
      reason text not null check (length(reason) between 1 and 200),
      staff_id text references staff (id),
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index member_point_entries_user on member_point_entries (user_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`
    create trigger member_point_entries_append_only before update or delete on member_point_entries
    for each row execute function backoffice_append_only()
  `.execute(db);

  // In-site messages (站内信) from staff to one member.
  await sql`
    create table member_messages (
      id text primary key,
      user_id text not null references users (id),
      title text not null check (length(title) between 1 and 100),
      body text not null check (length(body) between 1 and 2000),
      sender_staff_id text references staff (id),
      read_at timestamptz,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index member_messages_user on member_messages (user_id, created_at desc, id desc)`.execute(db);
}
