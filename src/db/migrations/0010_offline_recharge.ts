import { type Kysely, sql } from 'kysely';

/**
 * One bank transfer can be recorded as an offline recharge only once (unless the earlier record was rejected);
 * the scheduled reconciliation runs once per business date (runs started by staff may repeat).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema before its own change
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create unique index payment_orders_offline_reference on payment_orders ((detail ->> 'bankReference'))
    where kind = 'offline_recharge' and status <> 'rejected'
  `.execute(db);
  await sql`
    create unique index reconciliation_runs_scheduled_once on reconciliation_runs (business_date)
    where started_by is null and status <> 'failed'
  `.execute(db);
}
