/**
 * Jepsen-style bank test for the ledger (issue 3): many workers move money among customer accounts at the
 * same time — transfers, unlinked batches, linked sets, holds, full and partial posts, voids, expiry, repeated
 * transfer ids — each in its own database transaction. Afterwards every fen must be where the acknowledged
 * operations say it is, no account may be negative, no hold may be resolved twice, and `verifyLedger` must
 * be clean. Any error other than the ledger's expected refusals (a deadlock, a serialization failure, a
 * unique violation, an assertion) fails the test.
 *
 * On PostgreSQL (TEST_DATABASE_URL) the workers really run in parallel through a pool of 40 connections;
 * on PGlite (one connection) the same workers queue for it, so the run is serial but checks the same things.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expireHolds,
  hold,
  LedgerError,
  openCustomerAccounts,
  platformAccountId,
  postHold,
  type Transfer,
  type TransferCommand,
  type TransferOutcome,
  transfer,
  transferBatch,
  transferLinked,
  verifyLedger,
  voidHold,
} from '../src/modules/ledger/index.ts';
import { AppError } from '../src/platform/errors.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.ts';

/** How long the workers run. */
const BANK_DURATION_MS = 10_000;
const WORKERS = 32;
const POOL_CONNECTIONS_MAX = 40;
const CUSTOMERS = 200;
const FUNDED_PER_CUSTOMER_FEN = 100_000n;
const FUNDED_TOTAL_FEN = FUNDED_PER_CUSTOMER_FEN * BigInt(CUSTOMERS);
/** Upper bound on the operations one worker may start, whatever the clock says. */
const OPS_PER_WORKER_MAX = 1_000_000;
/** Commands kept for repeating (a bounded sample of the successful ones). */
const REPEATABLE_MAX = 2_000;
const UNEXPECTED_ERRORS_KEPT_MAX = 20;
const SEED = Number(process.env.LEDGER_BANK_SEED ?? 20_260_131);

const CUSTODY = platformAccountId('custody_cash');
const ESCROW = platformAccountId('loan_escrow');

/** Operations and their relative weights. */
const OPERATIONS = {
  transfer: 30,
  batch: 7,
  linked: 7,
  hold: 20,
  post: 12,
  void: 8,
  repeatSame: 6,
  repeatDifferent: 4,
  duplicatePair: 3,
  expire: 1,
} as const;
type Operation = keyof typeof OPERATIONS;

/** Refusals the ledger may give for each operation; anything else thrown is a failure. */
const EXPECTED_REFUSALS: Record<Operation, readonly string[]> = {
  transfer: ['INSUFFICIENT_BALANCE'],
  batch: ['INSUFFICIENT_BALANCE'],
  linked: ['INSUFFICIENT_BALANCE'],
  hold: ['INSUFFICIENT_BALANCE'],
  post: ['PENDING_TRANSFER_ALREADY_POSTED', 'PENDING_TRANSFER_ALREADY_VOIDED', 'PENDING_TRANSFER_EXPIRED'],
  void: ['PENDING_TRANSFER_ALREADY_POSTED', 'PENDING_TRANSFER_ALREADY_VOIDED'],
  repeatSame: [],
  repeatDifferent: [],
  duplicatePair: ['INSUFFICIENT_BALANCE'],
  expire: [],
};

/** A small seeded generator (mulberry32), one per worker, so a failing run can be replayed in spirit. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface OpenHold {
  readonly id: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountFen: bigint;
}

type PostedInput = Extract<TransferCommand, { kind: 'posted' }>;

/** What the acknowledged operations say each account should hold. */
interface Expected {
  balanceFen: bigint;
  /** Pending debits: funds frozen on a customer account. */
  frozenFen: bigint;
}

let t: TestDatabase;
let customerIds: string[] = [];

/** Shared by all workers (one event loop, so plain structures are safe). */
const state = {
  expected: new Map<string, Expected>(),
  openHolds: [] as OpenHold[],
  holdsById: new Map<string, OpenHold>(),
  /** Successful resolutions seen by the workers, per hold. */
  resolutions: new Map<string, number>(),
  repeatable: [] as { command: PostedInput; first: Transfer }[],
  /** Ids submitted more than once, with the amount they were first recorded with. */
  repeatedIds: new Map<string, bigint>(),
  counts: new Map<string, number>(),
  unexpected: [] as string[],
  unexpectedTotal: 0,
};

