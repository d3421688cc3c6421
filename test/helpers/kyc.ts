import { rulesOnlyKycProvider, verifyRealName } from '../../src/modules/identity/real-name.service.ts';
import { idNumberCheckChar } from '../../src/modules/identity/validators.ts';
import type { TestApp } from './test-app.ts';

let serial = 100;

/** A valid 18-digit ID number of an adult born in 1990, different on every call. */
export function testIdNumber(): string {
  serial += 1;
  const first17 = `110105199001${String((serial % 28) + 1).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

/** Complete real-name verification for a customer through the real service. */
export async function verifyCustomer(t: TestApp, userId: string, name = '张三'): Promise<void> {
  await verifyRealName(t.database.db, t.app.cipher, rulesOnlyKycProvider, { userId, name, idNumber: testIdNumber() });
}
