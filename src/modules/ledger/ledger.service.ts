import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { assert } from '../../platform/errors.ts';
import { rowToAccount } from './account-row.ts';
import {
  type Account,
  availableFen,
  balanceFen,
  CUSTOMER_PURPOSES,
  type CustomerPurpose,
  customerAccountCode,
  frozenFen,
} from './accounts.ts';
import { LedgerError } from './ledger.errors.ts';
import {
  executeTransfers,
  type PendingCommand,
  type PostedCommand,
  type PostPendingCommand,
  type Transfer,
  type TransferCommand,
  type TransferOutcome,
  type Trx,
  type VoidPendingCommand,
} from './transfers.ts';

type Input<C> = Omit<C, 'kind'>;

async function one(trx: Trx, command: TransferCommand): Promise<Transfer> {
  const [outcome] = await executeTransfers(trx, [command], { linked: false });
  assert(outcome, 'ledger: one command gives one outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.transfer;
}

/** Move money now. Repeating the same id returns the first transfer and changes nothing. */
export function transfer(trx: Trx, input: Input<PostedCommand>): Promise<Transfer> {
  return one(trx, { kind: 'posted', ...input });
}

/** Freeze money: a pending transfer, later posted or voided exactly once. */
export function hold(trx: Trx, input: Input<PendingCommand>): Promise<Transfer> {
  return one(trx, { kind: 'pending', ...input });
}

/** Post a hold in full or in part; the rest of it is released. */
export function postHold(trx: Trx, input: Input<PostPendingCommand>): Promise<Transfer> {
  return one(trx, { kind: 'post_pending', ...input });
}

/** Release a hold in full. */
export function voidHold(trx: Trx, input: Input<VoidPendingCommand>): Promise<Transfer> {
  return one(trx, { kind: 'void_pending', ...input });
}

/** Several transfers that happen together or not at all. Throws the first refusal. */
export async function transferLinked(trx: Trx, commands: readonly TransferCommand[]): Promise<Transfer[]> {
  const outcomes = await executeTransfers(trx, commands, { linked: true });
  const failures = outcomes.flatMap((o) => (o.ok ? [] : [o.error]));
  // Throw the refusal that failed the set, not the LINKED_TRANSFER_FAILED of its companions.
  const cause = failures.find((e) => e.code !== 'LINKED_TRANSFER_FAILED') ?? failures[0];
  if (cause) throw cause;
  return outcomes.map((o) => (o as Extract<TransferOutcome, { ok: true }>).transfer);
}

/** Independent transfers in one database round of work; each outcome reports itself. */
export function transferBatch(trx: Trx, commands: readonly TransferCommand[]): Promise<TransferOutcome[]> {
  return executeTransfers(trx, commands, { linked: false });
}

const HOLD_EXPIRY_BATCH_MAX = 500;

/** Void holds whose expiry has passed (run by a job). Returns how many were released. */
export async function expireHolds(trx: Trx, now: Date = new Date()): Promise<number> {
  const expired = await trx
    .selectFrom('ledger_transfers as p')
    .select(['p.id', 'p.seq'])
    .where('p.kind', '=', 'pending')
    .where('p.expires_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('ledger_transfers as r').select('r.id').whereRef('r.pending_id', '=', 'p.id'))),
    )
    .orderBy('p.expires_at')
    .limit(HOLD_EXPIRY_BATCH_MAX)
    .execute();
  if (expired.length === 0) return 0;
  // A short id derived from the hold's sequence number: `${holdId}:expired` could exceed the id limit.
  const outcomes = await executeTransfers(
    trx,
    expired.map((p) => ({ kind: 'void_pending' as const, id: `expire:${p.seq}`, pendingId: p.id, memo: 'expired' })),
    { linked: false },
  );
  for (const o of outcomes) {
    // Resolved meanwhile by someone else is fine; any other refusal is a bug that would stall this job.
    if (!o.ok && !o.error.code.startsWith('PENDING_TRANSFER_ALREADY_')) throw o.error;
  }
  return outcomes.filter((o) => o.ok && o.created).length;
}

function selectAccounts(db: Db | Trx) {
  return db.selectFrom('ledger_accounts').selectAll();
}

export type CustomerAccounts = Readonly<Record<CustomerPurpose, Account>>;

/** Open a customer's accounts (cash and bonus). Safe to call again: existing accounts are returned. */
export async function openCustomerAccounts(trx: Trx, ownerId: string): Promise<CustomerAccounts> {
  assert(/^[A-Za-z0-9_-]{1,64}$/.test(ownerId), 'ledger: owner id has the wrong format');
  await trx
    .insertInto('ledger_accounts')
    .values(
      CUSTOMER_PURPOSES.map((purpose) => ({
        id: `acc_${randomUUID()}`,
        code: customerAccountCode(ownerId, purpose),
        kind: 'customer' as const,
        owner_id: ownerId,
        purpose,
        normal_side: 'credit' as const,
        debits_must_not_exceed_credits: true,
        credits_must_not_exceed_debits: false,
      })),
    )
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  return customerAccounts(trx, ownerId);
}

/** A customer's accounts by purpose; ACCOUNT_NOT_FOUND when they were never opened. */
export async function customerAccounts(db: Db | Trx, ownerId: string): Promise<CustomerAccounts> {
  const rows = await selectAccounts(db).where('owner_id', '=', ownerId).execute();
  const byPurpose = new Map(rows.map((r) => [r.purpose, rowToAccount(r)]));
  const cash = byPurpose.get('cash');
  const bonus = byPurpose.get('bonus');
  if (!cash || !bonus) throw LedgerError.ACCOUNT_NOT_FOUND({ ownerId });
  return { cash, bonus };
}

export async function getAccount(db: Db | Trx, accountId: string): Promise<Account> {
  const row = await selectAccounts(db).where('id', '=', accountId).executeTakeFirst();
  if (!row) throw LedgerError.ACCOUNT_NOT_FOUND({ accountId });
  return rowToAccount(row);
}

/** What a customer sees as their balances (余额). */
export interface CustomerBalances {
  /** Cash that may be invested or withdrawn now. */
  readonly availableFen: bigint;
  /** Cash frozen by bids, withdrawals in progress and other holds. */
  readonly frozenFen: bigint;
  /** Bonus money: may be invested, never withdrawn. */
  readonly bonusFen: bigint;
  readonly bonusFrozenFen: bigint;
  /** Cash available + frozen. */
  readonly totalCashFen: bigint;
}

export async function customerBalances(db: Db | Trx, ownerId: string): Promise<CustomerBalances> {
  const { cash, bonus } = await customerAccounts(db, ownerId);
  return {
    availableFen: availableFen(cash.normalSide, cash),
    frozenFen: frozenFen(cash.normalSide, cash),
    bonusFen: availableFen(bonus.normalSide, bonus),
    bonusFrozenFen: frozenFen(bonus.normalSide, bonus),
    totalCashFen: balanceFen(cash.normalSide, cash),
  };
}
