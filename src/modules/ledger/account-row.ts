import type { Selectable } from 'kysely';
import type { LedgerAccountsTable } from '../../db/schema.ts';
import type { Account } from './accounts.ts';

export function rowToAccount(row: Selectable<LedgerAccountsTable>): Account {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    ownerId: row.owner_id,
    purpose: row.purpose,
    currency: row.currency,
    normalSide: row.normal_side,
    debitsMustNotExceedCredits: row.debits_must_not_exceed_credits,
    creditsMustNotExceedDebits: row.credits_must_not_exceed_debits,
    debitsPendingFen: row.debits_pending_fen,
    debitsPostedFen: row.debits_posted_fen,
    creditsPendingFen: row.credits_pending_fen,
    creditsPostedFen: row.credits_posted_fen,
    version: row.version,
  };
}