function count(key: string, by = 1): void {
  state.counts.set(key, (state.counts.get(key) ?? 0) + by);
}
function counted(key: string): number {
  return state.counts.get(key) ?? 0;
}
function unexpected(what: string): void {
  state.unexpectedTotal++;
  if (state.unexpected.length < UNEXPECTED_ERRORS_KEPT_MAX) state.unexpected.push(what);
}

function expectedOf(accountId: string): Expected {
  let e = state.expected.get(accountId);
  if (!e) {
    e = { balanceFen: 0n, frozenFen: 0n };
    state.expected.set(accountId, e);
  }
  return e;
}

/** Apply an acknowledged, newly created transfer to the expected balances (all accounts here are credit-normal). */
function applyCreated(tr: Transfer): void {
  const debit = expectedOf(tr.debitAccountId);
  const credit = expectedOf(tr.creditAccountId);
  if (tr.kind === 'posted') {
    debit.balanceFen -= tr.amountFen;
    credit.balanceFen += tr.amountFen;
    return;
  }
  if (tr.kind === 'pending') {
    debit.frozenFen += tr.amountFen;
    const h = {
      id: tr.id,
      debitAccountId: tr.debitAccountId,
      creditAccountId: tr.creditAccountId,
      amountFen: tr.amountFen,
    };
    state.holdsById.set(h.id, h);
    state.openHolds.push(h);
    return;
  }
  const pendingId = tr.pendingId as string;
  const h = state.holdsById.get(pendingId);
  if (!h) {
    unexpected(`resolution ${tr.id} of a hold no worker created: ${pendingId}`);
    return;
  }
  state.resolutions.set(pendingId, (state.resolutions.get(pendingId) ?? 0) + 1);
  forgetOpenHold(pendingId);
  debit.frozenFen -= h.amountFen;
  if (tr.kind === 'post_pending') {
    debit.balanceFen -= tr.amountFen;
    credit.balanceFen += tr.amountFen;
    count(tr.amountFen === h.amountFen ? 'posted in full' : 'posted in part');
  } else {
    count('voided');
  }
}

function forgetOpenHold(id: string): void {
  const i = state.openHolds.findIndex((o) => o.id === id);
  if (i >= 0) state.openHolds.splice(i, 1);
}

function remember(command: PostedInput, first: Transfer): void {
  if (state.repeatable.length < REPEATABLE_MAX) state.repeatable.push({ command, first });
}

/** Run one operation in its own transaction; sort what comes back into counts and failures. */
async function attempt(
  op: Operation,
  label: string,
  run: () => Promise<void>,
  onRefused?: (code: string) => void,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError && EXPECTED_REFUSALS[op].includes(error.code)) {
      count(`refused ${error.code}`);
      onRefused?.(error.code);
      return;
    }
    const e = error as { code?: string; message?: string };
    unexpected(`${op} ${label}: ${e.code ?? ''} ${e.message ?? String(error)}`);
  }
}

/** Outcomes of an unlinked batch: created ones are applied; refusals must be expected ones. */
function takeOutcomes(op: Operation, label: string, outcomes: readonly TransferOutcome[]): void {
  for (const o of outcomes) {
    if (o.ok) {
      if (o.created) applyCreated(o.transfer);
      count(o.created ? 'created' : 'repeat answered');
    } else if (EXPECTED_REFUSALS[op].includes(o.error.code)) {
      count(`refused ${o.error.code}`);
    } else {
      unexpected(`${op} ${label}: outcome ${o.error.code}`);
    }
  }
}

