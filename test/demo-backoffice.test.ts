import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneHash } from '../src/modules/identity/index.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { seedDemoBackoffice } from '../src/seed/demo-backoffice.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database.db, t.app.cipher);
  await seedDemoBackoffice(t.database.db, t.app.cipher);
  await seedDemoBackoffice(t.database.db, t.app.cipher);
});
afterAll(async () => t?.close());

describe('back-office demo data', () => {
  it('has one frozen member with the freeze recorded, and VIP points on a demo investor', async () => {
    const db = t.database.db;
    const frozen = await db
      .selectFrom('users')
      .select(['id', 'status', 'status_reason'])
      .where('phone_hash', '=', phoneHash(t.app.cipher, '13800000009'))
      .executeTakeFirstOrThrow();
    expect(frozen.status).toBe('frozen');
    const violations = await db.selectFrom('member_violations').selectAll().where('user_id', '=', frozen.id).execute();
    expect(violations).toEqual([expect.objectContaining({ action: 'freeze', reason: frozen.status_reason })]);
    const audit = await db.selectFrom('audit_log').select('actor_kind').where('target_id', '=', frozen.id).execute();
    expect(audit).toEqual([{ actor_kind: 'staff' }]);
    const points = await db.selectFrom('member_points').select('points').execute();
    expect(points).toEqual([{ points: 1200n }]);
  });
});
