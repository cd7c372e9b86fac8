import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import type { PublicStatus } from './application.ts';

/** How often an open application's status is asked again, so a payment or a decision shows without reloading. */
const REFRESH_MS = 3_000;

/** The public status of an application, refreshed while it is not done. */
export function useStatus(trackingCode: string) {
  return useQuery({
    queryKey: ['status', trackingCode],
    queryFn: () => api<PublicStatus>('GET', `/api/status/${encodeURIComponent(trackingCode)}`),
    refetchInterval: (query) => (query.state.data && !query.state.data.done ? REFRESH_MS : false),
    retry: false,
  });
}
