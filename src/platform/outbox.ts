import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../db/database.ts';

/**
 * The outbox: work that talks to the outside world (the custodian, SMS vendors) is written as a row inside
 * the business transaction and done after it commits, by a worker, with bounded retries. A crash at any
 * point leaves the row to be picked up again, so handlers must be idempotent (they use the order number
 * or message id as the other side's idempotency key).
 */
export interface OutboxJob {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly attempts: number;
}

export type OutboxHandler = (job: OutboxJob) => Promise<void>;

export const OUTBOX_ATTEMPTS_DEFAULT = 8;
/** A claimed job not finished by then (the worker died) is claimed again. */
const CLAIM_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 10 * 60_000;
const CLAIM_BATCH_MAX = 20;
const ERROR_CHARS_MAX = 1_000;

/** Exponential backoff with jitter: about 1 s, 2 s, 4 s … capped at 10 minutes. */
export function backoffMs(attempts: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** Write a job in the caller's transaction; it runs after commit. */
export async function enqueue(
  trx: Trx,
  job: { kind: string; payload: unknown; id?: string; maxAttempts?: number; runAt?: Date },
): Promise<string> {
  const id = job.id ?? `job_${randomUUID()}`;
  await trx
    .insertInto('outbox_jobs')
    .values({
      id,
      kind: job.kind,
      payload: JSON.stringify(job.payload, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      max_attempts: job.maxAttempts ?? OUTBOX_ATTEMPTS_DEFAULT,
      next_attempt_at: job.runAt ?? new Date(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return id;
}

/** Claim due jobs (skipping ones another worker holds) so that each runs in one place at a time. */
async function claim(db: Db, kinds: readonly string[], now: Date, limit: number): Promise<OutboxJob[]> {
  if (kinds.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const due = await sql<{ id: string; kind: string; payload: unknown; attempts: number }>`
      select id, kind, payload, attempts from outbox_jobs
      where kind in (${sql.join(kinds)}) and next_attempt_at <= ${now}
        and (status = 'pending' or (status = 'running' and locked_until < ${now}))
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    `.execute(trx);
    if (due.rows.length === 0) return [];
    await trx
      .updateTable('outbox_jobs')
      .set({ status: 'running', locked_until: new Date(now.getTime() + CLAIM_MS), updated_at: now })
      .where(
        'id',
        'in',
        due.rows.map((r) => r.id),
      )
      .execute();
    return due.rows.map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, attempts: r.attempts }));
  });
}

/**
 * Run the jobs that are due, each with its kind's handler. Returns how many succeeded and failed.
 * A failure is retried later with backoff until its attempts run out; then it stays `failed` for staff.
 */
export async function runDueJobs(
  db: Db,
  handlers: Readonly<Record<string, OutboxHandler>>,
  options: { now?: Date; limit?: number } = {},
): Promise<{ succeeded: number; failed: number }> {
  const now = options.now ?? new Date();
  const jobs = await claim(db, Object.keys(handlers), now, Math.min(options.limit ?? CLAIM_BATCH_MAX, CLAIM_BATCH_MAX));
  let succeeded = 0;
  let failed = 0;
  for (const job of jobs) {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for ${job.kind}`);
      await handler(job);
      await db
        .updateTable('outbox_jobs')
        .set({
          status: 'done',
          done_at: new Date(),
          locked_until: null,
          attempts: job.attempts + 1,
          updated_at: new Date(),
        })
        .where('id', '=', job.id)
        .execute();
      succeeded++;
    } catch (error) {
      failed++;
      const attempts = job.attempts + 1;
      const row = await db.selectFrom('outbox_jobs').select('max_attempts').where('id', '=', job.id).executeTakeFirst();
      const exhausted = attempts >= (row?.max_attempts ?? OUTBOX_ATTEMPTS_DEFAULT);
      await db
        .updateTable('outbox_jobs')
        .set({
          status: exhausted ? 'failed' : 'pending',
          attempts,
          locked_until: null,
          next_attempt_at: new Date(Date.now() + backoffMs(attempts)),
          last_error: (error instanceof Error ? error.message : String(error)).slice(0, ERROR_CHARS_MAX),
          updated_at: new Date(),
        })
        .where('id', '=', job.id)
        .execute();
    }
  }
  return { succeeded, failed };
}

/** Poll for due jobs every `intervalMs` until stopped. Errors are logged, never thrown out of the loop. */
export function startOutboxWorker(
  db: Db,
  handlers: Readonly<Record<string, OutboxHandler>>,
  options: { intervalMs: number; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = runDueJobs(db, handlers)
      .catch(options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  let timer = setTimeout(tick, options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
