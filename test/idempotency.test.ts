import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerBalances,
  openCustomerAccounts,
  platformAccountId,
  transfer,
  verifyLedger,
} from '../src/modules/ledger/index.ts';
import { sendIdempotent } from '../src/platform/idempotency.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

/** A money-moving probe route: pays `amountFen` from custody cash into the customer's account, once per key. */
const payRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/test/customers/:ownerId/payments',
    {
      schema: {
        operationId: 'testPay',
        params: Type.Object({ ownerId: Type.String() }),
        body: Type.Object({ amountFen: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) =>
      sendIdempotent(request, reply, app.db, `test:${request.params.ownerId}`, async (trx) => {
        const accounts = await openCustomerAccounts(trx, request.params.ownerId);
        const tr = await transfer(trx, {
          id: `test-pay-${crypto.randomUUID()}`,
          debitAccountId: platformAccountId('custody_cash'),
          creditAccountId: accounts.cash.id,
          amountFen: BigInt(request.body.amountFen),
          code: 'recharge',
        });
        return {
          statusCode: 201,
          body: { transferId: tr.id, amountFen: tr.amountFen, balanceAfterFen: tr.creditBalanceAfterFen },
        };
      }),
  );
};

describe('Idempotency-Key on requests that move money', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ plugins: [payRoutes] });
  });
  afterAll(async () => {
    expect((await verifyLedger(t.database.db)).breaches).toEqual([]);
    await t?.close();
  });

  const pay = (ownerId: string, amountFen: unknown, key?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/test/customers/${ownerId}/payments`,
      payload: { amountFen },
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  it('answers a repeat with the first answer and moves the money once', async () => {
    const first = await pay('carol', 500, 'key-1');
    expect(first.statusCode).toBe(201);
    const second = await pay('carol', 500, 'key-1');
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect((await customerBalances(t.database.db, 'carol')).availableFen).toBe(500n);
  });

  it('refuses the same key with another body (409) without moving money', async () => {
    await pay('dave', 100, 'key-2');
    const other = await pay('dave', 999, 'key-2');
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await customerBalances(t.database.db, 'dave')).availableFen).toBe(100n);
  });

  it('keeps keys apart per scope (another customer may use the same key)', async () => {
    await pay('erin', 100, 'shared-key');
    const res = await pay('frank', 100, 'shared-key');
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with spaces', 'a key'],
  ])('requires a well-formed key (%s)', async (_name, key) => {
    const res = await pay('gina', 100, key);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('does not keep the key when the request fails validation, so a corrected retry works', async () => {
    const bad = await pay('hank', 0, 'key-3');
    expect(bad.statusCode).toBe(400);
    const good = await pay('hank', 10, 'key-3');
    expect(good.statusCode).toBe(201);
  });

  it('moves the money once when the same request arrives many times at once', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => pay('ivan', 250, 'key-burst')));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((a) => a.json().transferId)).size).toBe(1);
    expect((await customerBalances(t.database.db, 'ivan')).availableFen).toBe(250n);
  });
});
