import type { Db, Trx } from '../db/database.ts';

/** PostgreSQL's "try again" errors: serialization failure and deadlock. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);
export const TRANSACTION_ATTEMPTS_MAX = 3;

function retryable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/**
 * Run work in a transaction, retried (a bounded number of times) when PostgreSQL aborts it for a
 * deadlock or serialization failure. The ledger locks the accounts of one call in id order, so one call
 * never deadlocks; a use case that makes several ledger calls in one transaction can, and is safe to retry
 * because nothing of an aborted attempt remains.
 */
export async function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= TRANSACTION_ATTEMPTS_MAX || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
