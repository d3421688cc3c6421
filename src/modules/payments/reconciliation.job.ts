import type { Db } from '../../db/database.ts';
import type { Custodian } from './custodian.ts';
import { shanghaiDate } from './orders.ts';
import { runReconciliation } from './reconciliation.service.ts';

/** The custodian publishes the previous day's statement overnight; reconcile after this hour (Asia/Shanghai). */
export const RECONCILIATION_HOUR = 2;

/** Yesterday in Asia/Shanghai, and whether it is past the hour the statement is ready. */
export function dueBusinessDate(now: Date): { date: string; due: boolean } {
  const shanghaiHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hour12: false }).format(now),
  );
  const yesterday = shanghaiDate(new Date(now.getTime() - 24 * 3600 * 1000));
  return { date: yesterday, due: shanghaiHour >= RECONCILIATION_HOUR };
}

/**
 * The daily reconciliation: once per business date, after the statement is ready; when several app
 * instances try at once, a unique index lets one start it. Returns the run id when it ran.
 */
export async function reconcileYesterdayIfDue(
  db: Db,
  custodian: Custodian,
  now: Date = new Date(),
): Promise<string | undefined> {
  const { date, due } = dueBusinessDate(now);
  if (!due) return undefined;
  const done = await db
    .selectFrom('reconciliation_runs')
    .select('id')
    .where('business_date', '=', date)
    .where('started_by', 'is', null)
    .where('status', '<>', 'failed')
    .executeTakeFirst();
  if (done) return undefined;
  try {
    return (await runReconciliation(db, custodian, date, null)).runId;
  } catch (error) {
    // Another instance started the same scheduled run a moment earlier (unique index per business date).
    if ((error as { code?: string }).code === '23505') return undefined;
    throw error;
  }
}
