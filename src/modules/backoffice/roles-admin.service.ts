import type { FastifyRequest } from 'fastify';
import type { Db, Trx } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { ALL_PERMISSIONS, isPermission, PERMISSIONS, type Permission } from '../../platform/auth/permissions.ts';
import type { Actor } from './approvals.service.ts';
import { BackofficeError } from './backoffice.errors.ts';
import { assertWithinOwn } from './staff-admin.service.ts';

/** At most this many roles (built-in and custom together). */
export const ROLES_MAX = 100;

export interface PermissionEntry {
  readonly code: Permission;
  /** The part before the first dot (`members`, `staff`), for grouping in the matrix. */
  readonly group: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

export function permissionCatalogue(): PermissionEntry[] {
  return ALL_PERMISSIONS.map((code) => ({
    code,
    group: code.split('.')[0] ?? code,
    nameZh: PERMISSIONS[code].zh,
    nameEn: PERMISSIONS[code].en,
  }));
}

export interface RoleView {
  readonly id: string;
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly builtin: boolean;
  readonly permissions: Permission[];
  readonly staffCount: number;
}

export async function listRoles(db: Db | Trx, onlyId?: string): Promise<RoleView[]> {
  let q = db
    .selectFrom('roles as r')
    .select((eb) => [
      'r.id',
      'r.code',
      'r.name_zh',
      'r.name_en',
      'r.builtin',
      eb
        .selectFrom('staff_roles as sr')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('sr.role_id', '=', 'r.id')
        .as('staff_count'),
    ])
    .orderBy('r.builtin', 'desc')
    .orderBy('r.code')
    .limit(ROLES_MAX);
  if (onlyId) q = q.where('r.id', '=', onlyId);
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  const perms = ids.length
    ? await db.selectFrom('role_permissions').select(['role_id', 'permission']).where('role_id', 'in', ids).execute()
    : [];
  const order = new Map(ALL_PERMISSIONS.map((p, i) => [p, i]));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    builtin: r.builtin,
    permissions: perms
      .filter((p) => p.role_id === r.id)
      .map((p) => p.permission)
      .filter(isPermission)
      .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
    staffCount: Number(r.staff_count ?? 0),
  }));
}

async function getRole(trx: Trx, id: string): Promise<RoleView> {
  const [role] = await listRoles(trx, id);
  if (!role) throw BackofficeError.ROLE_NOT_FOUND({ roleId: id });
  return role;
}

const snapshot = (r: RoleView) => ({ code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, permissions: r.permissions });

async function setPermissions(trx: Trx, roleId: string, permissions: readonly Permission[]): Promise<void> {
  await trx.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
  const unique = [...new Set(permissions)];
  if (unique.length) {
    await trx
      .insertInto('role_permissions')
      .values(unique.map((permission) => ({ role_id: roleId, permission })))
      .execute();
  }
}

/**
 * A custom role. Its id is `role_<code>`, like a built-in one: if a later version adds a built-in
 * role with the same code, the start-up sync adopts the row (and fixes its permissions).
 */
export async function createRole(
  trx: Trx,
  actor: Actor,
  input: { code: string; nameZh: string; nameEn: string; permissions: readonly Permission[] },
  request?: FastifyRequest,
): Promise<RoleView> {
  assertWithinOwn(actor, input.permissions);
  const count = await trx
    .selectFrom('roles')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= ROLES_MAX) throw BackofficeError.ROLES_LIMIT_REACHED({ max: ROLES_MAX });
  const id = `role_${input.code}`;
  const taken = await trx
    .selectFrom('roles')
    .select('id')
    .where((eb) => eb.or([eb('code', '=', input.code), eb('id', '=', id)]))
    .executeTakeFirst();
  if (taken) throw BackofficeError.ROLE_CODE_TAKEN({ field: 'code' });
  await trx
    .insertInto('roles')
    .values({ id, code: input.code, name_zh: input.nameZh.trim(), name_en: input.nameEn.trim(), builtin: false })
    .execute();
  await setPermissions(trx, id, input.permissions);
  const role = await getRole(trx, id);
  await audit(trx, request, { action: 'role.created', targetKind: 'role', targetId: id, after: snapshot(role) });
  return role;
}

export async function updateRole(
  trx: Trx,
  actor: Actor,
  id: string,
  input: { nameZh: string; nameEn: string; permissions: readonly Permission[] },
  request?: FastifyRequest,
): Promise<RoleView> {
  await trx.selectFrom('roles').select('id').where('id', '=', id).forUpdate().execute();
  const before = await getRole(trx, id);
  if (before.builtin) throw BackofficeError.BUILTIN_ROLE_READ_ONLY({ roleId: id });
  // Both the permissions taken away and those given must be the actor's own.
  assertWithinOwn(actor, [...before.permissions, ...input.permissions]);
  await trx
    .updateTable('roles')
    .set({ name_zh: input.nameZh.trim(), name_en: input.nameEn.trim() })
    .where('id', '=', id)
    .execute();
  await setPermissions(trx, id, input.permissions);
  const after = await getRole(trx, id);
  await audit(trx, request, {
    action: 'role.updated',
    targetKind: 'role',
    targetId: id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return after;
}

/** Delete a custom role nobody holds. */
export async function deleteRole(trx: Trx, actor: Actor, id: string, request?: FastifyRequest): Promise<void> {
  await trx.selectFrom('roles').select('id').where('id', '=', id).forUpdate().execute();
  const role = await getRole(trx, id);
  if (role.builtin) throw BackofficeError.BUILTIN_ROLE_READ_ONLY({ roleId: id });
  assertWithinOwn(actor, role.permissions);
  // Lock the role's holders too, so nobody is given the role while it goes.
  const holders = await trx
    .selectFrom('staff_roles')
    .select('staff_id')
    .where('role_id', '=', id)
    .forUpdate()
    .execute();
  if (holders.length) throw BackofficeError.ROLE_IN_USE({ staffCount: holders.length });
  await trx.deleteFrom('roles').where('id', '=', id).execute();
  await audit(trx, request, { action: 'role.deleted', targetKind: 'role', targetId: id, before: snapshot(role) });
}
