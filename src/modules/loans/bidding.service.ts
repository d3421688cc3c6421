import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { LoanStatus } from '../../db/schema.ts';
import { type AppError, assert, CommonError } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transactions.ts';
import { currentRiskLevel } from '../identity/risk/index.ts';
import {
  availableFen,
  platformAccountId,
  TRANSFER_BATCH_MAX,
  type TransferCommand,
  transferBatch,
} from '../ledger/index.ts';
import { BiddingError } from './bidding.errors.ts';

/**
 * Bidding (投标): bid → hold the investor's funds → raise the loan → maybe mark it full, in one transaction.
 *
 * Requests for the same loan that arrive within BID_BATCH_WINDOW_MS are applied together (one lock of the
 * loan row, one ledger batch, one insert of bids) and each gets its own answer, so a flash sale does not
 * serialize one transaction per HTTP request on the loan's row. Overselling is impossible either way: the
 * loan row is locked while the batch is decided, the raise is one conditional UPDATE, and a CHECK backs it.
 */

/** How long the first bid on a loan waits for companions before its batch runs. */
export const BID_BATCH_WINDOW_MS_DEFAULT = 2;
/** The most bids one batch (one transaction) applies; two ledger holds each must fit TRANSFER_BATCH_MAX. */
export const BID_BATCH_SIZE_MAX = Math.floor(TRANSFER_BATCH_MAX / 2);
/** How many batches of one loan may be in flight at once in one process (see BidBatcher). */
export const BID_BATCHES_IN_FLIGHT = 2;
/** The most bids waiting for one loan in one process; beyond it requests are refused with 503. */
export const BID_QUEUE_LENGTH_MAX = 10_000;
export const MY_BIDS_PAGE_MAX = 100;

const ESCROW = platformAccountId('loan_escrow');

export interface BidRequest {
  readonly loanId: string;
  readonly investorId: string;
  readonly amountFen: bigint;
  readonly idempotencyKey: string;
  /** Hash of the request, to tell a repeat from a reused key. */
  readonly requestHash: string;
}

/** The answer to an accepted bid (also stored as the idempotent answer), JSON-ready. */
export interface BidAnswerBody {
  readonly bidId: string;
  readonly loanId: string;
  readonly amountFen: number;
  readonly fromBonusFen: number;
  readonly status: 'held';
  readonly createdAt: string;
  readonly loanRaisedFen: number;
  readonly loanAmountFen: number;
  readonly loanStatus: LoanStatus;
}

export interface BidAnswer {
  readonly statusCode: number;
  readonly body: BidAnswerBody;
  readonly replayed: boolean;
}

type Outcome = { readonly ok: true; readonly answer: BidAnswer } | { readonly ok: false; readonly error: unknown };

export function bidScope(investorId: string): string {
  return `customer:${investorId}:bid`;
}

interface LoanForBid {
  readonly id: string;
  readonly borrowerId: string;
  readonly status: LoanStatus;
  readonly amountFen: bigint;
  readonly raisedFen: bigint;
  readonly raiseEndsAt: Date | null;
  readonly bidMinFen: bigint;
  readonly bidStepFen: bigint;
  readonly bidMaxPerInvestorFen: bigint | null;
  readonly riskLevels: readonly string[];
  readonly allowBonus: boolean;
}

async function loadLoan(db: Db | Trx, loanId: string, lock: boolean): Promise<LoanForBid | undefined> {
  let q = db
    .selectFrom('loans as l')
    .innerJoin('loan_products as p', 'p.id', 'l.product_id')
    .select([
      'l.id',
      'l.borrower_id',
      'l.status',
      'l.amount_fen',
      'l.raised_fen',
      'l.raise_ends_at',
      'p.bid_min_fen',
      'p.bid_step_fen',
      'p.bid_max_per_investor_fen',
      'p.risk_levels',
      'p.allow_bonus',
    ])
    .where('l.id', '=', loanId);
  // Lock the loan's row only (the product is read, not locked), in the same statement that reads it.
  if (lock) q = q.modifyEnd(sql`for update of l`);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    borrowerId: row.borrower_id,
    status: row.status,
    amountFen: row.amount_fen,
    raisedFen: row.raised_fen,
    raiseEndsAt: row.raise_ends_at,
    bidMinFen: row.bid_min_fen,
    bidStepFen: row.bid_step_fen,
    bidMaxPerInvestorFen: row.bid_max_per_investor_fen,
    riskLevels: row.risk_levels,
    allowBonus: row.allow_bonus,
  };
}

