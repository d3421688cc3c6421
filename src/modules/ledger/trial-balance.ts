import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { LocalizedText } from '../../platform/i18n.ts';
import {
  CUSTOMER_ACCOUNT_NAMES,
  type CustomerPurpose,
  type NormalSide,
  PLATFORM_ACCOUNT_NAMES,
  type PlatformPurpose,
} from './accounts.ts';
import { StatementError } from './statement.ts';

export interface TrialBalanceRow {
  /** A platform account's code, or `customers.cash` / `customers.bonus` for all customers together. */
  readonly code: string;
  readonly name: LocalizedText;
  readonly normalSide: NormalSide;
  readonly accounts: number;
  readonly debitFen: bigint;
  readonly creditFen: bigint;
}

export interface TrialBalance {
  /** The business date (Asia/Shanghai) whose end the balances are taken at; null: now. */
  readonly asOfDate: string | null;
  readonly rows: TrialBalanceRow[];
  readonly totalDebitFen: bigint;
  readonly totalCreditFen: bigint;
  readonly balanced: boolean;
  /** Funds frozen by open holds at that time (not part of the posted balances above). */
  readonly pendingFen: bigint;
}

/**
 * Trial balance (试算平衡表): every platform account's posted balance, customers' accounts summed by
 * purpose, at the end of a business date. Total debit balances equal total credit balances.
 */
export async function trialBalance(db: Db, asOfDate?: string): Promise<TrialBalance> {
  if (asOfDate !== undefined) {
    const d = new Date(`${asOfDate}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(asOfDate) ||
      Number.isNaN(d.getTime()) ||
      d.toISOString().slice(0, 10) !== asOfDate
    ) {
      throw StatementError.INVALID_DATE_RANGE({ field: 'date' });
    }
  }
  const endOf = asOfDate
    ? sql`(${asOfDate}::date + 1)::timestamp at time zone 'Asia/Shanghai'`
    : sql`'infinity'::timestamptz`;
  const result = await sql<{
    grp: string;
    kind: 'customer' | 'platform';
    purpose: string;
    normal_side: NormalSide;
    accounts: bigint;
    debits: bigint;
    credits: bigint;
  }>`
    with posted as (
      select t.debit_account_id as account_id, t.amount_fen as debit, 0::bigint as credit
      from ledger_transfers t where t.kind in ('posted', 'post_pending') and t.created_at < ${endOf}
      union all
      select t.credit_account_id, 0, t.amount_fen
      from ledger_transfers t where t.kind in ('posted', 'post_pending') and t.created_at < ${endOf}
    ),
    per_account as (
      select account_id, sum(debit) as debits, sum(credit) as credits from posted group by account_id
    )
    select case when a.kind = 'customer' then 'customers.' || a.purpose else a.code end as grp,
           a.kind, a.purpose, a.normal_side, count(*)::bigint as accounts,
           coalesce(sum(p.debits), 0)::bigint as debits, coalesce(sum(p.credits), 0)::bigint as credits
    from ledger_accounts a left join per_account p on p.account_id = a.id
    group by 1, 2, 3, 4
    order by a.kind desc, 1
  `.execute(db);

  const rows = result.rows.map((r): TrialBalanceRow => {
    const net = r.debits - r.credits;
    const name =
      r.kind === 'customer'
        ? (CUSTOMER_ACCOUNT_NAMES[r.purpose as CustomerPurpose] ?? { zh: r.purpose, en: r.purpose })
        : (PLATFORM_ACCOUNT_NAMES[r.purpose as PlatformPurpose] ?? { zh: r.purpose, en: r.purpose });
    return {
      code: r.grp,
      name,
      normalSide: r.normal_side,
      accounts: Number(r.accounts),
      debitFen: net > 0n ? net : 0n,
      creditFen: net < 0n ? -net : 0n,
    };
  });
  const pending = await sql<{ pending: bigint }>`
    select coalesce(sum(t.amount_fen), 0)::bigint as pending
    from ledger_transfers t
    where t.kind = 'pending' and t.created_at < ${endOf}
      and not exists (select 1 from ledger_transfers r where r.pending_id = t.id and r.created_at < ${endOf})
  `.execute(db);
  const totalDebitFen = rows.reduce((s, r) => s + r.debitFen, 0n);
  const totalCreditFen = rows.reduce((s, r) => s + r.creditFen, 0n);
  return {
    asOfDate: asOfDate ?? null,
    rows,
    totalDebitFen,
    totalCreditFen,
    balanced: totalDebitFen === totalCreditFen,
    pendingFen: pending.rows[0]?.pending ?? 0n,
  };
}
