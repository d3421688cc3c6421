import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table system_parameters (
      key text primary key check (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
      value jsonb not null,
      description_zh text not null,
      description_en text not null,
      version integer not null default 1,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
}
