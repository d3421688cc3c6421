import { randomBytes } from 'node:crypto';
import { createStaff } from '../../src/modules/backoffice/index.ts';
import { createSession } from '../../src/platform/auth/sessions.ts';
import { generateTotpSecret } from '../../src/platform/totp.ts';
import type { TestApp } from './test-app.ts';

export const STAFF_TEST_PASSWORD = 'Sturdy-pass-2026';

export interface TestStaff {
  readonly id: string;
  readonly username: string;
  readonly totpSecret: string;
  /** Bearer token of a full session. */
  readonly token: string;
  readonly headers: Record<string, string>;
}

/** A staff member holding the given built-in roles, enrolled in TOTP, with a full session. */
export async function signedInStaff(t: TestApp, roleCodes: readonly string[]): Promise<TestStaff> {
  const username = `t${randomBytes(5).toString('hex')}`;
  const totpSecret = generateTotpSecret();
  const id = await createStaff(t.database.db, {
    username,
    displayName: `Test ${roleCodes.join('+') || 'nobody'}`,
    password: STAFF_TEST_PASSWORD,
    roleCodes,
    mustChangePassword: false,
    totpSecret,
    cipher: t.app.cipher,
  });
  const session = await createSession(t.database.db, { subjectKind: 'staff', subjectId: id, stage: 'full' });
  return { id, username, totpSecret, token: session.token, headers: { authorization: `Bearer ${session.token}` } };
}
