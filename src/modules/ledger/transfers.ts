import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import { type AppError, assert } from '../../platform/errors.ts';
import { rowToAccount } from './account-row.ts';
import { type Account, balanceFen, frozenFen } from './accounts.ts';
import { LedgerError } from './ledger.errors.ts';
import { isTransferCode, type TransferCode } from './transfer-codes.ts';

export type { Trx };
export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';
export type Refs = Readonly<Record<string, string>>;

/** The most commands one call may carry (each becomes a row; keeps statements under PostgreSQL's parameter cap). */
export const TRANSFER_BATCH_MAX = 1000;
const TRANSFER_ID_PATTERN = /^[A-Za-z0-9_:.-]{1,120}$/;
const MEMO_CHARS_MAX = 500;

/** Move money now: debit one account, credit another. */
export interface PostedCommand {
  readonly kind: 'posted';
  /** Chosen by the caller and unique forever: repeating a command with the same id changes nothing. */
  readonly id: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountFen: bigint;
  readonly code: TransferCode;
  readonly refs?: Refs;
  readonly memo?: string;
}

/** Freeze money (两阶段: a pending transfer) until it is posted or voided. */
export interface PendingCommand extends Omit<PostedCommand, 'kind'> {
  readonly kind: 'pending';
  /** After this instant the hold can no longer be posted; `expireHolds` voids it. */
  readonly expiresAt?: Date;
}

/** Post a hold, in full or in part (the rest is released). */
export interface PostPendingCommand {
  readonly kind: 'post_pending';
  readonly id: string;
  readonly pendingId: string;
  /** Default: the whole amount held. */
  readonly amountFen?: bigint;
  readonly code?: TransferCode;
  readonly refs?: Refs;
  readonly memo?: string;
}

/** Release a hold in full. */
export interface VoidPendingCommand {
  readonly kind: 'void_pending';
  readonly id: string;
  readonly pendingId: string;
  readonly code?: TransferCode;
  readonly refs?: Refs;
  readonly memo?: string;
}

export type TransferCommand = PostedCommand | PendingCommand | PostPendingCommand | VoidPendingCommand;

/** A transfer as recorded. Balances after are on each account's normal side. */
export interface Transfer {
  readonly id: string;
  readonly seq: bigint;
  readonly kind: TransferKind;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountFen: bigint;
  readonly pendingId: string | null;
  readonly code: string;
  readonly linkedBatchId: string | null;
  readonly refs: Refs;
  readonly memo: string | null;
  readonly expiresAt: Date | null;
  readonly debitBalanceAfterFen: bigint;
  readonly debitFrozenAfterFen: bigint;
  readonly creditBalanceAfterFen: bigint;
  readonly creditFrozenAfterFen: bigint;
  readonly createdAt: Date;
}

export type TransferOutcome =
  | { readonly ok: true; readonly created: boolean; readonly transfer: Transfer }
  | { readonly ok: false; readonly error: AppError };

type TransferRow = Awaited<ReturnType<typeof selectTransfers>>[number];

function selectTransfers(trx: Trx, where: { ids?: readonly string[]; pendingIds?: readonly string[] }) {
  let q = trx.selectFrom('ledger_transfers').selectAll();
  q = q.where((eb) => {
    const ors = [];
    if (where.ids?.length) ors.push(eb('id', 'in', [...where.ids]));
    if (where.pendingIds?.length) ors.push(eb('pending_id', 'in', [...where.pendingIds]));
    return ors.length ? eb.or(ors) : eb.val(false);
  });
  return q.execute();
}

export function toTransfer(row: TransferRow): Transfer {
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amountFen: row.amount_fen,
    pendingId: row.pending_id,
    code: row.code,
    linkedBatchId: row.linked_batch_id,
    refs: row.refs ?? {},
    memo: row.memo,
    expiresAt: row.expires_at,
    debitBalanceAfterFen: row.debit_balance_after_fen,
    debitFrozenAfterFen: row.debit_frozen_after_fen,
    creditBalanceAfterFen: row.credit_balance_after_fen,
    creditFrozenAfterFen: row.credit_frozen_after_fen,
    createdAt: row.created_at,
  };
}

interface MutableTotals {
  debitsPendingFen: bigint;
  debitsPostedFen: bigint;
  creditsPendingFen: bigint;
  creditsPostedFen: bigint;
}

interface AccountState {
  readonly account: Account;
  readonly totals: MutableTotals;
  changed: boolean;
}

