import type { Db } from '../db/database.ts';

/** A login printed after seeding, so a newcomer can sign in at once. */
export interface DemoLogin {
  readonly area: 'customer' | 'admin';
  readonly role: string;
  readonly login: string;
  readonly password: string;
}

export interface SeedResult {
  readonly logins: readonly DemoLogin[];
}

interface ParameterSeed {
  readonly key: string;
  readonly value: unknown;
  readonly zh: string;
  readonly en: string;
}

/** Platform parameters every installation starts with; later capabilities add theirs here. */
const DEFAULT_PARAMETERS: readonly ParameterSeed[] = [
  { key: 'platform.name', value: { zh: '借贷厅', en: 'Lendhall' }, zh: '平台名称', en: 'Platform name' },
  {
    key: 'platform.service_hotline',
    value: '400-800-1234',
    zh: '客服热线',
    en: 'Customer service hotline',
  },
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
export async function seedDemo(db: Db): Promise<SeedResult> {
  await db.transaction().execute(async (trx) => {
    for (const p of DEFAULT_PARAMETERS) {
      await trx
        .insertInto('system_parameters')
        .values({ key: p.key, value: JSON.stringify(p.value), description_zh: p.zh, description_en: p.en })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    }
  });
  return { logins: [] };
}

export function formatLogins(logins: readonly DemoLogin[], baseUrl: string): string {
  const lines = [
    `Lendhall is running at ${baseUrl}  (customer site ${baseUrl}/, back office ${baseUrl}/admin, API docs ${baseUrl}/docs)`,
  ];
  if (logins.length === 0) {
    lines.push('Demo logins: none yet (customer and staff accounts arrive with the identity module).');
  } else {
    lines.push('Demo logins:');
    for (const l of logins)
      lines.push(`  ${l.area.padEnd(8)} ${l.role.padEnd(22)} ${l.login.padEnd(16)} ${l.password}`);
  }
  return lines.join('\n');
}
