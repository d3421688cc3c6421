import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** One broken invariant. */
export interface LedgerBreach {
  readonly check: string;
  readonly accountId?: string;
  readonly transferId?: string;
  readonly detail: string;
}

export interface LedgerReport {
  readonly ok: boolean;
  readonly accounts: number;
  readonly transfers: number;
  readonly customerBalanceFen: bigint;
  readonly custodyCashFen: bigint;
  readonly breaches: readonly LedgerBreach[];
}

const BREACHES_PER_CHECK_MAX = 50;

/**
 * Check the ledger's invariants against the rows themselves:
 * 1. each account's four stored totals equal the sums of its transfers;
 * 2. no account breaks its limit (no customer overdrawn);
 * 3. total debits equal total credits, posted and pending (so everything customers and the platform are
 *    owed is backed by custody cash and platform assets);
 * 4. every post/void resolves a hold on the same accounts, posts no more than was held, at most once;
 * 5. the balance-after recorded on every transfer replays from the transfers before it.
 */
export async function verifyLedger(db: Db): Promise<LedgerReport> {
  const breaches: LedgerBreach[] = [];
  const add = (rows: readonly LedgerBreach[]) => breaches.push(...rows.slice(0, BREACHES_PER_CHECK_MAX));

  const totals = await sql<{ id: string; detail: string }>`
    with resolved as (
      select r.pending_id, r.kind from ledger_transfers r where r.pending_id is not null
    ),
    effects as (
      select debit_account_id as account_id,
             case when kind in ('posted', 'post_pending') then amount_fen else 0 end as dpost,
             case when kind = 'pending' and not exists (select 1 from resolved x where x.pending_id = t.id)
                  then amount_fen else 0 end as dpend,
             0::bigint as cpost, 0::bigint as cpend
      from ledger_transfers t
      union all
      select credit_account_id,
             0, 0,
             case when kind in ('posted', 'post_pending') then amount_fen else 0 end,
             case when kind = 'pending' and not exists (select 1 from resolved x where x.pending_id = t.id)
                  then amount_fen else 0 end
      from ledger_transfers t
    ),
    sums as (
      select account_id, sum(dpost) as dpost, sum(dpend) as dpend, sum(cpost) as cpost, sum(cpend) as cpend
      from effects group by account_id
    )
    select a.id,
           format('stored dpost=%s dpend=%s cpost=%s cpend=%s, transfers say %s %s %s %s',
                  a.debits_posted_fen, a.debits_pending_fen, a.credits_posted_fen, a.credits_pending_fen,
                  coalesce(s.dpost, 0), coalesce(s.dpend, 0), coalesce(s.cpost, 0), coalesce(s.cpend, 0)) as detail
    from ledger_accounts a left join sums s on s.account_id = a.id
    where a.debits_posted_fen <> coalesce(s.dpost, 0) or a.debits_pending_fen <> coalesce(s.dpend, 0)
       or a.credits_posted_fen <> coalesce(s.cpost, 0) or a.credits_pending_fen <> coalesce(s.cpend, 0)
  `.execute(db);
  add(totals.rows.map((r) => ({ check: 'account_totals_match_transfers', accountId: r.id, detail: r.detail })));

  const limits = await sql<{ id: string; detail: string }>`
    select id, format('%s: debits %s+%s, credits %s+%s', code, debits_posted_fen, debits_pending_fen,
                      credits_posted_fen, credits_pending_fen) as detail
    from ledger_accounts
    where (debits_must_not_exceed_credits and debits_posted_fen + debits_pending_fen > credits_posted_fen)
       or (credits_must_not_exceed_debits and credits_posted_fen + credits_pending_fen > debits_posted_fen)
       or (kind = 'customer' and debits_posted_fen + debits_pending_fen > credits_posted_fen)
  `.execute(db);
  add(limits.rows.map((r) => ({ check: 'account_limits', accountId: r.id, detail: r.detail })));

  const sums = await sql<{
    dpost: bigint;
    cpost: bigint;
    dpend: bigint;
    cpend: bigint;
    accounts: bigint;
    customer: bigint;
    custody: bigint;
  }>`
    select coalesce(sum(debits_posted_fen), 0)::bigint as dpost, coalesce(sum(credits_posted_fen), 0)::bigint as cpost,
           coalesce(sum(debits_pending_fen), 0)::bigint as dpend, coalesce(sum(credits_pending_fen), 0)::bigint as cpend,
           count(*)::bigint as accounts,
           coalesce(sum(credits_posted_fen - debits_posted_fen) filter (where kind = 'customer'), 0)::bigint as customer,
           coalesce(sum(debits_posted_fen - credits_posted_fen) filter (where code = 'platform.custody_cash'), 0)::bigint as custody
    from ledger_accounts
  `.execute(db);
  const s = sums.rows[0];
  if (s && (s.dpost !== s.cpost || s.dpend !== s.cpend)) {
    breaches.push({
      check: 'debits_equal_credits',
      detail: `posted debits ${s.dpost} vs credits ${s.cpost}; pending debits ${s.dpend} vs credits ${s.cpend}`,
    });
  }

  const resolutions = await sql<{ id: string; detail: string }>`
    select r.id, case
      when p.id is null then 'resolves a transfer that does not exist'
      when p.kind <> 'pending' then 'resolves a transfer that is not a hold'
      when p.debit_account_id <> r.debit_account_id or p.credit_account_id <> r.credit_account_id
        then 'resolves a hold on other accounts'
      when r.kind = 'post_pending' and r.amount_fen > p.amount_fen then 'posts more than was held'
      when r.kind = 'void_pending' and r.amount_fen <> p.amount_fen then 'voids another amount than was held'
      else 'ok' end as detail
    from ledger_transfers r left join ledger_transfers p on p.id = r.pending_id
    where r.pending_id is not null
  `.execute(db);
  add(
    resolutions.rows
      .filter((r) => r.detail !== 'ok')
      .map((r) => ({ check: 'holds_resolved_correctly', transferId: r.id, detail: r.detail })),
  );

  const replay = await sql<{ id: string; account_id: string; detail: string }>`
    with sides as (
      select t.seq, t.id, t.debit_account_id as account_id, t.debit_balance_after_fen as balance_after,
             t.debit_frozen_after_fen as frozen_after,
             case when a.normal_side = 'debit' then 1 else -1 end *
               case when t.kind in ('posted', 'post_pending') then t.amount_fen else 0 end as balance_delta,
             case when a.normal_side = 'credit' then
               case t.kind when 'pending' then t.amount_fen when 'posted' then 0 else -p.amount_fen end
             else 0 end as frozen_delta
      from ledger_transfers t join ledger_accounts a on a.id = t.debit_account_id
      left join ledger_transfers p on p.id = t.pending_id
      union all
      select t.seq, t.id, t.credit_account_id, t.credit_balance_after_fen, t.credit_frozen_after_fen,
             case when a.normal_side = 'credit' then 1 else -1 end *
               case when t.kind in ('posted', 'post_pending') then t.amount_fen else 0 end,
             case when a.normal_side = 'debit' then
               case t.kind when 'pending' then t.amount_fen when 'posted' then 0 else -p.amount_fen end
             else 0 end
      from ledger_transfers t join ledger_accounts a on a.id = t.credit_account_id
      left join ledger_transfers p on p.id = t.pending_id
    ),
    running as (
      select *, sum(balance_delta) over w as balance_replayed, sum(frozen_delta) over w as frozen_replayed
      from sides window w as (partition by account_id order by seq rows unbounded preceding)
    )
    select id, account_id,
           format('recorded balance %s frozen %s, replayed %s %s', balance_after, frozen_after,
                  balance_replayed, frozen_replayed) as detail
    from running
    where balance_after <> balance_replayed or frozen_after <> frozen_replayed
    order by seq
    limit ${BREACHES_PER_CHECK_MAX}
  `.execute(db);
  add(
    replay.rows.map((r) => ({
      check: 'balance_after_replays',
      accountId: r.account_id,
      transferId: r.id,
      detail: r.detail,
    })),
  );

  const count = await sql<{ n: bigint }>`select count(*)::bigint as n from ledger_transfers`.execute(db);
  return {
    ok: breaches.length === 0,
    accounts: Number(s?.accounts ?? 0n),
    transfers: Number(count.rows[0]?.n ?? 0n),
    customerBalanceFen: s?.customer ?? 0n,
    custodyCashFen: s?.custody ?? 0n,
    breaches,
  };
}
