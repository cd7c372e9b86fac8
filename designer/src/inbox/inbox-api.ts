import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Form } from '../../../engine/definition/form.schema.ts';
import { api, type HistoryEntry } from '../app/api.ts';

/** A row of a queue, as `GET /api/inbox/tasks` answers. */
export type InboxTask = {
  id: string;
  caseId: string;
  caseNumber: string;
  procedure: string;
  title: string;
  state: 'open' | 'done';
  group: string;
  assignee: string | null;
  applicant: string | null;
  dueAt: string | null;
  /** When the case arrived (its start). */
  receivedAt: string;
  overdue: boolean;
  completedAt: string | null;
  outcome: string | null;
  followUpUntil: string | null;
};

/** A task with its application, as `GET /api/tasks/{id}` answers. */
export type TaskDetail = {
  id: string;
  caseId: string;
  caseNumber: string;
  procedure: string;
  procedureTitle: string;
  title: string;
  state: 'open' | 'done';
  step: string;
  group: string;
  assignee: string | null;
  dueAt: string | null;
  outcome: string | null;
  data: Record<string, unknown> | null;
  form: Form | null;
  outcomes: { id: string; label: string }[];
  applicationForm: Form;
  caseData: Record<string, unknown>;
};

/** The task's surroundings, as `GET /api/inbox/tasks/{id}` answers. */
export type TaskContext = {
  caseState: string;
  followUp: { until: string; setBy: string } | null;
  members: string[];
  notes: { id: string; taskId: string | null; author: string; at: string; text: string }[];
  attachments: { path: string; label: string; mediaType: string; bytes: number }[];
  history: Omit<HistoryEntry, 'publicStatus'>[];
  diagram: {
    initial: string;
    states: { id: string; kind: string; title: string }[];
    transitions: { from: string; to: string; label: string | null }[];
  };
};

export type BulkResult = { id: string; ok: boolean; reason?: 'not_found' | 'taken' | 'not_member' }[];
export type Colleague = { username: string; groups: string[] };
export type Procedure = { key: string; title: string };

const INBOX = ['inbox'] as const;

export function useQueue(query: string) {
  return useQuery({
    queryKey: [...INBOX, 'list', query],
    queryFn: () => api<{ total: number; items: InboxTask[] }>('GET', `/api/inbox/tasks?${query}`),
    placeholderData: (previous) => previous,
  });
}

export function useProcedures() {
  return useQuery({ queryKey: ['catalogue'], queryFn: () => api<Procedure[]>('GET', '/api/procedures') });
}

export function useColleagues() {
  return useQuery({
    queryKey: [...INBOX, 'colleagues'],
    queryFn: () => api<Colleague[]>('GET', '/api/inbox/colleagues'),
    staleTime: 60_000,
  });
}

export function useTask(id: string) {
  return useQuery({ queryKey: [...INBOX, 'task', id], queryFn: () => api<TaskDetail>('GET', `/api/tasks/${id}`) });
}

export function useTaskContext(id: string) {
  return useQuery({
    queryKey: [...INBOX, 'context', id],
    queryFn: () => api<TaskContext>('GET', `/api/inbox/tasks/${id}`),
  });
}

/**
 * A write to the inbox; afterwards every inbox query is fetched again (lists, the task, its context). The callbacks
 * belong to the mutation, not to one `mutate` call, so they run even when the refreshed page has unmounted the
 * component that started it (a completed task's form).
 */
export function useInboxAction<I, O>(
  run: (input: I) => Promise<O>,
  callbacks: { onSuccess?(output: O, input: I): void; onError?(error: Error): void } = {},
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (output, input) => callbacks.onSuccess?.(output, input),
    onError: (error) => callbacks.onError?.(error),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: INBOX });
    },
  });
}

export const actions = {
  claim: (id: string) => api<{ id: string; assignee: string }>('POST', `/api/tasks/${id}/claim`),
  release: (id: string) => api<{ id: string }>('POST', `/api/tasks/${id}/unclaim`),
  handOver: ({ id, to }: { id: string; to: string }) =>
    api<{ id: string; assignee: string }>('POST', `/api/inbox/tasks/${id}/handover`, { to }),
  claimAll: (ids: string[]) => api<BulkResult>('POST', '/api/inbox/tasks/claim', { ids }),
  handOverAll: ({ ids, to }: { ids: string[]; to: string }) =>
    api<BulkResult>('POST', '/api/inbox/tasks/handover', { ids, to }),
  complete: ({ id, outcome, data }: { id: string; outcome: string; data: Record<string, unknown> }) =>
    api<{ caseId: string; state: string }>('POST', `/api/tasks/${id}/complete`, { outcome, data }),
  setFollowUp: ({ id, until }: { id: string; until: string }) =>
    api<{ until: string }>('PUT', `/api/inbox/tasks/${id}/follow-up`, { until }),
  clearFollowUp: (id: string) => api<void>('DELETE', `/api/inbox/tasks/${id}/follow-up`),
  addNote: ({ id, text }: { id: string; text: string }) =>
    api<unknown>('POST', `/api/inbox/tasks/${id}/notes`, { text }),
};
