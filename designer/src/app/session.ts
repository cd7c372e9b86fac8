import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './api.ts';

export type Role = 'process-owner' | 'caseworker' | 'admin';
export type User = { username: string; roles: Role[]; groups: string[]; tenant: string };

const SESSION_KEY = ['session'] as const;

/** The signed-in staff member, or null for citizens and signed-out visitors. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<User | null> => {
      try {
        return await api<User>('GET', '/api/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Where a staff member lands after signing in: the area of their first role. */
export function homeOf(user: User): string {
  if (user.roles.includes('caseworker')) return '/inbox';
  if (user.roles.includes('process-owner')) return '/designer';
  if (user.roles.includes('admin')) return '/admin';
  return '/';
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      api<{ token: string; user: User }>('POST', '/api/auth/login', input),
    onSuccess: ({ user }) => client.setQueryData(SESSION_KEY, user),
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('POST', '/api/auth/logout'),
    onSuccess: () => {
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  });
}