/** Rules that depend on the loan's state at the moment (checked again under the lock). */
function loanRuleError(loan: LoanForBid, now: Date): AppError | undefined {
  if (loan.status === 'second_review' || (loan.status === 'raising' && loan.raisedFen >= loan.amountFen))
    return BiddingError.LOAN_FULL();
  if (loan.status !== 'raising') return BiddingError.LOAN_NOT_RAISING({ status: loan.status });
  if (!loan.raiseEndsAt || loan.raiseEndsAt.getTime() <= now.getTime()) return BiddingError.LOAN_RAISE_ENDED();
  return undefined;
}

/** Amount rules against what is still open: minimum, step, no unfillable tail (the last bid may take the rest). */
function amountRuleError(loan: LoanForBid, raisedFen: bigint, amountFen: bigint): AppError | undefined {
  const remainingFen = loan.amountFen - raisedFen;
  if (amountFen > remainingFen) return BiddingError.BID_EXCEEDS_REMAINING({ remainingFen: Number(remainingFen) });
  if (amountFen === remainingFen) return undefined;
  if (amountFen < loan.bidMinFen) return BiddingError.BID_BELOW_MINIMUM({ minFen: Number(loan.bidMinFen) });
  if ((amountFen - loan.bidMinFen) % loan.bidStepFen !== 0n)
    return BiddingError.BID_NOT_ON_STEP({ stepFen: Number(loan.bidStepFen), minFen: Number(loan.bidMinFen) });
  const restFen = remainingFen - amountFen;
  if (restFen < loan.bidMinFen) return BiddingError.BID_LEAVES_UNFILLABLE_REST({ remainingFen: Number(remainingFen) });
  return undefined;
}

/** The stored answer of an idempotency record, if it has one (a reused key with another request: 409). */
function answerOf(
  record: { request_hash: string; status_code: number; response_body: unknown } | undefined,
  request: BidRequest,
): BidAnswer | undefined {
  if (!record || record.status_code === 0) return undefined;
  if (record.request_hash !== request.requestHash)
    throw CommonError.IDEMPOTENCY_KEY_REUSED({ field: 'Idempotency-Key' });
  return { statusCode: record.status_code, body: record.response_body as BidAnswerBody, replayed: true };
}

/**
 * What a bid needs to know before it joins a batch, read in one round trip: the stored answer under its
 * key, the loan with its product's rules, and whether the investor's real name is verified.
 */
async function readBeforeBatch(db: Db, request: BidRequest) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('idempotency_records as r')
        .select(sql<unknown>`json_build_array(r.request_hash, r.status_code, r.response_body)`.as('x'))
        .where('r.scope', '=', bidScope(request.investorId))
        .where('r.key', '=', request.idempotencyKey)
        .as('record'),
      eb
        .selectFrom('customer_real_names as n')
        .select(sql<boolean>`true`.as('x'))
        .where('n.user_id', '=', request.investorId)
        .as('real_name'),
      eb
        .selectFrom('loans as l')
        .innerJoin('loan_products as p', 'p.id', 'l.product_id')
        .select(
          sql<unknown>`json_build_array(l.borrower_id, l.status, l.amount_fen::text, l.raised_fen::text,
            l.raise_ends_at, p.bid_min_fen::text, p.bid_step_fen::text, p.bid_max_per_investor_fen::text,
            p.risk_levels, p.allow_bonus)`.as('x'),
        )
        .where('l.id', '=', request.loanId)
        .as('loan'),
    ])
    .executeTakeFirstOrThrow();
  const rec = row.record as [string, number, unknown] | null;
  const record = rec ? { request_hash: rec[0], status_code: rec[1], response_body: rec[2] } : undefined;
  const l = row.loan as
    | [string, LoanStatus, string, string, string | null, string, string, string | null, string[], boolean]
    | null;
  const loan: LoanForBid | undefined = l
    ? {
        id: request.loanId,
        borrowerId: l[0],
        status: l[1],
        amountFen: BigInt(l[2]),
        raisedFen: BigInt(l[3]),
        raiseEndsAt: l[4] === null ? null : new Date(l[4]),
        bidMinFen: BigInt(l[5]),
        bidStepFen: BigInt(l[6]),
        bidMaxPerInvestorFen: l[7] === null ? null : BigInt(l[7]),
        riskLevels: l[8],
        allowBonus: l[9],
      }
    : undefined;
  return { record, loan, realName: row.real_name === true };
}

