import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-db.ts';
import type { AppError } from '../../platform/errors.ts';
import {
  type CustomerAccounts,
  customerBalances,
  getAccount,
  hold,
  openCustomerAccounts,
  platformAccountId,
  postHold,
  transfer,
  transferBatch,
  transferLinked,
  verifyLedger,
  voidHold,
} from './index.ts';

const CUSTODY = platformAccountId('custody_cash');
const FEES = platformAccountId('fee_income');

let t: TestDatabase;
let alice: CustomerAccounts;
let bob: CustomerAccounts;
let n = 0;
const id = (label: string) => `${label}-${++n}`;

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the ledger to refuse');
}

async function snapshotTotals() {
  return t.db.selectFrom('ledger_accounts').selectAll().orderBy('id').execute();
}

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.transaction().execute(async (trx) => {
    alice = await openCustomerAccounts(trx, 'alice');
    bob = await openCustomerAccounts(trx, 'bob');
    await transfer(trx, {
      id: 'recharge-alice',
      debitAccountId: CUSTODY,
      creditAccountId: alice.cash.id,
      amountFen: 100_000n,
      code: 'recharge',
    });
  });
});
afterAll(async () => {
  const report = await verifyLedger(t.db);
  expect(report.breaches).toEqual([]);
  await t.close();
});