async function worker(w: number, deadline: number): Promise<void> {
  const random = generator(SEED + w);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const two = (): [string, string] => {
    const a = pick(customerIds);
    let b = pick(customerIds);
    while (b === a) b = pick(customerIds);
    return [a, b];
  };
  /** Mostly affordable amounts, now and then far more than any one account holds (an overdraft). */
  const amount = (): bigint =>
    random() < 0.1
      ? FUNDED_PER_CUSTOMER_FEN * 2n + BigInt(Math.floor(random() * 100_000))
      : 1n + BigInt(Math.floor(random() * 40_000));
  const weights = Object.entries(OPERATIONS) as [Operation, number][];
  const weightTotal = weights.reduce((s, [, n]) => s + n, 0);
  const chooseOp = (): Operation => {
    let r = random() * weightTotal;
    for (const [op, n] of weights) {
      r -= n;
      if (r < 0) return op;
    }
    return 'transfer';
  };
  let n = 0;
  const nextId = (label: string) => `${label}-w${w}-${++n}`;
  const db = t.db;

  for (let i = 0; i < OPS_PER_WORKER_MAX && Date.now() < deadline; i++) {
    const op = chooseOp();
    count(`op ${op}`);
    switch (op) {
      case 'transfer': {
        const [a, b] = two();
        const command: PostedInput = {
          kind: 'posted',
          id: nextId('t'),
          debitAccountId: a,
          creditAccountId: b,
          amountFen: amount(),
          code: 'internal',
        };
        await attempt(op, command.id, async () => {
          const { kind: _kind, ...input } = command;
          const tr = await db.transaction().execute((trx) => transfer(trx, input));
          applyCreated(tr);
          count('transfers made');
          remember(command, tr);
        });
        break;
      }
      case 'batch': {
        const size = 2 + Math.floor(random() * 4);
        const commands: PostedInput[] = Array.from({ length: size }, () => {
          const [a, b] = two();
          return {
            kind: 'posted',
            id: nextId('b'),
            debitAccountId: a,
            creditAccountId: b,
            amountFen: amount(),
            code: 'internal',
          };
        });
        await attempt(op, commands[0]?.id ?? '', async () => {
          const outcomes = await db.transaction().execute((trx) => transferBatch(trx, commands));
          takeOutcomes(op, commands[0]?.id ?? '', outcomes);
        });
        break;
      }
      case 'linked': {
        // A pays B, B pays C: both or neither.
        const [a, b] = two();
        let c = pick(customerIds);
        while (c === a || c === b) c = pick(customerIds);
        const first = amount();
        const commands: TransferCommand[] = [
          {
            kind: 'posted',
            id: nextId('l'),
            debitAccountId: a,
            creditAccountId: b,
            amountFen: first,
            code: 'internal',
          },
          {
            kind: 'posted',
            id: nextId('l'),
            debitAccountId: b,
            creditAccountId: c,
            amountFen: first + amount(),
            code: 'internal',
          },
        ];
        await attempt(op, commands[0]?.id ?? '', async () => {
          const made = await db.transaction().execute((trx) => transferLinked(trx, commands));
          if (made.length !== 2 || !made[0]?.linkedBatchId || made[0].linkedBatchId !== made[1]?.linkedBatchId) {
            unexpected(`linked ${commands[0]?.id}: not one linked batch`);
          }
          for (const tr of made) applyCreated(tr);
          count('linked sets made');
        });
        break;
      }
      case 'hold': {
        const [a, b] = two();
        const toEscrow = random() < 0.3;
        const expiresAt = random() < 0.2 ? new Date(Date.now() + 10 + Math.floor(random() * 300)) : undefined;
        const input = {
          id: nextId('h'),
          debitAccountId: a,
          creditAccountId: toEscrow ? ESCROW : b,
          amountFen: amount(),
          code: 'bid_hold' as const,
          ...(expiresAt ? { expiresAt } : {}),
        };
        await attempt(op, input.id, async () => {
          const tr = await db.transaction().execute((trx) => hold(trx, input));
          applyCreated(tr);
          count('holds made');
        });
        break;
      }
      case 'post':
      case 'void': {
        // Any worker may pick any open hold, so two of them regularly race to resolve the same one.
        if (state.openHolds.length === 0) break;
        const h = pick(state.openHolds);
        const id = nextId(op === 'post' ? 'p' : 'v');
        const partial = op === 'post' && h.amountFen > 1n && random() < 0.5;
        const amountFen = partial ? 1n + BigInt(Math.floor(random() * Number(h.amountFen - 1n))) : undefined;
        await attempt(
          op,
          id,
          async () => {
            const tr = await db
              .transaction()
              .execute((trx) =>
                op === 'post'
                  ? postHold(trx, { id, pendingId: h.id, ...(amountFen !== undefined ? { amountFen } : {}) })
                  : voidHold(trx, { id, pendingId: h.id }),
              );
            applyCreated(tr);
          },
          (code) => {
            // Resolved by another worker or by the expiry job: stop offering it.
            if (code !== 'PENDING_TRANSFER_EXPIRED') forgetOpenHold(h.id);
          },
        );
        break;
      }
      case 'repeatSame': {
        // The same command again: the first transfer comes back and nothing changes.
        if (state.repeatable.length === 0) break;
        const { command, first } = pick(state.repeatable);
        state.repeatedIds.set(command.id, first.amountFen);
        await attempt(op, command.id, async () => {
          const { kind: _kind, ...input } = command;
          if (random() < 0.5) {
            const again = await db.transaction().execute((trx) => transfer(trx, input));
            if (!sameTransfer(again, first)) unexpected(`repeat ${command.id}: another transfer came back`);
          } else {
            const [o] = await db.transaction().execute((trx) => transferBatch(trx, [command]));
            if (!o?.ok || o.created || !sameTransfer(o.transfer, first)) {
              unexpected(`repeat ${command.id}: ${o?.ok ? `created=${o.created}` : o?.error.code}`);
            }
          }
          count('repeats answered with the first transfer');
        });
        break;
      }
      case 'repeatDifferent': {
        // The same id with another amount or another payee: refused, nothing changes.
        if (state.repeatable.length === 0) break;
        const { command, first } = pick(state.repeatable);
        state.repeatedIds.set(command.id, first.amountFen);
        const [, other] = two();
        const changed: PostedInput =
          random() < 0.5 || other === command.debitAccountId || other === command.creditAccountId
            ? { ...command, amountFen: command.amountFen + 1n }
            : { ...command, creditAccountId: other };
        try {
          const { kind: _kind, ...input } = changed;
          await db.transaction().execute((trx) => transfer(trx, input));
          unexpected(`repeat with other fields ${command.id} was accepted`);
        } catch (error) {
          if (error instanceof AppError && error.code === 'TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS') {
            count('repeats with other fields refused');
          } else {
            const e = error as { code?: string; message?: string };
            unexpected(`repeatDifferent ${command.id}: ${e.code ?? ''} ${e.message ?? String(error)}`);
          }
        }
        break;
      }
      case 'duplicatePair': {
        // The same new command sent twice at once (a client retrying too early): exactly one is created.
        const [a, b] = two();
        const command: PostedInput = {
          kind: 'posted',
          id: nextId('d'),
          debitAccountId: a,
          creditAccountId: b,
          amountFen: 1n + BigInt(Math.floor(random() * 1_000)),
          code: 'internal',
        };
        state.repeatedIds.set(command.id, command.amountFen);
        const both = await Promise.allSettled(
          [0, 1].map(() => db.transaction().execute((trx) => transferBatch(trx, [command]))),
        );
        const outcomes: TransferOutcome[] = [];
        for (const r of both) {
          if (r.status === 'fulfilled' && r.value[0]) outcomes.push(r.value[0]);
          else {
            const e = (r as PromiseRejectedResult).reason as { code?: string; message?: string };
            unexpected(`duplicatePair ${command.id}: ${e?.code ?? ''} ${e?.message ?? String(e)}`);
          }
        }
        if (outcomes.length < 2) break;
        const made = outcomes.flatMap((o) => (o.ok ? [o] : []));
        const created = made.filter((o) => o.created);
        const [first] = created;
        if (made.length === 2 && created.length === 1 && first) {
          if (!made.every((o) => sameTransfer(o.transfer, first.transfer))) {
            unexpected(`duplicatePair ${command.id}: the second answer is not the first transfer`);
          }
          applyCreated(first.transfer);
          count('duplicate pairs created once');
        } else if (outcomes.every((o) => !o.ok && o.error.code === 'INSUFFICIENT_BALANCE')) {
          count('refused INSUFFICIENT_BALANCE', 2);
        } else {
          unexpected(`duplicatePair ${command.id}: ${created.length} created, ${made.length} answered of 2`);
        }
        break;
      }
      case 'expire': {
        await attempt(op, `expire-w${w}`, async () => {
          const released = await db.transaction().execute((trx) => expireHolds(trx));
          count('expired by the job', released);
        });
        break;
      }
    }
  }
}

