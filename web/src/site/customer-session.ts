import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../shared/api.ts';

export interface CustomerMe {
  id: string;
  phoneMasked: string;
  kind: 'person' | 'company';
  status: 'active' | 'frozen' | 'closed';
  referralCode: string;
  hasPassword: boolean;
  createdAt: string;
  realName: {
    status: 'unverified' | 'verified';
    nameMasked: string | null;
    idNumberMasked: string | null;
    verifiedAt: string | null;
  };
}

export const CUSTOMER_ME_KEY = ['customer-me'] as const;

/**
 * Whether this browser may hold a customer session: the readable CSRF cookie is set at sign-in with the session
 * cookie and cleared with it. Without it the site does not ask (a 401 on every page view would be noise).
 */
function maySignedIn(): boolean {
  return document.cookie.split('; ').some((c) => c.startsWith('csrf_token='));
}

/** The signed-in customer, or null when signed out. */
export function useCustomerMe() {
  return useQuery({
    queryKey: CUSTOMER_ME_KEY,
    queryFn: async () => {
      if (!maySignedIn()) return null;
      try {
        return await api<CustomerMe>('/api/v1/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** The first part of every query key holding the signed-in customer's data, so sign-out can drop them all. */
export const MY_DATA = 'my';

/** Replace the cached customer (after sign-in) or clear it and every cached account query (after sign-out). */
export function useSetCustomerMe() {
  const client = useQueryClient();
  return (me: CustomerMe | null) => {
    client.removeQueries({ queryKey: [MY_DATA] });
    client.setQueryData(CUSTOMER_ME_KEY, me);
  };
}

/** Sign out of this session; the cached account data goes with it. */
export function useSignOut() {
  const setMe = useSetCustomerMe();
  return async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST' });
    } finally {
      setMe(null);
    }
  };
}