/**
 * Checks that need no lock (the investor's identity, the loan's existence and owner), done before a bid
 * joins a batch so a hopeless request never waits for the loan's lock.
 */
function precheckLoan(loan: LoanForBid | undefined, request: BidRequest, now: Date): void {
  if (!loan) throw BiddingError.LOAN_NOT_FOUND();
  if (loan.borrowerId === request.investorId) throw BiddingError.BID_ON_OWN_LOAN();
  const ruleError = loanRuleError(loan, now);
  if (ruleError) throw ruleError;
  const amountError = amountRuleError(loan, loan.raisedFen, request.amountFen);
  // What is open may still change; only the shape of the amount is final here.
  if (amountError && ['BID_BELOW_MINIMUM', 'BID_NOT_ON_STEP'].includes(amountError.code)) {
    if (request.amountFen !== loan.amountFen - loan.raisedFen) throw amountError;
  }
}

async function precheckInvestor(db: Db, loan: LoanForBid, request: BidRequest, realName: boolean, now: Date) {
  if (!realName) throw BiddingError.REAL_NAME_REQUIRED();
  if (loan.riskLevels.length > 0) {
    const level = await currentRiskLevel(db, request.investorId, now);
    if (level === null) throw BiddingError.RISK_ASSESSMENT_REQUIRED();
    if (!loan.riskLevels.includes(level)) throw BiddingError.RISK_LEVEL_NOT_ALLOWED({ level });
  }
}

/**
 * Checks that need no lock, done before a bid joins a batch so a hopeless request never waits for the
 * loan's lock (all of them are checked again in the batch, under the locks, except identity and risk).
 */
export async function precheckBid(db: Db, request: BidRequest, now: Date = new Date()): Promise<void> {
  const { loan, realName } = await readBeforeBatch(db, request);
  precheckLoan(loan, request, now);
  await precheckInvestor(db, loan as LoanForBid, request, realName, now);
}

interface AccountFunds {
  cashId: string;
  bonusId: string;
  cashAvailableFen: bigint;
  bonusAvailableFen: bigint;
}

/**
 * Apply bids on one loan in one transaction: each request is claimed under its idempotency key, decided in
 * order against the locked loan and the locked accounts, and answered on its own. Requests in `requests`
 * must have distinct (investor, key) pairs.
 */
