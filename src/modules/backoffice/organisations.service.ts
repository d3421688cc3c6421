import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { BackofficeError } from './backoffice.errors.ts';

/** Organisations (departments) form a tree at most this deep, with at most this many nodes. */
export const ORGANISATION_DEPTH_MAX = 8;
export const ORGANISATIONS_MAX = 500;

export interface OrganisationView {
  readonly id: string;
  readonly parentId: string | null;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly staffCount: number;
  readonly createdAt: Date;
}

/** Every organisation, flat (each names its parent); the web builds the tree. */
export async function listOrganisations(db: Db | Trx): Promise<OrganisationView[]> {
  const rows = await db
    .selectFrom('organisations as o')
    .select((eb) => [
      'o.id',
      'o.parent_id',
      'o.name_zh',
      'o.name_en',
      'o.created_at',
      eb
        .selectFrom('staff as s')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('s.organisation_id', '=', 'o.id')
        .as('staff_count'),
    ])
    .orderBy('o.created_at')
    .orderBy('o.id')
    .limit(ORGANISATIONS_MAX)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    staffCount: Number(r.staff_count ?? 0),
    createdAt: r.created_at,
  }));
}

/** Tree changes take the table lock, so two concurrent moves cannot make a cycle together. */
async function lockTree(trx: Trx): Promise<Map<string, string | null>> {
  await sql`lock table organisations in share row exclusive mode`.execute(trx);
  const rows = await trx.selectFrom('organisations').select(['id', 'parent_id']).execute();
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

/** Levels from the root down to `id` (a root is 1), or undefined when the parent chain loops. */
function depthOf(parents: ReadonlyMap<string, string | null>, id: string): number | undefined {
  let depth = 0;
  let current: string | null | undefined = id;
  while (current) {
    depth += 1;
    if (depth > ORGANISATION_DEPTH_MAX + 1) return undefined;
    current = parents.get(current);
  }
  return depth;
}

/** How many levels the subtree under `id` spans (1 for a leaf). */
function subtreeHeight(parents: ReadonlyMap<string, string | null>, id: string): number {
  let height = 1;
  let level = [id];
  while (level.length && height <= ORGANISATION_DEPTH_MAX + 1) {
    const next = [...parents].filter(([, p]) => p !== null && level.includes(p)).map(([child]) => child);
    if (!next.length) break;
    height += 1;
    level = next;
  }
  return height;
}

function snapshot(o: OrganisationView) {
  return { parentId: o.parentId, nameZh: o.nameZh, nameEn: o.nameEn };
}

async function getOrganisation(trx: Trx, id: string): Promise<OrganisationView> {
  const found = (await listOrganisations(trx)).find((o) => o.id === id);
  if (!found) throw BackofficeError.ORGANISATION_NOT_FOUND({ organisationId: id });
  return found;
}

export async function createOrganisation(
  trx: Trx,
  input: { parentId?: string | null | undefined; nameZh: string; nameEn: string },
  request?: FastifyRequest,
): Promise<OrganisationView> {
  const parents = await lockTree(trx);
  if (parents.size >= ORGANISATIONS_MAX) throw BackofficeError.ORGANISATIONS_LIMIT_REACHED({ max: ORGANISATIONS_MAX });
  const parentId = input.parentId ?? null;
  if (parentId !== null) {
    if (!parents.has(parentId)) throw BackofficeError.UNKNOWN_ORGANISATION({ field: 'parentId' });
    if ((depthOf(parents, parentId) ?? Number.POSITIVE_INFINITY) + 1 > ORGANISATION_DEPTH_MAX) {
      throw BackofficeError.ORGANISATION_TOO_DEEP({ field: 'parentId', max: ORGANISATION_DEPTH_MAX });
    }
  }
  const id = `org_${randomUUID().replaceAll('-', '')}`;
  await trx
    .insertInto('organisations')
    .values({ id, parent_id: parentId, name_zh: input.nameZh.trim(), name_en: input.nameEn.trim() })
    .execute();
  const created = await getOrganisation(trx, id);
  await audit(trx, request, {
    action: 'organisation.created',
    targetKind: 'organisation',
    targetId: id,
    after: snapshot(created),
  });
  return created;
}

/** Rename or move an organisation (`parentId: null` makes it a root). */
export async function updateOrganisation(
  trx: Trx,
  id: string,
  patch: { parentId?: string | null | undefined; nameZh?: string | undefined; nameEn?: string | undefined },
  request?: FastifyRequest,
): Promise<OrganisationView> {
  const parents = await lockTree(trx);
  if (!parents.has(id)) throw BackofficeError.ORGANISATION_NOT_FOUND({ organisationId: id });
  const before = await getOrganisation(trx, id);
  if (patch.parentId !== undefined && patch.parentId !== null) {
    const parentId = patch.parentId;
    if (!parents.has(parentId)) throw BackofficeError.UNKNOWN_ORGANISATION({ field: 'parentId' });
    // Moving under itself or a descendant would cut the subtree off the tree in a loop.
    let current: string | null | undefined = parentId;
    for (let steps = 0; current && steps <= ORGANISATION_DEPTH_MAX + 1; steps += 1) {
      if (current === id) throw BackofficeError.ORGANISATION_CYCLE({ field: 'parentId' });
      current = parents.get(current);
    }
    const depth = (depthOf(parents, parentId) ?? Number.POSITIVE_INFINITY) + subtreeHeight(parents, id);
    if (depth > ORGANISATION_DEPTH_MAX) {
      throw BackofficeError.ORGANISATION_TOO_DEEP({ field: 'parentId', max: ORGANISATION_DEPTH_MAX });
    }
  }
  const changes: { parent_id?: string | null; name_zh?: string; name_en?: string } = {};
  if (patch.parentId !== undefined) changes.parent_id = patch.parentId;
  if (patch.nameZh !== undefined) changes.name_zh = patch.nameZh.trim();
  if (patch.nameEn !== undefined) changes.name_en = patch.nameEn.trim();
  if (Object.keys(changes).length) await trx.updateTable('organisations').set(changes).where('id', '=', id).execute();
  const after = await getOrganisation(trx, id);
  await audit(trx, request, {
    action: 'organisation.updated',
    targetKind: 'organisation',
    targetId: id,
    before: snapshot(before),
    after: snapshot(after),
  });
  return after;
}
