import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOutletContext } from 'react-router';
import { api } from '../shared/api.ts';
import type { StaffMe } from './staff-session.ts';

/** Whether the signed-in staff member holds a permission (the API checks again). */
export function useCan(): (permission: string) => boolean {
  const me = useOutletContext<StaffMe>();
  return (permission) => me.permissions.includes(permission);
}

export function useStaffId(): string {
  return useOutletContext<StaffMe>().id;
}

/** Pick the Chinese or English name of something named in both. */
export function useLocalName(): (named: { nameZh: string; nameEn: string }) => string {
  const { i18n } = useTranslation();
  return (named) => (i18n.language === 'en-US' ? named.nameEn : named.nameZh);
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Query string from filters, leaving out empty ones. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A list the API pages with `cursor`: the rows so far, and a way to load more. */
export function useCursorList<T>(
  key: readonly unknown[],
  path: string,
  params: Record<string, string | undefined>,
  enabled = true,
) {
  const { i18n } = useTranslation();
  const query = useInfiniteQuery({
    queryKey: [...key, params, i18n.language],
    enabled,
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<CursorPage<T>>(`${path}${queryString({ ...params, limit: 50, cursor: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  return { ...query, rows: query.data?.pages.flatMap((p) => p.items) ?? [] };
}
