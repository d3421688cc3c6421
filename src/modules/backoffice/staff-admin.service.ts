import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db, Trx } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { isPermission, type Permission } from '../../platform/auth/permissions.ts';
import { revokeSubjectSessions } from '../../platform/auth/sessions.ts';
import type { Actor } from './approvals.service.ts';
import { BackofficeError } from './backoffice.errors.ts';
import { cursorTime, decodeTimeCursor, encodeTimeCursor, olderThan, pageOf } from './cursor.ts';
import { StaffError } from './staff.errors.ts';

export const SUPER_ADMIN_ROLE = 'super_admin';
/** Roles one staff member may hold at most. */
export const STAFF_ROLES_MAX = 20;
const TEMP_PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const TEMP_PASSWORD_DIGITS = '23456789';

/**
 * A temporary password shown once to the staff member who creates or resets an account, e.g.
 * `Kx7m-Pq3d-Tz8w`: letters and digits (never confusable ones), about 60 bits of randomness.
 */
export function temporaryPassword(): string {
  const groups: string[] = [];
  const bytes = randomBytes(12);
  for (let g = 0; g < 3; g += 1) {
    const b = bytes.subarray(g * 4, g * 4 + 4);
    const letter = (i: number) => TEMP_PASSWORD_ALPHABET[b[i]! % TEMP_PASSWORD_ALPHABET.length];
    const digit = TEMP_PASSWORD_DIGITS[b[2]! % TEMP_PASSWORD_DIGITS.length];
    groups.push(`${letter(0)}${letter(1)}${digit}${letter(3)}`);
  }
  return groups.join('-');
}

export interface StaffView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly status: 'active' | 'disabled';
  readonly mustChangePassword: boolean;
  readonly totpEnabled: boolean;
  readonly lockedUntil: Date | null;
  readonly organisation: { id: string; nameZh: string; nameEn: string } | null;
  readonly roles: { id: string; code: string; nameZh: string; nameEn: string; builtin: boolean }[];
  readonly createdAt: Date;
}

async function rolesOf(db: Db | Trx, staffIds: readonly string[]) {
  if (!staffIds.length) return new Map<string, StaffView['roles']>();
  const rows = await db
    .selectFrom('staff_roles as sr')
    .innerJoin('roles as r', 'r.id', 'sr.role_id')
    .select(['sr.staff_id', 'r.id', 'r.code', 'r.name_zh', 'r.name_en', 'r.builtin'])
    .where('sr.staff_id', 'in', [...staffIds])
    .orderBy('r.code')
    .execute();
  const out = new Map<string, StaffView['roles']>();
  for (const r of rows) {
    const list = out.get(r.staff_id) ?? [];
    list.push({ id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, builtin: r.builtin });
    out.set(r.staff_id, list);
  }
  return out;
}

function selectStaff(db: Db | Trx) {
  return db
    .selectFrom('staff as s')
    .leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .select([
      's.id',
      's.username',
      's.display_name',
      's.status',
      's.must_change_password',
      's.totp_enabled',
      's.locked_until',
      's.organisation_id',
      'o.name_zh as org_name_zh',
      'o.name_en as org_name_en',
      's.created_at',
      cursorTime('s.created_at').as('cursor_at'),
    ]);
}

type StaffRow = Awaited<ReturnType<ReturnType<typeof selectStaff>['executeTakeFirstOrThrow']>>;

function toView(row: StaffRow, roles: StaffView['roles'] | undefined): StaffView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    status: row.status,
    mustChangePassword: row.must_change_password,
    totpEnabled: row.totp_enabled,
    lockedUntil: row.locked_until,
    organisation:
      row.organisation_id && row.org_name_zh !== null && row.org_name_en !== null
        ? { id: row.organisation_id, nameZh: row.org_name_zh, nameEn: row.org_name_en }
        : null,
    roles: roles ?? [],
    createdAt: row.created_at,
  };
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Staff newest first; `q` matches the username or display name. */
export async function listStaff(
  db: Db,
  query: {
    q?: string | undefined;
    status?: 'active' | 'disabled' | undefined;
    organisationId?: string | undefined;
    roleId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: StaffView[]; nextCursor: string | null }> {
  let q = selectStaff(db);
  const text = query.q?.trim();
  if (text) {
    const pattern = likePattern(text);
    q = q.where((eb) => eb.or([eb('s.username', 'ilike', pattern), eb('s.display_name', 'ilike', pattern)]));
  }
  if (query.status) q = q.where('s.status', '=', query.status);
  if (query.organisationId) q = q.where('s.organisation_id', '=', query.organisationId);
  if (query.roleId) {
    const roleId = query.roleId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('staff_roles as sr')
          .select('sr.staff_id')
          .whereRef('sr.staff_id', '=', 's.id')
          .where('sr.role_id', '=', roleId),
      ),
    );
  }
  if (query.cursor) q = q.where(olderThan('s.created_at', 's.id', decodeTimeCursor(query.cursor)));
  const rows = await q
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = pageOf(rows, query.limit, (r) => encodeTimeCursor(r.cursor_at, r.id));
  const roles = await rolesOf(
    db,
    page.items.map((r) => r.id),
  );
  return { items: page.items.map((r) => toView(r, roles.get(r.id))), nextCursor: page.nextCursor };
}

