import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectorCatalog } from '../../../engine/connectors/connector.ts';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import { definitionSchema } from '../../../engine/definition/definition.schema.ts';
import type { Problem } from '../../../engine/definition/validate.ts';
import { api } from '../app/api.ts';

export type ProcedureSummary = {
  key: string;
  title: string;
  updatedAt: string;
  latestVersion: number | null;
  runningCases: number;
};

export type VersionSummary = { version: number; title: string; publishedAt: string; publishedBy: string };

/** A JSON Schema as the API describes connector inputs (only the parts the designer reads). */
export type InputSchema = {
  type?: string;
  description?: string;
  properties?: Record<string, InputSchema>;
  required?: string[];
};

export type ConnectorOperation = { title?: string; retry: 'safe' | 'never'; input: InputSchema };
export type ConnectorManifest = { id: string; title: string; operations: Record<string, ConnectorOperation> };

export const proceduresKey = ['designer', 'procedures'] as const;

export function useProcedures() {
  return useQuery({
    queryKey: proceduresKey,
    queryFn: () => api<ProcedureSummary[]>('GET', '/api/procedure-drafts'),
  });
}

/** The draft of a procedure, else its newest published version, parsed (defaults applied). */
export function useDraft(key: string) {
  return useQuery({
    queryKey: ['designer', 'draft', key],
    queryFn: async () => definitionSchema.parse(await api<unknown>('GET', `/api/procedures/${key}/export?format=json`)),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}

export function useVersions(key: string) {
  return useQuery({
    queryKey: ['designer', 'versions', key],
    queryFn: () => api<VersionSummary[]>('GET', `/api/procedures/${key}/versions`),
  });
}

export function useConnectors() {
  return useQuery({
    queryKey: ['designer', 'connectors'],
    queryFn: () => api<ConnectorManifest[]>('GET', '/api/connectors'),
    staleTime: 5 * 60_000,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: ['designer', 'groups'],
    queryFn: () => api<string[]>('GET', '/api/designer/groups'),
    staleTime: 5 * 60_000,
  });
}

/** Operation → input field names per connector: what `validateDefinition` checks service steps against. */
export function catalogOf(connectors: readonly ConnectorManifest[]): ConnectorCatalog {
  return Object.fromEntries(
    connectors.map((c) => [
      c.id,
      {
        operations: Object.fromEntries(
          Object.entries(c.operations).map(([name, op]) => [
            name,
            { inputFields: Object.keys(op.input.properties ?? {}) },
          ]),
        ),
      },
    ]),
  );
}

export function useSaveDraft() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (definition: Definition) =>
      api<{ key: string; problems: Problem[] }>('POST', '/api/procedures', definition),
    onSuccess: () => client.invalidateQueries({ queryKey: proceduresKey }),
  });
}

export function usePublish() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => api<{ key: string; version: number }>('POST', `/api/procedures/${key}/publish`),
    onSuccess: (_, key) =>
      Promise.all([
        client.invalidateQueries({ queryKey: proceduresKey }),
        client.invalidateQueries({ queryKey: ['designer', 'versions', key] }),
      ]),
  });
}
