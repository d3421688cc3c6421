import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ReconciliationCategory } from '../../db/schema.ts';
import { defineErrors } from '../../platform/errors.ts';
import { buildXlsx } from '../../platform/xlsx.ts';
import { formatYuan } from '../money/index.ts';
import type { Custodian, CustodianStatementLine } from './custodian.ts';

export const ReconciliationError = defineErrors({
  RECONCILIATION_DATE_INVALID: { status: 400, zh: '对账日期无效', en: 'Invalid reconciliation date' },
  RECONCILIATION_ITEM_NOT_FOUND: { status: 404, zh: '对账差异不存在', en: 'No such reconciliation item' },
  RECONCILIATION_ITEM_RESOLVED: { status: 409, zh: '该差异已处理', en: 'This difference is already resolved' },
  RECONCILIATION_NOTE_REQUIRED: { status: 400, zh: '请填写处理说明', en: 'Please write how it was resolved' },
});

interface OurOrder {
  orderNo: string;
  kind: string;
  amountFen: bigint;
  status: string;
  ledgerFen: bigint | null;
}

/** The custodian's kinds as the platform names them. */
const THEIR_KIND: Record<CustodianStatementLine['kind'], string> = { recharge: 'recharge', payout: 'withdrawal' };

function compare(theirs: CustodianStatementLine | undefined, ours: OurOrder | undefined): ReconciliationCategory {
  if (!ours) return 'missing_ours';
  if (!theirs) return 'missing_theirs';
  if (THEIR_KIND[theirs.kind] !== ours.kind || theirs.amountFen !== ours.amountFen) return 'amount_differs';
  if (theirs.status !== ours.status) return 'status_differs';
  // A settled recharge (or paid-out withdrawal) must be in the ledger, for the same amount, exactly once.
  if (ours.status === 'succeeded' && ours.ledgerFen !== ours.amountFen) return 'ledger_differs';
  if (ours.status === 'failed' && ours.ledgerFen !== null) return 'ledger_differs';
  return 'matched';
}

const json = (v: unknown) =>
  v === undefined ? null : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));

/**
 * Reconcile one business date (Asia/Shanghai): every order the custodian settled that day against our order
 * and ledger, and every order we completed that day against the custodian's statement. Each difference is
 * recorded for staff to resolve; nothing is corrected automatically.
 */
export async function runReconciliation(
  db: Db,
  custodian: Custodian,
  businessDate: string,
  startedBy: string | null,
): Promise<{ runId: string; matched: number; differences: number }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(businessDate) || Number.isNaN(Date.parse(`${businessDate}T00:00:00Z`))) {
    throw ReconciliationError.RECONCILIATION_DATE_INVALID({ field: 'date' });
  }
  const runId = `rec_${randomUUID()}`;
  await db
    .insertInto('reconciliation_runs')
    .values({ id: runId, business_date: businessDate, started_by: startedBy, status: 'running' })
    .execute();
  try {
    const lines = await custodian.dailyStatement(businessDate);
    const theirs = new Map(lines.map((l) => [l.orderNo, l]));
    const rows = await sql<{
      order_no: string;
      kind: string;
      amount_fen: bigint;
      status: string;
      ledger_fen: bigint | null;
    }>`
      select o.order_no, o.kind, o.amount_fen, o.status,
             (select sum(t.amount_fen) from ledger_transfers t
              where t.id = case o.kind when 'recharge' then 'recharge:' || o.order_no
                                       else 'withdraw:' || o.order_no || ':post' end)::bigint as ledger_fen
      from payment_orders o
      where o.kind in ('recharge', 'withdrawal')
        and (o.order_no in (${sql.join(lines.length ? lines.map((l) => l.orderNo) : [''])})
             -- a withdrawal rejected in review never reached the custodian
             or (o.status <> 'rejected'
                 and o.completed_at >= (${businessDate}::date)::timestamp at time zone 'Asia/Shanghai'
                 and o.completed_at < (${businessDate}::date + 1)::timestamp at time zone 'Asia/Shanghai'))
    `.execute(db);
    const ours = new Map(
      rows.rows.map((r) => [
        r.order_no,
        {
          orderNo: r.order_no,
          kind: r.kind,
          amountFen: r.amount_fen,
          status: r.status,
          ledgerFen: r.ledger_fen,
        } satisfies OurOrder,
      ]),
    );
    const orderNos = [...new Set([...theirs.keys(), ...ours.keys()])].sort();
    let matched = 0;
    const items = orderNos.map((orderNo) => {
      const category = compare(theirs.get(orderNo), ours.get(orderNo));
      if (category === 'matched') matched++;
      return {
        id: `rci_${randomUUID()}`,
        run_id: runId,
        order_no: orderNo,
        category,
        ours: json(ours.get(orderNo)),
        theirs: json(theirs.get(orderNo)),
      };
    });
    const ITEMS_PER_INSERT = 500;
    for (let i = 0; i < items.length; i += ITEMS_PER_INSERT) {
      await db
        .insertInto('reconciliation_items')
        .values(items.slice(i, i + ITEMS_PER_INSERT))
        .execute();
    }
    const differences = items.length - matched;
    await db
      .updateTable('reconciliation_runs')
      .set({ status: 'done', finished_at: new Date(), matched, differences })
      .where('id', '=', runId)
      .execute();
    return { runId, matched, differences };
  } catch (error) {
    await db
      .updateTable('reconciliation_runs')
      .set({
        status: 'failed',
        finished_at: new Date(),
        error: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
      })
      .where('id', '=', runId)
      .execute();
    throw error;
  }
}