export async function getStaff(db: Db | Trx, id: string): Promise<StaffView> {
  const row = await selectStaff(db).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw BackofficeError.STAFF_NOT_FOUND({ staffId: id });
  return toView(row, (await rolesOf(db, [id])).get(id));
}

/** The permissions a set of roles grants. */
async function permissionsOfRoles(db: Db | Trx, roleIds: readonly string[]): Promise<Set<Permission>> {
  if (!roleIds.length) return new Set();
  const rows = await db
    .selectFrom('role_permissions')
    .select('permission')
    .distinct()
    .where('role_id', 'in', [...roleIds])
    .execute();
  return new Set(rows.map((r) => r.permission).filter(isPermission));
}

/**
 * Nobody grants or manages more than they hold: the permissions must all be the actor's own.
 * (Otherwise a staff manager could make themself, or an accomplice, a super admin.)
 */
export function assertWithinOwn(actor: Actor, permissions: Iterable<Permission>): void {
  const missing = [...permissions].filter((p) => !actor.permissions.has(p)).sort();
  if (missing.length) throw BackofficeError.PERMISSION_NOT_HELD({ permissions: missing.join(', '), missing });
}

async function checkRoles(trx: Trx, actor: Actor, roleIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(roleIds)];
  if (unique.length) {
    const found = await trx.selectFrom('roles').select('id').where('id', 'in', unique).execute();
    const known = new Set(found.map((r) => r.id));
    const unknown = unique.find((id) => !known.has(id));
    if (unknown !== undefined) throw BackofficeError.UNKNOWN_ROLE({ field: 'roleIds', roleId: unknown });
  }
  assertWithinOwn(actor, await permissionsOfRoles(trx, unique));
  return unique;
}

async function checkOrganisation(trx: Trx, organisationId: string | null | undefined): Promise<void> {
  if (!organisationId) return;
  const org = await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
  if (!org) throw BackofficeError.UNKNOWN_ORGANISATION({ field: 'organisationId' });
}

/** Serialise every change that could leave no active super admin (two admins demoting each other at once). */
async function lockSuperAdmins(trx: Trx): Promise<void> {
  await trx.selectFrom('roles').select('id').where('code', '=', SUPER_ADMIN_ROLE).forUpdate().execute();
}

async function otherActiveSuperAdmins(trx: Trx, exceptStaffId: string): Promise<number> {
  const row = await trx
    .selectFrom('staff_roles as sr')
    .innerJoin('roles as r', 'r.id', 'sr.role_id')
    .innerJoin('staff as s', 's.id', 'sr.staff_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.code', '=', SUPER_ADMIN_ROLE)
    .where('s.status', '=', 'active')
    .where('s.id', '<>', exceptStaffId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function snapshot(view: StaffView) {
  return {
    displayName: view.displayName,
    organisationId: view.organisation?.id ?? null,
    roles: view.roles.map((r) => r.code),
    status: view.status,
    mustChangePassword: view.mustChangePassword,
    totpEnabled: view.totpEnabled,
  };
}

export interface NewStaffInput {
  readonly username: string;
  readonly displayName: string;
  readonly roleIds: readonly string[];
  readonly organisationId?: string | null | undefined;
}

/**
 * Create a staff account with a temporary password (returned once, never stored in plaintext): they
 * must change it and enrol their authenticator at first sign-in.
 */
export async function createStaffMember(
  db: Db,
  actor: Actor,
  input: NewStaffInput,
  request?: FastifyRequest,
): Promise<{ staff: StaffView; temporaryPassword: string }> {
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  const id = `stf_${randomUUID()}`;
  const username = input.username.trim().toLowerCase();
  const staff = await db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirst();
    if (taken) throw StaffError.USERNAME_TAKEN({ field: 'username' });
    const roleIds = await checkRoles(trx, actor, input.roleIds);
    await checkOrganisation(trx, input.organisationId);
    await trx
      .insertInto('staff')
      .values({
        id,
        username,
        display_name: input.displayName.trim(),
        password_hash: passwordHash,
        must_change_password: true,
        organisation_id: input.organisationId ?? null,
      })
      .execute();
    if (roleIds.length) {
      await trx
        .insertInto('staff_roles')
        .values(roleIds.map((roleId) => ({ staff_id: id, role_id: roleId })))
        .execute();
    }
    const view = await getStaff(trx, id);
    await audit(trx, request, {
      action: 'staff.created',
      targetKind: 'staff',
      targetId: id,
      after: { username, ...snapshot(view) },
    });
    return view;
  });
  return { staff, temporaryPassword: password };
}

