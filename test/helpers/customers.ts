import { createCustomer } from '../../src/modules/identity/customers.service.ts';
import { createSession } from '../../src/platform/auth/sessions.ts';
import type { TestApp } from './test-app.ts';

export const CUSTOMER_TEST_PASSWORD = 'Customer-pass-2026';
let phoneCounter = 0;

/** A fresh, valid mainland mobile number, different for every call in this process. */
export function testPhone(): string {
  phoneCounter += 1;
  const suffix = String((process.pid * 1000 + phoneCounter) % 100_000_000).padStart(8, '0');
  return `139${suffix}`;
}

export interface TestCustomer {
  readonly id: string;
  readonly phone: string;
  readonly token: string;
  /** Bearer auth headers (no CSRF needed). */
  readonly headers: Record<string, string>;
}

/** A registered customer (with ledger accounts) and a signed-in session. */
export async function signedInCustomer(t: TestApp): Promise<TestCustomer> {
  const phone = testPhone();
  const { id } = await t.database.db
    .transaction()
    .execute((trx) => createCustomer(trx, t.app.cipher, { phone, password: CUSTOMER_TEST_PASSWORD }));
  const session = await createSession(t.database.db, { subjectKind: 'customer', subjectId: id });
  return { id, phone, token: session.token, headers: { authorization: `Bearer ${session.token}` } };
}
