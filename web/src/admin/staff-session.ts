import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../shared/api.ts';

export interface StaffMe {
  id: string;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  stage: 'full' | 'setup';
  roles: { code: string; nameZh: string; nameEn: string }[];
  permissions: string[];
}

export const STAFF_ME_KEY = ['staff-me'] as const;

/** The signed-in staff member, or null when signed out. */
export function useStaffMe() {
  return useQuery({
    queryKey: STAFF_ME_KEY,
    queryFn: async () => {
      try {
        return await api<StaffMe>('/api/v1/admin/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetStaffMe() {
  const client = useQueryClient();
  return (me: StaffMe | null) => client.setQueryData(STAFF_ME_KEY, me);
}
