import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import type { Form } from '../../../engine/definition/form.schema.ts';
import { api, type HistoryEntry } from '../app/api.ts';

/** An open task of a test run, with its form and outcomes. */
export type TestRunTask = {
  id: string;
  state: string;
  title: string;
  group: string;
  assignee: string | null;
  dueAt: string | null;
  form: Form | null;
  outcomes: { id: string; label: string }[];
};

/** A test run as `GET /api/designer/test-runs/{id}` answers it. */
export type TestRun = {
  id: string;
  tenant: string;
  caseNumber: string;
  trackingCode: string;
  procedure: string;
  version: number;
  state: string;
  status: 'active' | 'done' | 'cancelled';
  publicStatus: string | null;
  outcome: string | null;
  variables: Record<string, unknown>;
  history: Omit<HistoryEntry, 'id'>[];
  tasks: TestRunTask[];
  jobs: {
    id: string;
    state: string;
    connector: string;
    operation: string;
    status: string;
    attempts: number;
    error: string | null;
  }[];
  timer: { dueAt: string } | null;
  messages: string[];
};

/** What can be done to a test run besides reading it. */
export type TestRunAction =
  | { kind: 'complete'; taskId: string; outcome: string; data: Record<string, unknown> }
  | { kind: 'timer' }
  | { kind: 'message'; name: string; data: Record<string, unknown> }
  | { kind: 'retry'; jobId: string };

const runKey = (id: string) => ['designer', 'test-run', id] as const;
const base = '/api/designer/test-runs';

/** The test run, polled every second while the case is active (the job runner moves it on the server). */
export function useTestRun(id: string | undefined) {
  return useQuery({
    queryKey: runKey(id ?? ''),
    queryFn: () => api<TestRun>('GET', `${base}/${id}`),
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data?.status === 'active' ? 1000 : false),
  });
}

export function useStartTestRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { definition: Definition; data: Record<string, unknown> }) => api<TestRun>('POST', base, input),
    onSuccess: (run) => client.setQueryData(runKey(run.id), run),
  });
}

export function useTestRunAction(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: TestRunAction) => {
      const path = `${base}/${id}`;
      switch (action.kind) {
        case 'complete':
          return api<TestRun>('POST', `${path}/tasks/${action.taskId}/complete`, {
            outcome: action.outcome,
            data: action.data,
          });
        case 'retry':
          return api<TestRun>('POST', `${path}/incidents/${action.jobId}/retry`);
        case 'timer':
          return api<TestRun>('POST', `${path}/events`, { type: 'timer' });
        case 'message':
          return api<TestRun>('POST', `${path}/events`, { type: 'message', name: action.name, data: action.data });
      }
    },
    onSuccess: (run) => client.setQueryData(runKey(run.id), run),
  });
}
