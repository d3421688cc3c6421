import type { Db } from '../db/database.ts';
import { createStaff, syncBuiltinRoles } from '../modules/backoffice/index.ts';
import type { FieldCipher } from '../platform/crypto.ts';
import { seedDemoBackoffice } from './demo-backoffice.ts';
import { DEMO_CUSTOMER_LOGINS, seedDemoCustomers } from './demo-customers.ts';
import { seedDemoLoans } from './demo-loans.ts';
import { seedDemoRiskAssessments } from './demo-risk.ts';

/** A login printed after `npm start`, so a newcomer can sign in at once. */
export interface DemoLogin {
  readonly area: 'customer' | 'admin';
  readonly role: string;
  readonly login: string;
  readonly password: string;
}

/** The demo staff share one authenticator secret; `npm run demo:totp` prints its current code. */
export const DEMO_TOTP_SECRET = 'LENDHALLDEMOSTAFFSECRETKEYAAAAAA';
export const DEMO_STAFF_PASSWORD = 'Lendhall2026';

const DEMO_STAFF: readonly { username: string; displayName: string; role: string }[] = [
  { username: 'admin', displayName: '系统管理员 Admin', role: 'super_admin' },
  { username: 'reviewer', displayName: '审核员 王芳', role: 'reviewer' },
  { username: 'risk', displayName: '风控 李强', role: 'risk_officer' },
  { username: 'finance', displayName: '财务 陈静', role: 'finance' },
  { username: 'service', displayName: '客服 赵敏', role: 'customer_service' },
  { username: 'operator', displayName: '运营 孙磊', role: 'operator' },
];

export const DEMO_LOGINS: readonly DemoLogin[] = [
  ...DEMO_CUSTOMER_LOGINS,
  ...DEMO_STAFF.map((s) => ({
    area: 'admin' as const,
    role: s.role,
    login: s.username,
    password: DEMO_STAFF_PASSWORD,
  })),
];

interface ParameterSeed {
  readonly key: string;
  readonly value: unknown;
  readonly zh: string;
  readonly en: string;
}

/** Platform parameters every installation starts with; later capabilities add theirs here. */
const DEFAULT_PARAMETERS: readonly ParameterSeed[] = [
  { key: 'platform.name', value: { zh: '借贷厅', en: 'Lendhall' }, zh: '平台名称', en: 'Platform name' },
  { key: 'platform.service_hotline', value: '400-800-1234', zh: '客服热线', en: 'Customer service hotline' },
  {
    key: 'margin.enabled',
    value: false,
    zh: '股票配资模块开关（默认关闭，须由运营人员确认合规后开启）',
    en: 'Stock financing module switch (off by default; an operator enables it after a compliance check)',
  },
];

/** True when no demo or real data has been written yet (npm start seeds only then). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('system_parameters')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return BigInt(row.n) === 0n;
}

/** Fill the demo data. Safe to run twice: existing rows are left as they are. */
export async function seedDemo(db: Db, cipher: FieldCipher): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const p of DEFAULT_PARAMETERS) {
      await trx
        .insertInto('system_parameters')
        .values({ key: p.key, value: JSON.stringify(p.value), description_zh: p.zh, description_en: p.en })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    }
  });
  await syncBuiltinRoles(db);
  for (const s of DEMO_STAFF) {
    const exists = await db.selectFrom('staff').select('id').where('username', '=', s.username).executeTakeFirst();
    if (exists) continue;
    await createStaff(db, {
      username: s.username,
      displayName: s.displayName,
      password: DEMO_STAFF_PASSWORD,
      roleCodes: [s.role],
      mustChangePassword: false,
      totpSecret: DEMO_TOTP_SECRET,
      cipher,
    });
  }
  await seedDemoCustomers(db, cipher);
  await seedDemoBackoffice(db, cipher);
  await seedDemoRiskAssessments(db, cipher);
  await seedDemoLoans(db, cipher);
}

export function formatLogins(baseUrl: string): string {
  const lines = [
    `Lendhall is running at ${baseUrl}  (customer site ${baseUrl}/, back office ${baseUrl}/admin, API docs ${baseUrl}/docs)`,
    'Demo logins:',
  ];
  for (const l of DEMO_LOGINS)
    lines.push(`  ${l.area.padEnd(8)} ${l.role.padEnd(18)} ${l.login.padEnd(10)} ${l.password}`);
  lines.push(
    `  Staff also need an authenticator code: add the secret ${DEMO_TOTP_SECRET} to an authenticator app,`,
    '  or run `npm run demo:totp` to print the current code.',
  );
  return lines.join('\n');
}
