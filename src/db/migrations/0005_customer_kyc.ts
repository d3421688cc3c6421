import { type Kysely, sql } from 'kysely';

/**
 * Customers: SMS code requests as the rate-limit record, real-name verification (实名认证) and bank cards (绑卡).
 * Sensitive fields are stored encrypted (*_cipher), searchable by keyed hash (*_hash), shown masked (*_masked).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  // Every accepted code request is a row, whether or not a message went out (a login code for an unknown
  // phone sends nothing), so the per-phone and per-IP limits behave the same for every phone.
  await sql`alter table sms_codes add column ip text`.execute(db);
  await sql`
    alter table sms_codes add column delivery text not null default 'code'
      check (delivery in ('code', 'notice', 'none'))
  `.execute(db);
  await sql`alter table sms_codes add constraint sms_codes_attempts_range check (attempts between 0 and 100)`.execute(
    db,
  );
  await sql`create index sms_codes_ip on sms_codes (ip, created_at desc)`.execute(db);

  // One verified identity per customer and one customer per ID number.
  await sql`
    create table customer_real_names (
      user_id text primary key references users (id),
      name_cipher text not null,
      name_masked text not null,
      id_number_cipher text not null,
      id_number_hash text not null unique,
      id_number_masked text not null,
      sex text not null check (sex in ('male', 'female')),
      provider text not null,
      verified_at timestamptz not null default now()
    )
  `.execute(db);

  // Bank cards and their binding states (seed 004): pending_review (待审核) → pending_binding (待绑定) → bound
  // (已绑定); rejected (审核未通过) and binding_failed (绑定失败, may be retried) carry a reason; unbound ends a card.
  await sql`
    create table bank_cards (
      id text primary key,
      seq bigint generated always as identity unique,
      user_id text not null references users (id),
      bank_code text not null,
      card_number_cipher text not null,
      card_number_hash text not null,
      card_number_masked text not null,
      reserved_phone_cipher text not null,
      reserved_phone_masked text not null,
      status text not null default 'pending_review'
        check (status in ('pending_review', 'pending_binding', 'bound', 'rejected', 'binding_failed', 'unbound')),
      status_reason text check (status_reason is null or length(status_reason) <= 200),
      reviewed_by text references staff (id),
      reviewed_at timestamptz,
      bound_at timestamptz,
      unbound_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status not in ('rejected', 'binding_failed') or status_reason is not null)
    )
  `.execute(db);
  await sql`create index bank_cards_user on bank_cards (user_id, seq desc)`.execute(db);
  await sql`create index bank_cards_status on bank_cards (status, seq)`.execute(db);
  // A card number belongs to at most one live card on the whole platform.
  await sql`
    create unique index bank_cards_live_number on bank_cards (card_number_hash)
    where status in ('pending_review', 'pending_binding', 'bound', 'binding_failed')
  `.execute(db);
}
