import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import type { AppError } from '../../platform/errors.ts';
import { hold, openCustomerAccounts, platformAccountId, postHold, transfer, voidHold } from './index.ts';
import type { CustomerAccounts } from './ledger.service.ts';
import { listStatement, statementCsv } from './statement.ts';
import { trialBalance } from './trial-balance.ts';

let t: TestDatabase;
let alice: CustomerAccounts;
const CUSTODY = platformAccountId('custody_cash');
const ESCROW = platformAccountId('loan_escrow');

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.transaction().execute(async (trx) => {
    alice = await openCustomerAccounts(trx, 'alice');
    await openCustomerAccounts(trx, 'bob');
    await transfer(trx, {
      id: 's-recharge',
      debitAccountId: CUSTODY,
      creditAccountId: alice.cash.id,
      amountFen: 10_000n,
      code: 'recharge',
    });
    await hold(trx, {
      id: 's-bid1',
      debitAccountId: alice.cash.id,
      creditAccountId: ESCROW,
      amountFen: 3_000n,
      code: 'bid_hold',
    });
    await postHold(trx, { id: 's-bid1-post', pendingId: 's-bid1', amountFen: 2_000n });
    await hold(trx, {
      id: 's-bid2',
      debitAccountId: alice.cash.id,
      creditAccountId: ESCROW,
      amountFen: 1_000n,
      code: 'bid_hold',
    });
    await voidHold(trx, { id: 's-bid2-void', pendingId: 's-bid2' });
    await hold(trx, {
      id: 's-wd',
      debitAccountId: alice.cash.id,
      creditAccountId: CUSTODY,
      amountFen: 500n,
      code: 'withdraw',
    });
    await transfer(trx, {
      id: 's-fee',
      debitAccountId: ESCROW,
      creditAccountId: platformAccountId('fee_income'),
      amountFen: 100n,
      code: 'service_fee',
    });
  });
});
afterAll(async () => t.close());

describe('statements', () => {
  it('lists an account’s movements newest first with in, out, frozen change and balances after', async () => {
    const page = await listStatement(t.db, alice.cash.id, { limit: 10 });
    expect(page.nextCursor).toBeNull();
    expect(
      page.items.map((e) => [
        e.transferId,
        e.inFen,
        e.outFen,
        e.frozenChangeFen,
        e.balanceAfterFen,
        e.frozenAfterFen,
        e.availableAfterFen,
      ]),
    ).toEqual([
      ['s-wd', 0n, 0n, 500n, 8_000n, 500n, 7_500n],
      ['s-bid2-void', 0n, 0n, -1_000n, 8_000n, 0n, 8_000n],
      ['s-bid2', 0n, 0n, 1_000n, 8_000n, 1_000n, 7_000n],
      ['s-bid1-post', 0n, 2_000n, -3_000n, 8_000n, 0n, 8_000n],
      ['s-bid1', 0n, 0n, 3_000n, 10_000n, 3_000n, 7_000n],
      ['s-recharge', 10_000n, 0n, 0n, 10_000n, 0n, 10_000n],
    ]);
  });

  it('pages by cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listStatement(t.db, alice.cash.id, { limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.transferId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['s-wd', 's-bid2-void', 's-bid2', 's-bid1-post', 's-bid1', 's-recharge']);
  });

  it('filters by type and by date', async () => {
    const recharges = await listStatement(t.db, alice.cash.id, { codes: ['recharge'] });
    expect(recharges.items.map((e) => e.transferId)).toEqual(['s-recharge']);
    const unknown = await listStatement(t.db, alice.cash.id, { codes: ['no_such_code'] });
    expect(unknown.items).toEqual([]);
    const old = await listStatement(t.db, alice.cash.id, { fromDate: '2000-01-01', toDate: '2000-12-31' });
    expect(old.items).toEqual([]);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const now = await listStatement(t.db, alice.cash.id, { fromDate: today, toDate: today });
    expect(now.items).toHaveLength(6);
  });

  it('shows another account nothing of alice’s', async () => {
    const bobAccounts = await t.db.selectFrom('ledger_accounts').select('id').where('owner_id', '=', 'bob').execute();
    for (const a of bobAccounts) expect((await listStatement(t.db, a.id)).items).toEqual([]);
  });

  it.each([
    [{ cursor: 'garbage' }, 'INVALID_CURSOR'],
    [{ fromDate: '2026-02-30' }, 'INVALID_DATE_RANGE'],
    [{ toDate: 'yesterday' }, 'INVALID_DATE_RANGE'],
    [{ fromDate: '2026-03-02', toDate: '2026-03-01' }, 'INVALID_DATE_RANGE'],
  ])('refuses a bad query %o', async (query, code) => {
    await expect(listStatement(t.db, alice.cash.id, query)).rejects.toSatisfy((e: AppError) => e.code === code);
  });

  it('exports CSV with a BOM, names in the language, and formula-safe cells', async () => {
    const page = await listStatement(t.db, alice.cash.id);
    const zh = statementCsv(page.items, 'zh-CN');
    expect(zh.startsWith('\uFEFF"时间","类型"')).toBe(true);
    expect(zh).toContain('"充值",100.00,0.00,0.00,100.00,0.00,100.00,"s-recharge"');
    const en = statementCsv(page.items, 'en-US');
    expect(en).toContain('"Bid hold",0.00,20.00,-30.00,80.00,0.00,80.00,"s-bid1-post"');
    const hostile = statementCsv([{ ...page.items[0]!, transferId: '=HYPERLINK("x")' }], 'en-US');
    expect(hostile).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('trial balance', () => {
  it('balances, with customers summed by purpose and open holds reported apart', async () => {
    const tb = await trialBalance(t.db);
    expect(tb.balanced).toBe(true);
    expect(tb.totalDebitFen).toBe(tb.totalCreditFen);
    const byCode = Object.fromEntries(tb.rows.map((r) => [r.code, r]));
    expect(byCode['platform.custody_cash']).toMatchObject({ debitFen: 10_000n, creditFen: 0n });
    expect(byCode['customers.cash']).toMatchObject({ creditFen: 8_000n, accounts: 2 });
    expect(byCode['platform.loan_escrow']).toMatchObject({ creditFen: 1_900n });
    expect(byCode['platform.fee_income']).toMatchObject({ creditFen: 100n });
    expect(tb.pendingFen).toBe(500n);
    expect(byCode['platform.custody_cash']?.name.zh).toBe('存管资金（托管银行现金）');
  });

  it('is empty before anything happened and refuses a bad date', async () => {
    const tb = await trialBalance(t.db, '2000-01-01');
    expect(tb.totalDebitFen).toBe(0n);
    expect(tb.pendingFen).toBe(0n);
    await expect(trialBalance(t.db, '2026-13-01')).rejects.toSatisfy((e: AppError) => e.code === 'INVALID_DATE_RANGE');
  });
});
