import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { phoneHash, recordBoundCard } from '../../src/modules/identity/index.ts';
import { customerAccounts, platformAccountId, transfer } from '../../src/modules/ledger/index.ts';
import { signBody } from '../../src/modules/payments/index.ts';
import { runDueJobs } from '../../src/platform/outbox.ts';
import { freshCardNumber, newIp, outboxCode } from './customer-flows.ts';
import { signedInCustomer, type TestCustomer } from './customers.ts';
import { verifyCustomer } from './kyc.ts';
import type { TestApp } from './test-app.ts';

export const SANDBOX_SECRET = 'lendhall-sandbox-custodian-secret';

export interface WithdrawingCustomer extends TestCustomer {
  readonly cardId: string;
}

let serial = 0;

/** A verified customer with a bound card, `cashFen` of recharged cash and `bonusFen` of bonus money. */
export async function fundedCustomer(
  t: TestApp,
  money: { cashFen?: bigint; bonusFen?: bigint } = {},
): Promise<WithdrawingCustomer> {
  const c = await signedInCustomer(t);
  await verifyCustomer(t, c.id, '王五');
  const cardId = await t.database.db.transaction().execute(async (trx) => {
    const id = await recordBoundCard(trx, t.app.cipher, {
      userId: c.id,
      bankCode: 'ICBC',
      cardNumber: freshCardNumber(),
      reservedPhone: c.phone,
    });
    const accounts = await customerAccounts(trx, c.id);
    serial += 1;
    if (money.cashFen) {
      await transfer(trx, {
        id: `test-recharge-${c.id}-${serial}`,
        debitAccountId: platformAccountId('custody_cash'),
        creditAccountId: accounts.cash.id,
        amountFen: money.cashFen,
        code: 'recharge',
      });
    }
    if (money.bonusFen) {
      await transfer(trx, {
        id: `test-bonus-${c.id}-${serial}`,
        debitAccountId: platformAccountId('marketing_expense'),
        creditAccountId: accounts.bonus.id,
        amountFen: money.bonusFen,
        code: 'bonus',
      });
    }
    return id;
  });
  return { ...c, cardId };
}

/**
 * A fresh withdrawal code for the customer. Earlier codes of the phone are moved back a day first, so the
 * SMS limits (1 a minute, 10 a day) do not stop a test that withdraws many times.
 */
export async function withdrawCode(t: TestApp, c: TestCustomer, app: FastifyInstance = t.app): Promise<string> {
  const hash = phoneHash(app.cipher, c.phone);
  await sql`update sms_codes set created_at = created_at - interval '25 hours' where phone_hash = ${hash}`.execute(
    t.database.db,
  );
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/me/withdrawals/sms-codes',
    headers: c.headers,
    remoteAddress: newIp(),
  });
  if (res.statusCode !== 202) throw new Error(`withdrawal code answered ${res.statusCode}: ${res.body}`);
  return outboxCode({ ...t, app }, c.phone);
}

let keyCounter = 0;

/** POST /api/v1/me/withdrawals; asks for a code first unless one is given. */
export async function withdraw(
  t: TestApp,
  c: WithdrawingCustomer,
  amountFen: unknown,
  options: { smsCode?: string; bankCardId?: string; idem?: string; app?: FastifyInstance } = {},
) {
  const app = options.app ?? t.app;
  const smsCode = options.smsCode ?? (await withdrawCode(t, c, app));
  return app.inject({
    method: 'POST',
    url: '/api/v1/me/withdrawals',
    payload: { amountFen, bankCardId: options.bankCardId ?? c.cardId, smsCode },
    headers: { ...c.headers, 'idempotency-key': options.idem ?? `w-${process.pid}-${++keyCounter}` },
  });
}

/** Run every queued outbox job, including retries scheduled for later, until none is left. */
export async function drain(app: FastifyInstance, roundsMax = 200) {
  for (let i = 0; i < roundsMax; i++) {
    const r = await runDueJobs(app.db, app.outboxHandlers, { now: new Date(Date.now() + 3_600_000) });
    if (r.succeeded + r.failed === 0) return;
  }
  throw new Error('outbox did not drain');
}

export async function setSandbox(
  app: FastifyInstance,
  controls: Partial<{
    delayMs: number;
    duplicates: number;
    reorder: boolean;
    failDeliveries: number;
    payoutResult: 'success' | 'fail';
  }>,
) {
  const current = (await app.inject({ method: 'GET', url: '/sandbox/custodian/control' })).json();
  const res = await app.inject({
    method: 'PUT',
    url: '/sandbox/custodian/control',
    payload: { ...current, ...controls },
  });
  if (res.statusCode !== 200) throw new Error(`sandbox control answered ${res.statusCode}: ${res.body}`);
}

/** Headers of a callback signed with `secret` at `at` (seconds). */
export function signedHeaders(body: string, secret = SANDBOX_SECRET, at = Math.floor(Date.now() / 1000)) {
  const ts = String(at);
  return { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signBody(secret, ts, body) };
}

export function payoutEvent(orderNo: string, amountFen: number | bigint, event = 'payout.succeeded', eventId?: string) {
  return JSON.stringify({
    eventId: eventId ?? `evt-${event}-${orderNo}`,
    event,
    orderNo,
    amountFen: Number(amountFen),
    occurredAt: new Date().toISOString(),
    ...(event === 'payout.failed' ? { reason: 'bank_rejected' } : {}),
  });
}
