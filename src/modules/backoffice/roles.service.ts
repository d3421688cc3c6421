import type { Db } from '../../db/database.ts';
import { BUILTIN_ROLES } from '../../platform/auth/permissions.ts';

/** Make the built-in roles exist with exactly their listed permissions (run at every start). */
export async function syncBuiltinRoles(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const role of BUILTIN_ROLES) {
      await trx
        .insertInto('roles')
        .values({
          id: `role_${role.code}`,
          code: role.code,
          name_zh: role.name.zh,
          name_en: role.name.en,
          builtin: true,
        })
        .onConflict((oc) =>
          oc.column('code').doUpdateSet({ name_zh: role.name.zh, name_en: role.name.en, builtin: true }),
        )
        .execute();
      const id = `role_${role.code}`;
      await trx.deleteFrom('role_permissions').where('role_id', '=', id).execute();
      if (role.permissions.length) {
        await trx
          .insertInto('role_permissions')
          .values(role.permissions.map((permission) => ({ role_id: id, permission })))
          .execute();
      }
    }
  });
}
