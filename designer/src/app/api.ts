/** An entry of a case's history as the API answers it (the case view, the task view and test runs each show it). */
export type HistoryEntry = {
  id: string;
  at: string;
  kind: string;
  fromState: string | null;
  toState: string | null;
  event: string | null;
  actor: string;
  publicStatus: string | null;
};

/** One failing field of a problem+json answer. */
export type FieldError = { path: string; message: string };

/** An answer of the API other than 2xx, carrying its problem+json details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
  }
}

/** Calls the API of the same origin with the session cookie; JSON in, JSON out; throws ApiError on 4xx/5xx. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers:
      body === undefined
        ? { accept: 'application/json' }
        : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const problem = (typeof payload === 'object' && payload !== null ? payload : {}) as {
      title?: string;
      detail?: string;
      errors?: FieldError[];
    };
    throw new ApiError(res.status, problem.title ?? res.statusText, problem.detail, problem.errors ?? []);
  }
  return payload as T;
}