export async function applyBidBatch(trx: Trx, loanId: string, requests: readonly BidRequest[], now: Date = new Date()) {
  assert(requests.length > 0 && requests.length <= BID_BATCH_SIZE_MAX, 'applyBidBatch: batch size');
  const outcomes: (Outcome | undefined)[] = requests.map(() => undefined);

  // 1. Claim every key (before the loan's lock, so a concurrent repeat waits on its key, not on us), in
  //    (scope, key) order so two batches in flight can never wait on each other's claims.
  const claimOrder = requests
    .map((r) => ({ scope: bidScope(r.investorId), key: r.idempotencyKey, r }))
    .sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const claimed = await trx
    .insertInto('idempotency_records')
    .values(
      claimOrder.map(({ scope, key, r }) => ({
        scope,
        key,
        request_hash: r.requestHash,
        status_code: 0,
        response_body: 'null',
      })),
    )
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning(['scope', 'key'])
    .execute();
  const claimedSet = new Set(claimed.map((c) => `${c.scope}\n${c.key}`));
  const live: number[] = [];
  const unclaimed: number[] = [];
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i] as BidRequest;
    if (claimedSet.has(`${bidScope(r.investorId)}\n${r.idempotencyKey}`)) live.push(i);
    else unclaimed.push(i);
  }
  if (unclaimed.length > 0) {
    // Repeats of committed requests: their stored answers, in one statement.
    const records = await trx
      .selectFrom('idempotency_records')
      .select(['scope', 'key', 'request_hash', 'status_code', 'response_body'])
      .where((eb) =>
        eb.or(
          unclaimed.map((i) => {
            const r = requests[i] as BidRequest;
            return eb.and([eb('scope', '=', bidScope(r.investorId)), eb('key', '=', r.idempotencyKey)]);
          }),
        ),
      )
      .execute();
    const byKey = new Map(records.map((x) => [`${x.scope}\n${x.key}`, x]));
    for (const i of unclaimed) {
      const r = requests[i] as BidRequest;
      try {
        const answer = answerOf(byKey.get(`${bidScope(r.investorId)}\n${r.idempotencyKey}`), r);
        assert(answer !== undefined, 'applyBidBatch: unclaimed key without an answer');
        outcomes[i] = { ok: true, answer };
      } catch (error) {
        outcomes[i] = { ok: false, error };
      }
    }
  }

  if (live.length > 0) {
    // 2. Lock the loan, then every account involved in id order (as the ledger does), and decide in memory.
    const loan = await loadLoan(trx, loanId, true);
    const investors = [...new Set(live.map((i) => (requests[i] as BidRequest).investorId))];
    const accountRows = await trx
      .selectFrom('ledger_accounts')
      .select([
        'id',
        'owner_id',
        'purpose',
        'debits_pending_fen',
        'debits_posted_fen',
        'credits_pending_fen',
        'credits_posted_fen',
      ])
      .where((eb) => eb.or([eb('owner_id', 'in', investors), eb('id', '=', ESCROW)]))
      .orderBy('id')
      .forUpdate()
      .execute();
    const funds = new Map<string, AccountFunds>();
    for (const row of accountRows) {
      if (!row.owner_id) continue;
      const f = funds.get(row.owner_id) ?? { cashId: '', bonusId: '', cashAvailableFen: 0n, bonusAvailableFen: 0n };
      const available = availableFen('credit', {
        debitsPendingFen: row.debits_pending_fen,
        debitsPostedFen: row.debits_posted_fen,
        creditsPendingFen: row.credits_pending_fen,
        creditsPostedFen: row.credits_posted_fen,
      });
      if (row.purpose === 'cash') {
        f.cashId = row.id;
        f.cashAvailableFen = available;
      } else if (row.purpose === 'bonus') {
        f.bonusId = row.id;
        f.bonusAvailableFen = available;
      }
      funds.set(row.owner_id, f);
    }
    const already = new Map<string, bigint>();
    if (loan?.bidMaxPerInvestorFen != null) {
      const sums = await trx
        .selectFrom('bids')
        .select(['investor_id', (eb) => eb.fn.sum<string>('amount_fen').as('total')])
        .where('loan_id', '=', loanId)
        .where('status', '!=', 'voided')
        .where('investor_id', 'in', investors)
        .groupBy('investor_id')
        .execute();
      for (const s of sums) already.set(s.investor_id, BigInt(s.total));
    }

    const accepted: { index: number; bidId: string; amountFen: bigint; fromBonusFen: bigint }[] = [];
    let raisedFen = loan?.raisedFen ?? 0n;
    for (const i of live) {
      const r = requests[i] as BidRequest;
      const refuse = (error: AppError) => {
        outcomes[i] = { ok: false, error };
      };
      if (!loan) {
        refuse(BiddingError.LOAN_NOT_FOUND());
        continue;
      }
      if (loan.borrowerId === r.investorId) {
        refuse(BiddingError.BID_ON_OWN_LOAN());
        continue;
      }
      const loanError = loanRuleError({ ...loan, raisedFen }, now);
      if (loanError) {
        refuse(loanError);
        continue;
      }
      const amountError = amountRuleError(loan, raisedFen, r.amountFen);
      if (amountError) {
        refuse(amountError);
        continue;
      }
      const mine = already.get(r.investorId) ?? 0n;
      if (loan.bidMaxPerInvestorFen !== null && mine + r.amountFen > loan.bidMaxPerInvestorFen) {
        refuse(
          BiddingError.BID_ABOVE_INVESTOR_MAXIMUM({
            maxFen: Number(loan.bidMaxPerInvestorFen),
            alreadyFen: Number(mine),
          }),
        );
        continue;
      }
      const f = funds.get(r.investorId);
      const fromBonusFen = f && loan.allowBonus ? minFen(f.bonusAvailableFen, r.amountFen) : 0n;
      const fromCashFen = r.amountFen - fromBonusFen;
      if (!f || !f.cashId || f.cashAvailableFen < fromCashFen) {
        refuse(BiddingError.INSUFFICIENT_BALANCE());
        continue;
      }
      f.cashAvailableFen -= fromCashFen;
      f.bonusAvailableFen -= fromBonusFen;
      already.set(r.investorId, mine + r.amountFen);
      raisedFen += r.amountFen;
      accepted.push({ index: i, bidId: `bid_${randomUUID()}`, amountFen: r.amountFen, fromBonusFen });
    }

    if (accepted.length > 0 && loan) {
      // 3. The holds (one ledger batch), the bids, the raise (conditional), and maybe the move to second review.
      const commands: TransferCommand[] = [];
      for (const a of accepted) {
        const r = requests[a.index] as BidRequest;
        const f = funds.get(r.investorId) as AccountFunds;
        const refs = { loanId, bidId: a.bidId };
        if (a.amountFen > a.fromBonusFen) {
          commands.push({
            kind: 'pending',
            id: `bid:${a.bidId}:hold`,
            debitAccountId: f.cashId,
            creditAccountId: ESCROW,
            amountFen: a.amountFen - a.fromBonusFen,
            code: 'bid_hold',
            refs,
          });
        }
        if (a.fromBonusFen > 0n) {
          commands.push({
            kind: 'pending',
            id: `bid:${a.bidId}:hold-bonus`,
            debitAccountId: f.bonusId,
            creditAccountId: ESCROW,
            amountFen: a.fromBonusFen,
            code: 'bid_hold',
            refs,
          });
        }
      }
      const holds = await transferBatch(trx, commands);
      for (const h of holds) if (!h.ok) throw h.error; // cannot happen: the accounts are locked and were checked
      const totalFen = accepted.reduce((sum, a) => sum + a.amountFen, 0n);
      const full = raisedFen === loan.amountFen;
      const updated = await trx
        .updateTable('loans')
        .set((eb) => ({
          raised_fen: eb('raised_fen', '+', totalFen),
          bid_count: eb('bid_count', '+', accepted.length),
          status: full ? 'second_review' : 'raising',
          full_at: full ? now : null,
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', loanId)
        .where('status', '=', 'raising')
        .where(sql<boolean>`raised_fen + ${totalFen} <= amount_fen`)
        .where('raise_ends_at', '>', now)
        .returning(['raised_fen', 'status'])
        .executeTakeFirst();
      assert(updated && updated.raised_fen === raisedFen, 'applyBidBatch: the locked loan changed under us');
      await trx
        .insertInto('bids')
        .values(
          accepted.map((a) => ({
            id: a.bidId,
            loan_id: loanId,
            investor_id: (requests[a.index] as BidRequest).investorId,
            amount_fen: a.amountFen,
            from_bonus_fen: a.fromBonusFen,
            status: 'held' as const,
            created_at: now,
          })),
        )
        .execute();
      if (full) {
        await trx
          .insertInto('loan_events')
          .values({
            loan_id: loanId,
            from_status: 'raising',
            to_status: 'second_review',
            actor_kind: 'system',
            actor_id: null,
            note: 'full',
          })
          .execute();
      }
      for (const a of accepted) {
        const body: BidAnswerBody = {
          bidId: a.bidId,
          loanId,
          amountFen: Number(a.amountFen),
          fromBonusFen: Number(a.fromBonusFen),
          status: 'held',
          createdAt: now.toISOString(),
          loanRaisedFen: Number(raisedFen),
          loanAmountFen: Number(loan.amountFen),
          loanStatus: full ? 'second_review' : 'raising',
        };
        outcomes[a.index] = { ok: true, answer: { statusCode: 201, body, replayed: false } };
      }
      // One statement stores every answer.
      const rows = accepted.map((a) => {
        const r = requests[a.index] as BidRequest;
        const answer = outcomes[a.index] as Extract<Outcome, { ok: true }>;
        return sql`(${bidScope(r.investorId)}, ${r.idempotencyKey}, ${JSON.stringify(answer.answer.body)})`;
      });
      await sql`
        update idempotency_records as r set status_code = 201, response_body = v.body::jsonb
        from (values ${sql.join(rows)}) as v(scope, key, body)
        where r.scope = v.scope and r.key = v.key
      `.execute(trx);
    }

    // 4. A refused request leaves no claim behind, as with runIdempotent: a retry runs afresh.
    const refused = live.filter((i) => !(outcomes[i] as Outcome).ok).map((i) => requests[i] as BidRequest);
    if (refused.length > 0) {
      await trx
        .deleteFrom('idempotency_records')
        .where((eb) =>
          eb.or(
            refused.map((r) => eb.and([eb('scope', '=', bidScope(r.investorId)), eb('key', '=', r.idempotencyKey)])),
          ),
        )
        .execute();
    }
  }
  return outcomes as Outcome[];
}

function minFen(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

interface Waiting {
  readonly request: BidRequest;
  resolve(answer: BidAnswer): void;
  reject(error: unknown): void;
}

interface LoanQueue {
  waiting: Waiting[];
  /** Batches of this loan being applied now. */
  inFlight: number;
  /** (investor, key) of the requests in those batches: a repeat waits for the next batch. */
  readonly keysInFlight: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

const requestKey = (r: BidRequest) => `${r.investorId}\n${r.idempotencyKey}`;

/**
 * Collects bids per loan for a few milliseconds and applies each collection in one transaction. Up to
 * BID_BATCHES_IN_FLIGHT batches per loan are in flight at a time in this process (pipelined: the next one
 * claims its keys and reads while the previous one holds the loan's lock; the lock still serializes the
 * decisions); bids arriving meanwhile form the next one. With `windowMs < 0` every bid runs in its own
 * transaction at once (the plain, per-request path).
 */
export class BidBatcher {
  readonly #db: Db;
  readonly #windowMs: number;
  readonly #inFlightMax: number;
  readonly #queues = new Map<string, LoanQueue>();

  constructor(db: Db, windowMs: number, inFlightMax: number = BID_BATCHES_IN_FLIGHT) {
    assert(Number.isInteger(inFlightMax) && inFlightMax >= 1, 'BidBatcher: inFlightMax');
    this.#db = db;
    this.#windowMs = windowMs;
    this.#inFlightMax = inFlightMax;
  }

  submit(request: BidRequest): Promise<BidAnswer> {
    if (this.#windowMs < 0) return this.#runOne(request);
    let q = this.#queues.get(request.loanId);
    if (!q) {
      q = { waiting: [], inFlight: 0, keysInFlight: new Set(), timer: undefined };
      this.#queues.set(request.loanId, q);
    }
    if (q.waiting.length >= BID_QUEUE_LENGTH_MAX) return Promise.reject(BiddingError.BID_SERVICE_BUSY());
    const promise = new Promise<BidAnswer>((resolve, reject) => {
      q.waiting.push({ request, resolve, reject });
    });
    this.#schedule(request.loanId);
    return promise;
  }

  async #runOne(request: BidRequest): Promise<BidAnswer> {
    const [outcome] = await inTransaction(this.#db, (trx) => applyBidBatch(trx, request.loanId, [request]));
    if (!outcome?.ok) throw outcome?.error;
    return outcome.answer;
  }

  #schedule(loanId: string): void {
    const q = this.#queues.get(loanId);
    if (!q || q.inFlight >= this.#inFlightMax || q.timer || q.waiting.length === 0) return;
    // A full batch is already waiting: no reason to wait for companions.
    if (q.waiting.length >= BID_BATCH_SIZE_MAX) {
      void this.#flush(loanId);
      return;
    }
    q.timer = setTimeout(() => {
      q.timer = undefined;
      void this.#flush(loanId);
    }, this.#windowMs);
  }

  async #flush(loanId: string): Promise<void> {
    const q = this.#queues.get(loanId);
    if (!q || q.inFlight >= this.#inFlightMax) return;
    // Take up to the batch size, holding back a request whose key is already in this batch or one in flight.
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const keys = new Set<string>();
    for (const w of q.waiting) {
      const k = requestKey(w.request);
      if (batch.length < BID_BATCH_SIZE_MAX && !keys.has(k) && !q.keysInFlight.has(k)) {
        keys.add(k);
        batch.push(w);
      } else rest.push(w);
    }
    q.waiting = rest;
    if (batch.length === 0) return;
    q.inFlight += 1;
    for (const k of keys) q.keysInFlight.add(k);
    // Another batch may start now, while this one runs.
    this.#schedule(loanId);
    try {
      const outcomes = await inTransaction(this.#db, (trx) =>
        applyBidBatch(
          trx,
          loanId,
          batch.map((w) => w.request),
        ),
      );
      outcomes.forEach((o, i) => {
        const w = batch[i] as Waiting;
        if (o.ok) w.resolve(o.answer);
        else w.reject(o.error);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      q.inFlight -= 1;
      for (const k of keys) q.keysInFlight.delete(k);
      if (q.waiting.length === 0 && q.inFlight === 0) this.#queues.delete(loanId);
      else this.#schedule(loanId);
    }
  }
}

/** Place a bid (投标): the stored answer for a repeated key, else the lock-free checks, then its batch. */
export async function placeBid(db: Db, batcher: BidBatcher, request: BidRequest): Promise<BidAnswer> {
  if (request.amountFen <= 0n) throw CommonError.VALIDATION_FAILED({ field: 'amountFen' });
  // One round trip: the stored answer, the loan and its rules, the investor's real name.
  const now = new Date();
  const { record, loan, realName } = await readBeforeBatch(db, request);
  const stored = answerOf(record, request);
  if (stored) return stored;
  precheckLoan(loan, request, now);
  await precheckInvestor(db, loan as LoanForBid, request, realName, now);
  return batcher.submit(request);
}

export interface MyBid {
  readonly bidId: string;
  readonly loanId: string;
  readonly loanNo: string;
  readonly loanTitle: string;
  readonly loanStatus: LoanStatus;
  readonly annualRatePpm: bigint;
  readonly amountFen: bigint;
  readonly fromBonusFen: bigint;
  readonly status: 'held' | 'posted' | 'voided';
  readonly createdAt: Date;
  /** For a disbursed bid: principal and interest still to come (interest net of the management fee). */
  readonly pendingPrincipalFen: bigint;
  readonly pendingInterestFen: bigint;
  readonly receivedFen: bigint;
}

/** My bids (我的投资), newest first, with what is still to be received on each. */
export async function listMyBids(
  db: Db,
  investorId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: MyBid[]; nextCursor: string | null }> {
  assert(page.limit >= 1 && page.limit <= MY_BIDS_PAGE_MAX, 'listMyBids: limit');
  let q = db
    .selectFrom('bids as b')
    .innerJoin('loans as l', 'l.id', 'b.loan_id')
    .select([
      'b.id',
      'b.loan_id',
      'l.loan_no',
      'l.title',
      'l.status as loan_status',
      'l.annual_rate_ppm',
      'b.amount_fen',
      'b.from_bonus_fen',
      'b.status',
      'b.created_at',
      (eb) =>
        eb
          .selectFrom('receipt_schedules as r')
          .select(sql<string>`coalesce(sum(r.principal_fen), 0)`.as('s'))
          .whereRef('r.bid_id', '=', 'b.id')
          .where('r.status', '=', 'pending')
          .as('pending_principal'),
      (eb) =>
        eb
          .selectFrom('receipt_schedules as r')
          .select(sql<string>`coalesce(sum(r.interest_fen - r.management_fee_fen), 0)`.as('s'))
          .whereRef('r.bid_id', '=', 'b.id')
          .where('r.status', '=', 'pending')
          .as('pending_interest'),
      (eb) =>
        eb
          .selectFrom('receipt_schedules as r')
          .select(sql<string>`coalesce(sum(r.payment_fen - r.management_fee_fen), 0)`.as('s'))
          .whereRef('r.bid_id', '=', 'b.id')
          .where('r.status', '=', 'received')
          .as('received'),
    ])
    .where('b.investor_id', '=', investorId);
  const cursor = decodeCursor(page.cursor);
  if (cursor) {
    q = q.where((eb) =>
      eb.or([
        eb('b.created_at', '<', cursor.at),
        eb.and([eb('b.created_at', '=', cursor.at), eb('b.id', '<', cursor.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('b.created_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map((r) => ({
    bidId: r.id,
    loanId: r.loan_id,
    loanNo: r.loan_no,
    loanTitle: r.title,
    loanStatus: r.loan_status,
    annualRatePpm: r.annual_rate_ppm,
    amountFen: r.amount_fen,
    fromBonusFen: r.from_bonus_fen,
    status: r.status,
    createdAt: r.created_at,
    pendingPrincipalFen: BigInt(r.pending_principal ?? 0),
    pendingInterestFen: BigInt(r.pending_interest ?? 0),
    receivedFen: BigInt(r.received ?? 0),
  }));
  const last = items.at(-1);
  const nextCursor =
    rows.length > page.limit && last
      ? Buffer.from(`${last.createdAt.toISOString()}|${last.bidId}`).toString('base64url')
      : null;
  return { items, nextCursor };
}

function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = at ? new Date(at) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !id) throw CommonError.VALIDATION_FAILED({ field: 'cursor' });
  return { at: date, id };
}