function sameTransfer(a: Transfer, b: Transfer): boolean {
  return (
    a.id === b.id &&
    a.seq === b.seq &&
    a.amountFen === b.amountFen &&
    a.debitAccountId === b.debitAccountId &&
    a.creditAccountId === b.creditAccountId
  );
}

beforeAll(async () => {
  t = await createTestDatabase({ poolMax: POOL_CONNECTIONS_MAX });
  customerIds = await t.db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const { cash } = await openCustomerAccounts(trx, `bank${String(i).padStart(3, '0')}`);
      ids.push(cash.id);
    }
    const funded = await transferBatch(
      trx,
      ids.map((id, i) => ({
        kind: 'posted',
        id: `fund-${i}`,
        debitAccountId: CUSTODY,
        creditAccountId: id,
        amountFen: FUNDED_PER_CUSTOMER_FEN,
        code: 'recharge',
      })),
    );
    expect(funded.every((o) => o.ok && o.created)).toBe(true);
    return ids;
  });
  for (const id of customerIds) state.expected.set(id, { balanceFen: FUNDED_PER_CUSTOMER_FEN, frozenFen: 0n });
  state.expected.set(ESCROW, { balanceFen: 0n, frozenFen: 0n });
});

afterAll(async () => {
  await t?.close();
});