export async function resolveReconciliationItem(db: Db, itemId: string, staffId: string, note: string): Promise<void> {
  const text = note.trim();
  if (text.length === 0) throw ReconciliationError.RECONCILIATION_NOTE_REQUIRED({ field: 'note' });
  const item = await db
    .selectFrom('reconciliation_items')
    .select(['category', 'resolved_at'])
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw ReconciliationError.RECONCILIATION_ITEM_NOT_FOUND();
  if (item.resolved_at || item.category === 'matched') throw ReconciliationError.RECONCILIATION_ITEM_RESOLVED();
  await db
    .updateTable('reconciliation_items')
    .set({ resolution_note: text.slice(0, 1000), resolved_by: staffId, resolved_at: new Date() })
    .where('id', '=', itemId)
    .where('resolved_at', 'is', null)
    .execute();
}

const CATEGORY_NAMES: Record<ReconciliationCategory, { zh: string; en: string }> = {
  matched: { zh: '一致', en: 'Matched' },
  missing_ours: { zh: '平台缺少该订单', en: 'Missing on our side' },
  missing_theirs: { zh: '存管缺少该订单', en: 'Missing at the custodian' },
  amount_differs: { zh: '金额不符', en: 'Amount differs' },
  status_differs: { zh: '状态不符', en: 'Status differs' },
  ledger_differs: { zh: '账务不符', en: 'Ledger differs' },
};

type Side = { amountFen?: number; status?: string; kind?: string } | null;

/** The run as a workbook: a summary sheet and every line (differences first), amounts in yuan. */
export function reconciliationWorkbook(
  run: { business_date: string; matched: number; differences: number; started_at: Date },
  items: readonly {
    order_no: string;
    category: ReconciliationCategory;
    ours: unknown;
    theirs: unknown;
    resolution_note: string | null;
  }[],
  language: 'zh-CN' | 'en-US',
): Uint8Array {
  const en = language === 'en-US';
  // A spreadsheet number made from the exact yuan text (so it sums in Excel and shows the same figure).
  const yuan = (side: Side) =>
    side?.amountFen === undefined ? null : Number(formatYuan(BigInt(side.amountFen), { grouping: false }));
  const sorted = [...items].sort((a, b) => Number(a.category === 'matched') - Number(b.category === 'matched'));
  return buildXlsx([
    {
      name: en ? 'Summary' : '汇总',
      rows: [
        [en ? 'Business date' : '业务日期', run.business_date],
        [en ? 'Matched' : '一致', run.matched],
        [en ? 'Differences' : '差异', run.differences],
        [en ? 'Run at' : '执行时间', run.started_at.toISOString()],
      ],
    },
    {
      name: en ? 'Lines' : '明细',
      rows: [
        en
          ? [
              'Order',
              'Result',
              'Our kind',
              'Our amount (CNY)',
              'Our status',
              'Custodian amount (CNY)',
              'Custodian status',
              'Resolution',
            ]
          : ['订单号', '结果', '平台类型', '平台金额（元）', '平台状态', '存管金额（元）', '存管状态', '处理说明'],
        ...sorted.map((i) => {
          const ours = i.ours as Side;
          const theirs = i.theirs as Side;
          return [
            i.order_no,
            en ? CATEGORY_NAMES[i.category].en : CATEGORY_NAMES[i.category].zh,
            ours?.kind ?? null,
            yuan(ours),
            ours?.status ?? null,
            yuan(theirs),
            theirs?.status ?? null,
            i.resolution_note,
          ];
        }),
      ],
    },
  ]);
}