export interface StaffPatch {
  readonly displayName?: string | undefined;
  readonly organisationId?: string | null | undefined;
  readonly roleIds?: readonly string[] | undefined;
  readonly status?: 'active' | 'disabled' | undefined;
}

/** Change a staff member's name, organisation, roles or status; disabling signs them out everywhere. */
export async function updateStaffMember(
  trx: Trx,
  actor: Actor,
  id: string,
  patch: StaffPatch,
  request?: FastifyRequest,
  now: Date = new Date(),
): Promise<StaffView> {
  await lockSuperAdmins(trx);
  const exists = await trx.selectFrom('staff').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  if (!exists) throw BackofficeError.STAFF_NOT_FOUND({ staffId: id });
  const before = await getStaff(trx, id);
  assertWithinOwn(
    actor,
    await permissionsOfRoles(
      trx,
      before.roles.map((r) => r.id),
    ),
  );
  if (patch.status === 'disabled' && id === actor.id) throw BackofficeError.CANNOT_DISABLE_SELF({ field: 'status' });
  const roleIds = patch.roleIds === undefined ? undefined : await checkRoles(trx, actor, patch.roleIds);
  if (patch.organisationId !== undefined) await checkOrganisation(trx, patch.organisationId);

  const wasSuperAdmin = before.status === 'active' && before.roles.some((r) => r.code === SUPER_ADMIN_ROLE);
  if (wasSuperAdmin) {
    const superAdminRoleIds = before.roles.filter((r) => r.code === SUPER_ADMIN_ROLE).map((r) => r.id);
    const keepsRole = roleIds === undefined || roleIds.some((r) => superAdminRoleIds.includes(r));
    const staysActive = (patch.status ?? before.status) === 'active';
    if ((!keepsRole || !staysActive) && (await otherActiveSuperAdmins(trx, id)) === 0) {
      throw BackofficeError.LAST_SUPER_ADMIN({ field: keepsRole ? 'status' : 'roleIds' });
    }
  }

  const changes: { display_name?: string; organisation_id?: string | null; status?: 'active' | 'disabled' } = {};
  if (patch.displayName !== undefined) changes.display_name = patch.displayName.trim();
  if (patch.organisationId !== undefined) changes.organisation_id = patch.organisationId;
  if (patch.status !== undefined) changes.status = patch.status;
  if (Object.keys(changes).length) {
    await trx
      .updateTable('staff')
      .set({ ...changes, updated_at: now })
      .where('id', '=', id)
      .execute();
  }
  if (roleIds !== undefined) {
    await trx.deleteFrom('staff_roles').where('staff_id', '=', id).execute();
    if (roleIds.length) {
      await trx
        .insertInto('staff_roles')
        .values(roleIds.map((roleId) => ({ staff_id: id, role_id: roleId })))
        .execute();
    }
  }
  if (patch.status === 'disabled' && before.status !== 'disabled') {
    await revokeSubjectSessions(trx, 'staff', id, undefined, now);
  }
  const after = await getStaff(trx, id);
  await audit(trx, request, {
    action: 'staff.updated',
    targetKind: 'staff',
    targetId: id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return after;
}

/**
 * A new temporary password for a staff member who lost theirs: they must change it, and their
 * authenticator is reset so they enrol again. Their sessions end.
 */
export async function resetStaffPassword(
  db: Db,
  actor: Actor,
  id: string,
  request?: FastifyRequest,
  now: Date = new Date(),
): Promise<{ temporaryPassword: string }> {
  if (id === actor.id) throw BackofficeError.CANNOT_RESET_SELF();
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('staff').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!exists) throw BackofficeError.STAFF_NOT_FOUND({ staffId: id });
    const before = await getStaff(trx, id);
    assertWithinOwn(
      actor,
      await permissionsOfRoles(
        trx,
        before.roles.map((r) => r.id),
      ),
    );
    await trx
      .updateTable('staff')
      .set({
        password_hash: passwordHash,
        must_change_password: true,
        totp_enabled: false,
        totp_secret_cipher: null,
        totp_last_step: null,
        failed_logins: 0,
        locked_until: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await revokeSubjectSessions(trx, 'staff', id, undefined, now);
    const after = await getStaff(trx, id);
    await audit(trx, request, {
      action: 'staff.password_reset',
      targetKind: 'staff',
      targetId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
  });
  return { temporaryPassword: password };
}
