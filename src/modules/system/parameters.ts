import type { Db } from '../../db/database.ts';

/** A system parameter's value (parsed JSON), or undefined when it is not set. */
export async function readParameter(db: Db, key: string): Promise<unknown> {
  const row = await db.selectFrom('system_parameters').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}