describe(`ledger bank test (${WORKERS} workers, ${CUSTOMERS} accounts, ${BANK_DURATION_MS / 1000} s)`, () => {
  it(
    'keeps every fen under concurrent transfers, holds, posts, voids and repeated ids',
    async () => {
      const startedAt = Date.now();
      const deadline = startedAt + BANK_DURATION_MS;
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w, deadline)));
      const elapsedMs = Date.now() - startedAt;

      // Holds released by the expiry job are not reported one by one: take them from the ledger.
      const expired = await t.db
        .selectFrom('ledger_transfers')
        .selectAll()
        .where('kind', '=', 'void_pending')
        .where('id', 'like', 'expire:%')
        .execute();
      for (const row of expired) {
        const h = state.holdsById.get(row.pending_id as string);
        if (!h) unexpected(`expired ${row.id}: unknown hold`);
        else {
          state.resolutions.set(h.id, (state.resolutions.get(h.id) ?? 0) + 1);
          expectedOf(h.debitAccountId).frozenFen -= h.amountFen;
          count('expired (found afterwards)');
        }
      }

      const summary = [...state.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`);
      console.log(
        `bank test on ${t.kind}, ${WORKERS} workers, ${elapsedMs} ms, seed ${SEED}\n  ${summary.join('\n  ')}`,
      );

      // 1. Nothing but the expected refusals: no deadlock, no serialization failure, no duplicate key, no assertion.
      expect(state.unexpected, `${state.unexpectedTotal} unexpected errors`).toEqual([]);

      // 2. The ledger's own invariants.
      const report = await verifyLedger(t.db);
      expect(report.breaches).toEqual([]);
      expect(report.ok).toBe(true);

      // 3. Total money unchanged: customers plus escrow hold exactly what custody cash received.
      const accounts = await t.db.selectFrom('ledger_accounts').selectAll().execute();
      const byId = new Map(accounts.map((a) => [a.id, a]));
      const balance = (id: string) => {
        const a = byId.get(id);
        if (!a) throw new Error(`account ${id} is missing`);
        return a.normal_side === 'credit'
          ? a.credits_posted_fen - a.debits_posted_fen
          : a.debits_posted_fen - a.credits_posted_fen;
      };
      const customerTotalFen = customerIds.reduce((s, id) => s + balance(id), 0n);
      expect(customerTotalFen + balance(ESCROW)).toBe(FUNDED_TOTAL_FEN);
      expect(balance(CUSTODY)).toBe(FUNDED_TOTAL_FEN);
      expect(report.custodyCashFen).toBe(FUNDED_TOTAL_FEN);
      expect(report.customerBalanceFen).toBe(customerTotalFen);
      const otherPlatformFen = accounts
        .filter((a) => a.kind === 'platform' && a.id !== CUSTODY && a.id !== ESCROW)
        .map((a) => balance(a.id));
      expect(otherPlatformFen.every((b) => b === 0n)).toBe(true);

      // 4. No account negative: neither its balance nor what is left after its frozen funds.
      const overdrawn = accounts.filter(
        (a) => a.kind === 'customer' && a.credits_posted_fen - a.debits_posted_fen - a.debits_pending_fen < 0n,
      );
      expect(overdrawn.map((a) => a.code)).toEqual([]);

      // 5. Every account holds what the acknowledged operations say: no acknowledged write lost, none invented.
      const drift = [...state.expected.entries()].flatMap(([id, e]) => {
        const a = byId.get(id);
        const got = { balanceFen: balance(id), frozenFen: a?.debits_pending_fen ?? -1n };
        return got.balanceFen === e.balanceFen && got.frozenFen === e.frozenFen ? [] : [{ id, expected: e, got }];
      });
      expect(drift).toEqual([]);

      // 6. Each hold resolved at most once, in the ledger and as the workers saw it, and the two agree.
      const twice = await sql<{ pending_id: string; n: bigint }>`
        select pending_id, count(*)::bigint as n from ledger_transfers where pending_id is not null
        group by pending_id having count(*) > 1
      `.execute(t.db);
      expect(twice.rows).toEqual([]);
      expect([...state.resolutions.entries()].filter(([, k]) => k > 1)).toEqual([]);
      const resolvedInLedger = await sql<{ n: bigint }>`
        select count(*)::bigint as n from ledger_transfers where pending_id is not null
      `.execute(t.db);
      expect(Number(resolvedInLedger.rows[0]?.n)).toBe(state.resolutions.size);

      // 7. Every repeated id is recorded once, with the fields it was first recorded with.
      const repeated = [...state.repeatedIds.keys()];
      const rows = repeated.length
        ? await t.db.selectFrom('ledger_transfers').select(['id', 'amount_fen']).where('id', 'in', repeated).execute()
        : [];
      const recorded = new Map(rows.map((r) => [r.id, r.amount_fen]));
      const wrong = repeated.filter((id) => {
        const amountFen = recorded.get(id);
        // A duplicate pair both refused for lack of funds leaves no row; anything else must match the first.
        return amountFen !== undefined && amountFen !== state.repeatedIds.get(id);
      });
      expect(wrong).toEqual([]);
      expect(rows.length).toBe(new Set(rows.map((r) => r.id)).size);

      // 8. The run really exercised the ledger (so the checks above could have failed).
      const made = counted('transfers made') + counted('created') + counted('linked sets made') + counted('holds made');
      expect(made).toBeGreaterThanOrEqual(500);
      expect(counted('refused INSUFFICIENT_BALANCE')).toBeGreaterThanOrEqual(20);
      expect(counted('posted in full')).toBeGreaterThanOrEqual(10);
      expect(counted('posted in part')).toBeGreaterThanOrEqual(10);
      expect(counted('voided')).toBeGreaterThanOrEqual(10);
      expect(counted('linked sets made')).toBeGreaterThanOrEqual(10);
      expect(counted('repeats answered with the first transfer')).toBeGreaterThanOrEqual(10);
      expect(counted('repeats with other fields refused')).toBeGreaterThanOrEqual(10);
      expect(counted('duplicate pairs created once')).toBeGreaterThanOrEqual(5);
      const raced =
        counted('refused PENDING_TRANSFER_ALREADY_POSTED') + counted('refused PENDING_TRANSFER_ALREADY_VOIDED');
      expect(raced, 'two workers never raced to resolve the same hold').toBeGreaterThanOrEqual(1);
      // The error codes used above exist (a renamed code would silently turn refusals into "unexpected").
      for (const code of Object.values(EXPECTED_REFUSALS).flat()) expect(Object.hasOwn(LedgerError, code)).toBe(true);
    },
    BANK_DURATION_MS + 120_000,
  );
});