/** A new transfer row, computed in memory before anything is written. */
interface PlannedTransfer {
  readonly id: string;
  readonly kind: TransferKind;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountFen: bigint;
  readonly pendingId: string | null;
  readonly code: string;
  readonly refs: Refs;
  readonly memo: string | null;
  readonly expiresAt: Date | null;
  readonly debitBalanceAfterFen: bigint;
  readonly debitFrozenAfterFen: bigint;
  readonly creditBalanceAfterFen: bigint;
  readonly creditFrozenAfterFen: bigint;
}

function canonicalRefs(refs: Refs | undefined): string {
  const entries = Object.entries(refs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

/**
 * Does an existing transfer row record exactly this command? A post or void that leaves out its amount
 * or code means the hold's, so those defaults are resolved against the hold before comparing.
 */
function sameCommand(
  existing: TransferRow | PlannedTransfer,
  command: TransferCommand,
  pendingRows: ReadonlyMap<string, TransferRow>,
): boolean {
  const row = 'debit_account_id' in existing ? toTransfer(existing) : existing;
  if (row.kind !== command.kind) return false;
  if (canonicalRefs(row.refs) !== canonicalRefs(command.refs)) return false;
  if ((row.memo ?? null) !== (command.memo ?? null)) return false;
  switch (command.kind) {
    case 'posted':
    case 'pending':
      return (
        row.debitAccountId === command.debitAccountId &&
        row.creditAccountId === command.creditAccountId &&
        row.amountFen === command.amountFen &&
        row.code === command.code &&
        (command.kind === 'posted' || (row.expiresAt?.getTime() ?? null) === (command.expiresAt?.getTime() ?? null))
      );
    case 'post_pending': {
      const held = pendingRows.get(command.pendingId);
      return (
        row.pendingId === command.pendingId &&
        row.amountFen === (command.amountFen ?? held?.amount_fen) &&
        row.code === (command.code ?? held?.code)
      );
    }
    case 'void_pending': {
      const held = pendingRows.get(command.pendingId);
      return row.pendingId === command.pendingId && row.code === (command.code ?? held?.code);
    }
  }
}

/** Shape checks that need no database. */
function shapeError(command: TransferCommand): AppError | undefined {
  if (!TRANSFER_ID_PATTERN.test(command.id)) return LedgerError.INVALID_TRANSFER_ID({ id: command.id.slice(0, 130) });
  assert(command.memo === undefined || command.memo.length <= MEMO_CHARS_MAX, 'ledger: memo too long');
  if (command.code !== undefined) assert(isTransferCode(command.code), `unknown transfer code ${command.code}`);
  if (command.kind === 'posted' || command.kind === 'pending') {
    if (typeof command.amountFen !== 'bigint' || command.amountFen <= 0n) return LedgerError.INVALID_TRANSFER_AMOUNT();
    if (command.debitAccountId === command.creditAccountId) return LedgerError.SAME_ACCOUNT_TRANSFER();
  }
  if (command.kind === 'post_pending' && command.amountFen !== undefined) {
    if (typeof command.amountFen !== 'bigint' || command.amountFen <= 0n) return LedgerError.INVALID_TRANSFER_AMOUNT();
  }
  return undefined;
}

/** Lock the accounts in id order, so two batches touching the same accounts cannot deadlock. */
function lockAccounts(trx: Trx, ids: readonly string[]) {
  return trx
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The limits of both accounts still hold after adding these amounts? Returns the refusal, if any. */
function limitError(debit: AccountState, credit: AccountState, debitAddFen: bigint, creditAddFen: bigint) {
  const d = debit.totals;
  if (
    debit.account.debitsMustNotExceedCredits &&
    d.debitsPostedFen + d.debitsPendingFen + debitAddFen > d.creditsPostedFen
  ) {
    return LedgerError.INSUFFICIENT_BALANCE({ accountId: debit.account.id });
  }
  const c = credit.totals;
  if (
    credit.account.creditsMustNotExceedDebits &&
    c.creditsPostedFen + c.creditsPendingFen + creditAddFen > c.debitsPostedFen
  ) {
    return LedgerError.CREDITS_EXCEED_DEBITS({ accountId: credit.account.id, accountCode: credit.account.code });
  }
  return undefined;
}

function snapshot(state: AccountState): { balanceFen: bigint; frozenFen: bigint } {
  return {
    balanceFen: balanceFen(state.account.normalSide, state.totals),
    frozenFen: frozenFen(state.account.normalSide, state.totals),
  };
}

/**
 * Execute ledger commands in one database transaction (the caller's `trx`).
 *
 * - `linked: true` — all or none: the first refusal fails every command and nothing is written.
 * - `linked: false` — each command stands alone; refused ones are reported and skipped.
 *
 * A command whose id was already recorded with the same fields returns that transfer (`created: false`)
 * and changes nothing; with different fields it is refused (TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS).
 * Account rows are locked in id order, then every check runs in memory, then the changed accounts are
 * written with one UPDATE and the new transfers with one INSERT.
 */
export async function executeTransfers(
  trx: Trx,
  commands: readonly TransferCommand[],
  options: { readonly linked: boolean },
): Promise<TransferOutcome[]> {
  if (commands.length === 0) return [];
  if (commands.length > TRANSFER_BATCH_MAX) throw LedgerError.BATCH_TOO_LARGE({ max: TRANSFER_BATCH_MAX });

  const outcomes: (TransferOutcome | undefined)[] = commands.map((c) => {
    const error = shapeError(c);
    return error ? { ok: false, error } : undefined;
  });
  if (options.linked && outcomes.some((o) => o !== undefined)) return failLinked(commands, outcomes);

  // Holds are immutable rows, so reading them before taking locks is safe; we need their accounts.
  const pendingIds = [
    ...new Set(commands.flatMap((c) => (c.kind === 'post_pending' || c.kind === 'void_pending' ? [c.pendingId] : []))),
  ];
  const pendingRows = new Map(
    (pendingIds.length ? await selectTransfers(trx, { ids: pendingIds }) : []).map((r) => [r.id, r]),
  );

  const accountIds = new Set<string>();
  for (const c of commands) {
    if (c.kind === 'posted' || c.kind === 'pending') {
      accountIds.add(c.debitAccountId);
      accountIds.add(c.creditAccountId);
    } else {
      const p = pendingRows.get(c.pendingId);
      if (p) {
        accountIds.add(p.debit_account_id);
        accountIds.add(p.credit_account_id);
      }
    }
  }
  const states = new Map<string, AccountState>();
  if (accountIds.size) {
    for (const row of await lockAccounts(trx, [...accountIds])) {
      const account = rowToAccount(row);
      states.set(account.id, {
        account,
        totals: {
          debitsPendingFen: account.debitsPendingFen,
          debitsPostedFen: account.debitsPostedFen,
          creditsPendingFen: account.creditsPendingFen,
          creditsPostedFen: account.creditsPostedFen,
        },
        changed: false,
      });
    }
  }

  // After the locks: anything committed on these accounts is visible now, including earlier uses of our
  // ids and earlier resolutions of our holds; anything later waits for us.
  const ids = commands.map((c) => c.id);
  const recorded = await selectTransfers(trx, { ids, pendingIds });
  const idSet = new Set(ids);
  const pendingIdSet = new Set(pendingIds);
  const existingById = new Map(recorded.filter((r) => idSet.has(r.id)).map((r) => [r.id, r]));
  const resolutionOf = new Map<string, TransferKind>(
    recorded
      .filter((r) => r.pending_id !== null && pendingIdSet.has(r.pending_id))
      .map((r) => [r.pending_id as string, r.kind]),
  );

  const now = new Date();
  const planned: PlannedTransfer[] = [];
  const plannedById = new Map<string, PlannedTransfer>();
  /** Commands repeating an id planned earlier in this batch: answered with that row once it is written. */
  const repeats = new Set<number>();

  for (const [index, command] of commands.entries()) {
    if (outcomes[index]) continue;
    const existing = existingById.get(command.id);
    const earlier = plannedById.get(command.id);
    if (existing) {
      outcomes[index] = sameCommand(existing, command, pendingRows)
        ? { ok: true, created: false, transfer: toTransfer(existing) }
        : { ok: false, error: LedgerError.TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS({ id: command.id }) };
    } else if (earlier) {
      if (sameCommand(earlier, command, pendingRows)) repeats.add(index);
      else
        outcomes[index] = { ok: false, error: LedgerError.TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS({ id: command.id }) };
    } else {
      const result = plan(command, states, pendingRows, resolutionOf, now);
      if ('error' in result) {
        outcomes[index] = { ok: false, error: result.error };
      } else {
        planned.push(result.transfer);
        plannedById.set(command.id, result.transfer);
      }
    }
    if (options.linked && outcomes[index] && !outcomes[index].ok) return failLinked(commands, outcomes);
  }

  if (planned.length === 0) return outcomes as TransferOutcome[];

  const linkedBatchId = options.linked && commands.length > 1 ? `batch_${randomUUID()}` : null;
  const changed = [...states.values()].filter((s) => s.changed);
  await writeAccounts(trx, changed);
  const inserted = await insertTransfers(trx, planned, linkedBatchId);
  assert(inserted.length === planned.length, 'ledger: every planned transfer must be inserted');
  const insertedById = new Map(inserted.map((r) => [r.id, toTransfer(r)]));
  for (const [index, command] of commands.entries()) {
    if (outcomes[index] !== undefined) continue;
    const transfer = insertedById.get(command.id);
    assert(transfer, 'ledger: a planned transfer is missing after insert');
    outcomes[index] = { ok: true, created: !repeats.has(index), transfer };
  }
  return outcomes as TransferOutcome[];
}

/**
 * Insert the new transfers. Two transactions can only race on one new id if they lock different accounts,
 * which means different commands: that is the id reused for another transfer (409), not a bug (500).
 */
async function insertTransfers(trx: Trx, planned: readonly PlannedTransfer[], linkedBatchId: string | null) {
  try {
    return await trx
      .insertInto('ledger_transfers')
      .values(
        planned.map((p) => ({
          id: p.id,
          debit_account_id: p.debitAccountId,
          credit_account_id: p.creditAccountId,
          amount_fen: p.amountFen,
          kind: p.kind,
          pending_id: p.pendingId,
          code: p.code,
          linked_batch_id: linkedBatchId,
          refs: JSON.stringify(p.refs),
          memo: p.memo,
          expires_at: p.expiresAt,
          debit_balance_after_fen: p.debitBalanceAfterFen,
          debit_frozen_after_fen: p.debitFrozenAfterFen,
          credit_balance_after_fen: p.creditBalanceAfterFen,
          credit_frozen_after_fen: p.creditFrozenAfterFen,
        })),
      )
      .returningAll()
      .execute();
  } catch (error) {
    const e = error as { code?: string; constraint?: string; message?: string };
    if (
      e.code === '23505' &&
      (e.constraint === 'ledger_transfers_pkey' || e.message?.includes('ledger_transfers_pkey'))
    ) {
      throw LedgerError.TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS();
    }
    throw error;
  }
}

function failLinked(
  commands: readonly TransferCommand[],
  outcomes: (TransferOutcome | undefined)[],
): TransferOutcome[] {
  const failed = outcomes.findIndex((o) => o !== undefined && !o.ok);
  return commands.map((c, i) => {
    const o = outcomes[i];
    if (i === failed && o && !o.ok) return o;
    return { ok: false, error: LedgerError.LINKED_TRANSFER_FAILED({ id: c.id, failedId: commands[failed]?.id }) };
  });
}

type PlanResult = { transfer: PlannedTransfer } | { error: AppError };

/** Check one command against the current in-memory account totals and, if it passes, apply it to them. */
function plan(
  command: TransferCommand,
  states: Map<string, AccountState>,
  pendingRows: Map<string, TransferRow>,
  resolutionOf: Map<string, TransferKind>,
  now: Date,
): PlanResult {
  if (command.kind === 'posted' || command.kind === 'pending') {
    const debit = states.get(command.debitAccountId);
    const credit = states.get(command.creditAccountId);
    if (!debit || !credit) {
      return {
        error: LedgerError.ACCOUNT_NOT_FOUND({ accountId: debit ? command.creditAccountId : command.debitAccountId }),
      };
    }
    const amount = command.amountFen;
    const refused = limitError(debit, credit, amount, amount);
    if (refused) return { error: refused };
    if (command.kind === 'posted') {
      debit.totals.debitsPostedFen += amount;
      credit.totals.creditsPostedFen += amount;
    } else {
      debit.totals.debitsPendingFen += amount;
      credit.totals.creditsPendingFen += amount;
    }
    debit.changed = true;
    credit.changed = true;
    return {
      transfer: planned(command, debit, credit, {
        amountFen: amount,
        pendingId: null,
        code: command.code,
        expiresAt: command.kind === 'pending' ? (command.expiresAt ?? null) : null,
      }),
    };
  }

  const pending = pendingRows.get(command.pendingId);
  if (!pending) return { error: LedgerError.PENDING_TRANSFER_NOT_FOUND({ pendingId: command.pendingId }) };
  if (pending.kind !== 'pending')
    return { error: LedgerError.NOT_A_PENDING_TRANSFER({ pendingId: command.pendingId }) };
  const resolved = resolutionOf.get(command.pendingId);
  if (resolved === 'post_pending')
    return { error: LedgerError.PENDING_TRANSFER_ALREADY_POSTED({ pendingId: command.pendingId }) };
  if (resolved === 'void_pending')
    return { error: LedgerError.PENDING_TRANSFER_ALREADY_VOIDED({ pendingId: command.pendingId }) };
  const debit = states.get(pending.debit_account_id);
  const credit = states.get(pending.credit_account_id);
  assert(debit && credit, 'ledger: accounts of a hold must exist');
  const heldFen = pending.amount_fen;

  if (command.kind === 'post_pending') {
    if (pending.expires_at !== null && pending.expires_at.getTime() <= now.getTime()) {
      return { error: LedgerError.PENDING_TRANSFER_EXPIRED({ pendingId: command.pendingId }) };
    }
    const postFen = command.amountFen ?? heldFen;
    if (postFen > heldFen) return { error: LedgerError.EXCEEDS_PENDING_AMOUNT({ pendingId: command.pendingId }) };
    debit.totals.debitsPendingFen -= heldFen;
    debit.totals.debitsPostedFen += postFen;
    credit.totals.creditsPendingFen -= heldFen;
    credit.totals.creditsPostedFen += postFen;
    assert(
      debit.totals.debitsPendingFen >= 0n && credit.totals.creditsPendingFen >= 0n,
      'ledger: pending totals below zero',
    );
    debit.changed = true;
    credit.changed = true;
    resolutionOf.set(command.pendingId, 'post_pending');
    return {
      transfer: planned(command, debit, credit, {
        amountFen: postFen,
        pendingId: command.pendingId,
        code: command.code ?? pending.code,
        expiresAt: null,
      }),
    };
  }

  debit.totals.debitsPendingFen -= heldFen;
  credit.totals.creditsPendingFen -= heldFen;
  assert(
    debit.totals.debitsPendingFen >= 0n && credit.totals.creditsPendingFen >= 0n,
    'ledger: pending totals below zero',
  );
  debit.changed = true;
  credit.changed = true;
  resolutionOf.set(command.pendingId, 'void_pending');
  return {
    transfer: planned(command, debit, credit, {
      amountFen: heldFen,
      pendingId: command.pendingId,
      code: command.code ?? pending.code,
      expiresAt: null,
    }),
  };
}

function planned(
  command: TransferCommand,
  debit: AccountState,
  credit: AccountState,
  fields: { amountFen: bigint; pendingId: string | null; code: string; expiresAt: Date | null },
): PlannedTransfer {
  const d = snapshot(debit);
  const c = snapshot(credit);
  return {
    id: command.id,
    kind: command.kind,
    debitAccountId: debit.account.id,
    creditAccountId: credit.account.id,
    amountFen: fields.amountFen,
    pendingId: fields.pendingId,
    code: fields.code,
    refs: command.refs ?? {},
    memo: command.memo ?? null,
    expiresAt: fields.expiresAt,
    debitBalanceAfterFen: d.balanceFen,
    debitFrozenAfterFen: d.frozenFen,
    creditBalanceAfterFen: c.balanceFen,
    creditFrozenAfterFen: c.frozenFen,
  };
}

/** Write the new totals of every changed account in one statement. */
async function writeAccounts(trx: Trx, changed: readonly AccountState[]): Promise<void> {
  if (changed.length === 0) return;
  const rows = changed.map(
    (s) =>
      sql`(${s.account.id}::text, ${s.totals.debitsPendingFen}::bigint, ${s.totals.debitsPostedFen}::bigint, ${s.totals.creditsPendingFen}::bigint, ${s.totals.creditsPostedFen}::bigint, ${s.account.version}::bigint)`,
  );
  const result = await sql`
    update ledger_accounts as a
    set debits_pending_fen = v.dpend, debits_posted_fen = v.dpost,
        credits_pending_fen = v.cpend, credits_posted_fen = v.cpost, version = a.version + 1
    from (values ${sql.join(rows)}) as v(id, dpend, dpost, cpend, cpost, version)
    where a.id = v.id and a.version = v.version
  `.execute(trx);
  // We hold the row locks, so nobody else can have changed the version under us.
  assert(Number(result.numAffectedRows ?? 0n) === changed.length, 'ledger: account version changed under a lock');
}