describe('accounts', () => {
  it('opens a customer’s cash and bonus accounts once', async () => {
    const again = await t.db.transaction().execute((trx) => openCustomerAccounts(trx, 'alice'));
    expect(again.cash.id).toBe(alice.cash.id);
    expect(again.bonus.id).toBe(alice.bonus.id);
    expect(alice.cash.code).toBe('customer.alice.cash');
  });

  it('reports available, frozen and bonus balances', async () => {
    expect(await customerBalances(t.db, 'alice')).toMatchObject({
      availableFen: 100_000n,
      frozenFen: 0n,
      bonusFen: 0n,
    });
  });

  it('refuses an unknown customer', async () => {
    expect((await errorOf(customerBalances(t.db, 'nobody'))).code).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe('transfers', () => {
  it('moves money and records the balance after on both sides', async () => {
    const tr = await t.db.transaction().execute((trx) =>
      transfer(trx, {
        id: id('pay'),
        debitAccountId: alice.cash.id,
        creditAccountId: bob.cash.id,
        amountFen: 2_500n,
        code: 'internal',
        refs: { note: 'a' },
      }),
    );
    expect(tr.amountFen).toBe(2_500n);
    expect(tr.kind).toBe('posted');
    const aliceAfter = (await customerBalances(t.db, 'alice')).availableFen;
    const bobAfter = (await customerBalances(t.db, 'bob')).availableFen;
    expect(tr.debitBalanceAfterFen).toBe(aliceAfter);
    expect(tr.creditBalanceAfterFen).toBe(bobAfter);
    expect(tr.refs).toEqual({ note: 'a' });
  });

  it('returns the first transfer when the same id repeats, and changes nothing', async () => {
    const cmd = {
      id: id('repeat'),
      debitAccountId: alice.cash.id,
      creditAccountId: bob.cash.id,
      amountFen: 100n,
      code: 'internal' as const,
    };
    const first = await t.db.transaction().execute((trx) => transfer(trx, cmd));
    const before = await snapshotTotals();
    const second = await t.db.transaction().execute((trx) => transfer(trx, cmd));
    expect(second).toEqual(first);
    expect(await snapshotTotals()).toEqual(before);
  });

  it('refuses the same id with another amount (409) and changes nothing', async () => {
    const cmd = {
      id: id('reuse'),
      debitAccountId: alice.cash.id,
      creditAccountId: bob.cash.id,
      amountFen: 100n,
      code: 'internal' as const,
    };
    await t.db.transaction().execute((trx) => transfer(trx, cmd));
    const before = await snapshotTotals();
    const e = await errorOf(t.db.transaction().execute((trx) => transfer(trx, { ...cmd, amountFen: 101n })));
    expect(e.code).toBe('TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS');
    expect(e.status).toBe(409);
    expect(await snapshotTotals()).toEqual(before);
  });

  it.each([
    ['an overdraft', { amountFen: 10_000_000n }, 'INSUFFICIENT_BALANCE', 422],
    ['a zero amount', { amountFen: 0n }, 'INVALID_TRANSFER_AMOUNT', 400],
    ['a negative amount', { amountFen: -5n }, 'INVALID_TRANSFER_AMOUNT', 400],
    ['a same-account transfer', { creditAccountId: 'SELF' }, 'SAME_ACCOUNT_TRANSFER', 422],
    ['an unknown debit account', { debitAccountId: 'acc_nope' }, 'ACCOUNT_NOT_FOUND', 404],
    ['an unknown credit account', { creditAccountId: 'acc_nope' }, 'ACCOUNT_NOT_FOUND', 404],
    ['a malformed id', { id: 'has space' }, 'INVALID_TRANSFER_ID', 400],
  ])('refuses %s with its own code and changes nothing', async (_name, override, code, status) => {
    const base = {
      id: id('bad'),
      debitAccountId: alice.cash.id,
      creditAccountId: bob.cash.id,
      amountFen: 100n,
      code: 'internal' as const,
    };
    const cmd = { ...base, ...override };
    if (cmd.creditAccountId === 'SELF') cmd.creditAccountId = cmd.debitAccountId;
    const before = await snapshotTotals();
    const e = await errorOf(t.db.transaction().execute((trx) => transfer(trx, cmd)));
    expect(e.code).toBe(code);
    expect(e.status).toBe(status);
    expect(await snapshotTotals()).toEqual(before);
  });

  it('does not let custody cash pay out more than it holds', async () => {
    const e = await errorOf(
      t.db.transaction().execute((trx) =>
        transfer(trx, {
          id: id('overpay'),
          debitAccountId: alice.cash.id,
          creditAccountId: CUSTODY,
          amountFen: 10n ** 12n,
          code: 'withdraw',
        }),
      ),
    );
    expect(e.code).toBe('INSUFFICIENT_BALANCE');
  });

  it('applies a linked set all or none', async () => {
    const before = await snapshotTotals();
    const e = await errorOf(
      t.db.transaction().execute((trx) =>
        transferLinked(trx, [
          {
            kind: 'posted',
            id: id('l1'),
            debitAccountId: alice.cash.id,
            creditAccountId: bob.cash.id,
            amountFen: 10n,
            code: 'internal',
          },
          {
            kind: 'posted',
            id: id('l2'),
            debitAccountId: bob.cash.id,
            creditAccountId: FEES,
            amountFen: 10n ** 10n,
            code: 'service_fee',
          },
        ]),
      ),
    );
    expect(e.code).toBe('INSUFFICIENT_BALANCE');
    expect(await snapshotTotals()).toEqual(before);

    const ok = await t.db.transaction().execute((trx) =>
      transferLinked(trx, [
        {
          kind: 'posted',
          id: id('l3'),
          debitAccountId: alice.cash.id,
          creditAccountId: bob.cash.id,
          amountFen: 10n,
          code: 'internal',
        },
        {
          kind: 'posted',
          id: id('l4'),
          debitAccountId: bob.cash.id,
          creditAccountId: FEES,
          amountFen: 10n,
          code: 'service_fee',
        },
      ]),
    );
    expect(ok).toHaveLength(2);
    expect(ok[0]?.linkedBatchId).toBeTruthy();
    expect(ok[0]?.linkedBatchId).toBe(ok[1]?.linkedBatchId);
  });

  it('reports each outcome of an unlinked batch on its own, applying the transfers that pass', async () => {
    const repeated = id('b-rep');
    const outcomes = await t.db.transaction().execute((trx) =>
      transferBatch(trx, [
        {
          kind: 'posted',
          id: id('b1'),
          debitAccountId: alice.cash.id,
          creditAccountId: bob.cash.id,
          amountFen: 1n,
          code: 'internal',
        },
        {
          kind: 'posted',
          id: id('b2'),
          debitAccountId: bob.cash.id,
          creditAccountId: alice.cash.id,
          amountFen: 10n ** 11n,
          code: 'internal',
        },
        {
          kind: 'posted',
          id: repeated,
          debitAccountId: alice.cash.id,
          creditAccountId: bob.cash.id,
          amountFen: 2n,
          code: 'internal',
        },
        {
          kind: 'posted',
          id: repeated,
          debitAccountId: alice.cash.id,
          creditAccountId: bob.cash.id,
          amountFen: 2n,
          code: 'internal',
        },
      ]),
    );
    expect(outcomes.map((o) => (o.ok ? (o.created ? 'created' : 'exists') : o.error.code))).toEqual([
      'created',
      'INSUFFICIENT_BALANCE',
      'created',
      'exists',
    ]);
  });

  it('never updates or deletes a transfer row', async () => {
    await expect(
      t.db
        .updateTable('ledger_transfers')
        .set({ memo: 'x' } as never)
        .where('id', '=', 'recharge-alice')
        .execute(),
    ).rejects.toThrow(/immutable/);
    await expect(t.db.deleteFrom('ledger_transfers').where('id', '=', 'recharge-alice').execute()).rejects.toThrow(
      /immutable/,
    );
  });

  it('has a database CHECK that keeps customer accounts from being overdrawn even if code is wrong', async () => {
    await expect(
      t.db
        .updateTable('ledger_accounts')
        .set({ debits_posted_fen: 10n ** 15n })
        .where('id', '=', alice.cash.id)
        .execute(),
    ).rejects.toThrow(/ledger_accounts_no_overdraft/);
  });
});

describe('holds', () => {
  it('freezes funds, which then cannot be spent', async () => {
    const before = await customerBalances(t.db, 'alice');
    const h = await t.db.transaction().execute((trx) =>
      hold(trx, {
        id: id('hold'),
        debitAccountId: alice.cash.id,
        creditAccountId: platformAccountId('loan_escrow'),
        amountFen: before.availableFen,
        code: 'bid_hold',
      }),
    );
    expect(h.kind).toBe('pending');
    const frozen = await customerBalances(t.db, 'alice');
    expect(frozen.availableFen).toBe(0n);
    expect(frozen.frozenFen).toBe(before.availableFen + before.frozenFen);
    const e = await errorOf(
      t.db.transaction().execute((trx) =>
        transfer(trx, {
          id: id('spend'),
          debitAccountId: alice.cash.id,
          creditAccountId: bob.cash.id,
          amountFen: 1n,
          code: 'internal',
        }),
      ),
    );
    expect(e.code).toBe('INSUFFICIENT_BALANCE');
    await t.db.transaction().execute((trx) => voidHold(trx, { id: id('void'), pendingId: h.id }));
    expect(await customerBalances(t.db, 'alice')).toEqual(before);
  });

  it('posts part of a hold and releases the rest, exactly once', async () => {
    const before = await customerBalances(t.db, 'alice');
    const h = await t.db.transaction().execute((trx) =>
      hold(trx, {
        id: id('hold'),
        debitAccountId: alice.cash.id,
        creditAccountId: platformAccountId('loan_escrow'),
        amountFen: 1_000n,
        code: 'bid_hold',
      }),
    );
    const post = await t.db
      .transaction()
      .execute((trx) => postHold(trx, { id: id('post'), pendingId: h.id, amountFen: 600n }));
    expect(post.amountFen).toBe(600n);
    expect(post.code).toBe('bid_hold');
    const after = await customerBalances(t.db, 'alice');
    expect(after.availableFen).toBe(before.availableFen - 600n);
    expect(after.frozenFen).toBe(before.frozenFen);

    const again = await errorOf(
      t.db.transaction().execute((trx) => postHold(trx, { id: id('post'), pendingId: h.id })),
    );
    expect(again.code).toBe('PENDING_TRANSFER_ALREADY_POSTED');
    const voided = await errorOf(
      t.db.transaction().execute((trx) => voidHold(trx, { id: id('void'), pendingId: h.id })),
    );
    expect(voided.code).toBe('PENDING_TRANSFER_ALREADY_POSTED');
    expect(await customerBalances(t.db, 'alice')).toEqual(after);
  });

  it('refuses to post more than was held, a hold that does not exist, or a transfer that is not a hold', async () => {
    const h = await t.db.transaction().execute((trx) =>
      hold(trx, {
        id: id('hold'),
        debitAccountId: alice.cash.id,
        creditAccountId: platformAccountId('loan_escrow'),
        amountFen: 50n,
        code: 'bid_hold',
      }),
    );
    expect(
      (
        await errorOf(
          t.db.transaction().execute((trx) => postHold(trx, { id: id('p'), pendingId: h.id, amountFen: 51n })),
        )
      ).code,
    ).toBe('EXCEEDS_PENDING_AMOUNT');
    expect(
      (await errorOf(t.db.transaction().execute((trx) => postHold(trx, { id: id('p'), pendingId: 'nope' })))).code,
    ).toBe('PENDING_TRANSFER_NOT_FOUND');
    expect(
      (await errorOf(t.db.transaction().execute((trx) => voidHold(trx, { id: id('v'), pendingId: 'recharge-alice' }))))
        .code,
    ).toBe('NOT_A_PENDING_TRANSFER');
    await t.db.transaction().execute((trx) => voidHold(trx, { id: id('v'), pendingId: h.id }));
    expect(
      (await errorOf(t.db.transaction().execute((trx) => voidHold(trx, { id: id('v'), pendingId: h.id })))).code,
    ).toBe('PENDING_TRANSFER_ALREADY_VOIDED');
  });

  it('refuses to post an expired hold and releases it when holds expire', async () => {
    const { expireHolds } = await import('./ledger.service.ts');
    const before = await customerBalances(t.db, 'alice');
    const h = await t.db.transaction().execute((trx) =>
      hold(trx, {
        id: id('hold'),
        debitAccountId: alice.cash.id,
        creditAccountId: platformAccountId('loan_escrow'),
        amountFen: 70n,
        code: 'bid_hold',
        expiresAt: new Date(Date.now() - 1000),
      }),
    );
    expect(
      (await errorOf(t.db.transaction().execute((trx) => postHold(trx, { id: id('p'), pendingId: h.id })))).code,
    ).toBe('PENDING_TRANSFER_EXPIRED');
    const released = await t.db.transaction().execute((trx) => expireHolds(trx));
    expect(released).toBeGreaterThanOrEqual(1);
    expect(await customerBalances(t.db, 'alice')).toEqual(before);
    expect(await t.db.transaction().execute((trx) => expireHolds(trx))).toBe(0);
  });
});

describe('verifyLedger', () => {
  it('is clean after all of the above and sees custody cash back every customer fen', async () => {
    const report = await verifyLedger(t.db);
    expect(report.breaches).toEqual([]);
    expect(report.ok).toBe(true);
    const custody = await getAccount(t.db, CUSTODY);
    expect(report.custodyCashFen).toBe(custody.debitsPostedFen - custody.creditsPostedFen);
  });

  it('finds a stored total that disagrees with the transfers', async () => {
    await t.db
      .updateTable('ledger_accounts')
      .set({ credits_posted_fen: (eb) => eb('credits_posted_fen', '+', 1n) })
      .where('id', '=', bob.cash.id)
      .execute();
    try {
      const report = await verifyLedger(t.db);
      expect(report.ok).toBe(false);
      expect(report.breaches.map((b) => b.check)).toEqual(
        expect.arrayContaining(['account_totals_match_transfers', 'debits_equal_credits']),
      );
      expect(report.breaches.find((b) => b.check === 'account_totals_match_transfers')?.accountId).toBe(bob.cash.id);
    } finally {
      await t.db
        .updateTable('ledger_accounts')
        .set({ credits_posted_fen: (eb) => eb('credits_posted_fen', '-', 1n) })
        .where('id', '=', bob.cash.id)
        .execute();
    }
    expect((await verifyLedger(t.db)).ok).toBe(true);
  });
});

describe('regressions found by the bank test', () => {
  it('answers the same new id sent at once for other accounts with 409, never a duplicate-key 500', async () => {
    const [c, d] = await t.db.transaction().execute(async (trx) => {
      const carol = await openCustomerAccounts(trx, 'carol');
      const dan = await openCustomerAccounts(trx, 'dan');
      await transfer(trx, {
        id: 'fund-carol',
        debitAccountId: CUSTODY,
        creditAccountId: carol.cash.id,
        amountFen: 1_000n,
        code: 'recharge',
      });
      return [carol.cash.id, dan.cash.id];
    });
    for (let i = 0; i < 10; i++) {
      const results = await Promise.allSettled([
        t.db.transaction().execute((trx) =>
          transfer(trx, {
            id: `race-${i}`,
            debitAccountId: alice.cash.id,
            creditAccountId: bob.cash.id,
            amountFen: 1n,
            code: 'internal',
          }),
        ),
        t.db.transaction().execute((trx) =>
          transfer(trx, {
            id: `race-${i}`,
            debitAccountId: c!,
            creditAccountId: d!,
            amountFen: 1n,
            code: 'internal',
          }),
        ),
      ]);
      const answers = results.map((r) => (r.status === 'fulfilled' ? 'created' : (r.reason as AppError).code)).sort();
      expect(answers).toEqual(['TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS', 'created']);
    }
  });

  it('does not take "post all" as a repeat of a partial post', async () => {
    const h = await t.db.transaction().execute((trx) =>
      hold(trx, {
        id: id('hold'),
        debitAccountId: alice.cash.id,
        creditAccountId: platformAccountId('loan_escrow'),
        amountFen: 1_000n,
        code: 'bid_hold',
      }),
    );
    const postId = id('post');
    await t.db.transaction().execute((trx) => postHold(trx, { id: postId, pendingId: h.id, amountFen: 600n }));
    const repeat = await t.db
      .transaction()
      .execute((trx) => postHold(trx, { id: postId, pendingId: h.id, amountFen: 600n }));
    expect(repeat.amountFen).toBe(600n);
    const e = await errorOf(t.db.transaction().execute((trx) => postHold(trx, { id: postId, pendingId: h.id })));
    expect(e.code).toBe('TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS');
  });

  it('expires holds whose ids are as long as ids may be', async () => {
    const { expireHolds } = await import('./ledger.service.ts');
    const before = await customerBalances(t.db, 'alice');
    const longId = `h${'x'.repeat(119)}`;
    await t.db.transaction().execute((trx) =>
      hold(trx, {
        id: longId,
        debitAccountId: alice.cash.id,
        creditAccountId: platformAccountId('loan_escrow'),
        amountFen: 10n,
        code: 'bid_hold',
        expiresAt: new Date(Date.now() - 1),
      }),
    );
    expect(await t.db.transaction().execute((trx) => expireHolds(trx))).toBe(1);
    expect(await customerBalances(t.db, 'alice')).toEqual(before);
  });
});
