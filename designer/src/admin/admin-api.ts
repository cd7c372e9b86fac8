import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type HistoryEntry } from '../app/api.ts';

/** A JSON Schema as the server renders a connector's config or an operation's input (the subset the forms use). */
export type JsonSchema = {
  type?: string;
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

export type Connector = {
  id: string;
  title: string;
  description: string | null;
  secrets: string[];
  configSchema: JsonSchema;
  configured: boolean;
  circuit: string;
};
export type ConnectorConfig = {
  id: string;
  configured: boolean;
  config: Record<string, unknown>;
  secretNames: string[];
};
export type HealthCode =
  | 'ok'
  | 'failed'
  | 'not_configured'
  | 'invalid_config'
  | 'missing_secrets'
  | 'secrets_unreadable'
  | 'no_check';
export type HealthResult = { id: string; ok: boolean; code: HealthCode; message: string | null; checkedAt: string };

export type Incident = {
  id: string;
  caseId: string;
  caseNumber: string;
  state: string;
  connector: string;
  operation: string;
  attempts: number;
  error: string | null;
  updatedAt: string;
};
export type IncidentDetail = Omit<Incident, 'caseNumber' | 'updatedAt'> & {
  input: Record<string, unknown>;
  inputSchema: JsonSchema | null;
};

export type Role = 'citizen' | 'caseworker' | 'process-owner' | 'admin';
export const STAFF_ROLES: Role[] = ['caseworker', 'process-owner', 'admin'];
export type User = { id: string; username: string; roles: Role[]; groups: string[]; disabled: boolean };
export type Group = { id: string; name: string; members: number };
export type Tenant = { id: string; name: string; land: string; createdAt: string };
/** Contact for feedback on barriers and the date of the accessibility statement (BITV 2.0 § 7). */
export type TenantContact = { email: string; phone: string; address: string[]; reviewedOn: string };

export type CaseSummary = {
  id: string;
  caseNumber: string;
  procedure: string;
  version: number;
  state: string;
  status: 'active' | 'done' | 'cancelled';
  publicStatus: string | null;
  createdAt: string;
  updatedAt: string;
};
export type CaseDetail = CaseSummary & {
  history: HistoryEntry[];
  jobs: { id: string; state: string; connector: string; operation: string; status: string; attempts: number }[];
  tasks: { id: string; title: string; state: string; status: string; group: string; assignee: string | null }[];
};

const enc = encodeURIComponent;

/** Query keys of the admin area; mutations invalidate by these prefixes. */
export const keys = {
  connectors: ['admin', 'connectors'] as const,
  connectorConfig: (id: string) => ['admin', 'connector-config', id] as const,
  incidents: ['admin', 'incidents'] as const,
  users: ['admin', 'users'] as const,
  groups: ['admin', 'groups'] as const,
  tenants: ['admin', 'tenants'] as const,
  tenantContact: (id: string) => ['admin', 'tenant-contact', id] as const,
  cases: (query: string) => ['admin', 'cases', query] as const,
  case: (id: string) => ['admin', 'case', id] as const,
};

export const useConnectors = () =>
  useQuery({ queryKey: keys.connectors, queryFn: () => api<Connector[]>('GET', '/api/connectors') });
export const useConnectorConfig = (id: string) =>
  useQuery({
    queryKey: keys.connectorConfig(id),
    queryFn: () => api<ConnectorConfig>('GET', `/api/admin/connectors/${enc(id)}/config`),
  });
export const useIncidents = () =>
  useQuery({ queryKey: keys.incidents, queryFn: () => api<Incident[]>('GET', '/api/incidents') });
export const useIncident = (id: string) =>
  useQuery({
    queryKey: ['admin', 'incident', id],
    queryFn: () => api<IncidentDetail>('GET', `/api/admin/incidents/${enc(id)}`),
  });
export const useUsers = () => useQuery({ queryKey: keys.users, queryFn: () => api<User[]>('GET', '/api/admin/users') });
export const useGroups = () =>
  useQuery({ queryKey: keys.groups, queryFn: () => api<Group[]>('GET', '/api/admin/groups') });
export const useTenants = () =>
  useQuery({ queryKey: keys.tenants, queryFn: () => api<Tenant[]>('GET', '/api/admin/tenants') });
export const useTenantContact = (id: string) =>
  useQuery({
    queryKey: keys.tenantContact(id),
    queryFn: () => api<{ contact: TenantContact | null }>('GET', `/api/admin/tenants/${enc(id)}/contact`),
  });
export const useCases = (query: string) =>
  useQuery({ queryKey: keys.cases(query), queryFn: () => api<CaseSummary[]>('GET', `/api/admin/cases?${query}`) });
export const useCase = (id: string) =>
  useQuery({ queryKey: keys.case(id), queryFn: () => api<CaseDetail>('GET', `/api/cases/${enc(id)}`) });

/** A mutation that refreshes the given admin queries when it succeeds. */
export function useAdminMutation<I, O>(call: (input: I) => Promise<O>, refresh: readonly (readonly string[])[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => Promise.all(refresh.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export const calls = {
  saveConnector: (input: { id: string; config: Record<string, unknown>; secrets: Record<string, string> }) =>
    api<ConnectorConfig>('PUT', `/api/admin/connectors/${enc(input.id)}/config`, {
      config: input.config,
      secrets: input.secrets,
    }),
  checkConnector: (id: string) => api<HealthResult>('POST', `/api/admin/connectors/${enc(id)}/health`),
  retry: (id: string) => api<{ id: string }>('POST', `/api/incidents/${enc(id)}/retry`),
  retryMany: (ids: string[]) =>
    api<{ retried: string[]; skipped: string[] }>('POST', '/api/admin/incidents/retry', { ids }),
  retryWithInput: (input: { id: string; input: Record<string, unknown> }) =>
    api<{ id: string }>('POST', `/api/admin/incidents/${enc(input.id)}/retry-with-input`, { input: input.input }),
  cancelCase: (caseId: string) => api<{ id: string }>('POST', `/api/admin/cases/${enc(caseId)}/cancel`),
  createUser: (input: { username: string; password: string; roles: Role[]; groups: string[] }) =>
    api<{ id: string }>('POST', '/api/admin/users', input),
  setDisabled: (input: { id: string; disabled: boolean }) =>
    api<{ id: string }>('POST', `/api/admin/users/${enc(input.id)}/${input.disabled ? 'disable' : 'enable'}`),
  setAccess: (input: { id: string; roles: Role[]; groups: string[] }) =>
    api<{ id: string }>('PUT', `/api/admin/users/${enc(input.id)}/access`, {
      roles: input.roles,
      groups: input.groups,
    }),
  createGroup: (name: string) => api<{ id: string }>('POST', '/api/admin/groups', { name }),
  createTenant: (input: { id: string; name: string; land: string; admin: { username: string; password: string } }) =>
    api<{ id: string }>('POST', '/api/admin/tenants', input),
  saveTenantContact: ({ id, ...contact }: TenantContact & { id: string }) =>
    api<{ contact: TenantContact }>('PUT', `/api/admin/tenants/${enc(id)}/contact`, contact),
};
