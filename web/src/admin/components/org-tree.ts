import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api.ts';

export interface Organisation {
  id: string;
  parentId: string | null;
  nameZh: string;
  nameEn: string;
  staffCount: number;
  createdAt: string;
}

export interface RoleInfo {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  builtin: boolean;
  permissions: string[];
  staffCount: number;
}

export interface OrgNode {
  key: string;
  value: string;
  title: string;
  org: Organisation;
  children: OrgNode[];
}

/** The flat list as a tree (roots first, children in creation order); `disabledUnder` marks a subtree unselectable. */
export function organisationTree(
  orgs: readonly Organisation[],
  name: (o: Organisation) => string,
  disabledUnder?: string,
): (OrgNode & { disabled?: boolean })[] {
  const byParent = new Map<string | null, Organisation[]>();
  const ids = new Set(orgs.map((o) => o.id));
  for (const o of orgs) {
    const parent = o.parentId && ids.has(o.parentId) ? o.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), o]);
  }
  const build = (parent: string | null, disabled: boolean, depth: number): (OrgNode & { disabled?: boolean })[] =>
    depth > 20
      ? []
      : (byParent.get(parent) ?? []).map((o) => {
          const off = disabled || o.id === disabledUnder;
          return {
            key: o.id,
            value: o.id,
            title: name(o),
            org: o,
            ...(off ? { disabled: true } : {}),
            children: build(o.id, off, depth + 1),
          };
        });
  return build(null, false, 0);
}

export function useOrganisations() {
  return useQuery({
    queryKey: ['admin-organisations'],
    queryFn: () => api<{ items: Organisation[] }>('/api/v1/admin/organisations'),
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ['admin-roles'],
    queryFn: () => api<{ items: RoleInfo[] }>('/api/v1/admin/roles'),
  });
}
