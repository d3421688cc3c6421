import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table idempotency_records (
      scope text not null,
      key text not null check (length(key) between 1 and 255),
      request_hash text not null,
      status_code integer not null,
      response_body jsonb not null,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    )
  `.execute(db);
  await sql`create index idempotency_records_created_at on idempotency_records (created_at)`.execute(db);
}
