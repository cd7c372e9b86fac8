import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { CaseNotFoundError, TaskStateError } from '../../engine/runtime/case-engine.ts';
import { EventNotAcceptedError } from '../../engine/runtime/runtime.ts';

/** A field that failed validation: dotted path (`person.name`) and a German message. */
export type FieldError = { path: string; message: string };

/** An expected failure answered as RFC 9457 problem+json; never carries a stack trace. */
export class Problem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(title);
    this.name = 'Problem';
  }
}

export function problemJson(c: Context, p: Problem): Response {
  const body = {
    type: `about:blank`,
    title: p.title,
    status: p.status,
    ...(p.detail ? { detail: p.detail } : {}),
    instance: new URL(c.req.url).pathname,
    ...(p.errors ? { errors: p.errors } : {}),
    ...(p.extra ?? {}),
  };
  return c.body(JSON.stringify(body), p.status, { 'content-type': 'application/problem+json; charset=utf-8' });
}

/** Zod issues as field errors with dotted paths. */
export function zodFieldErrors(error: ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Maps any error to a problem response; unknown errors become a 500 without details (and are logged by the caller). */
export function toProblem(error: unknown): Problem | undefined {
  if (error instanceof Problem) return error;
  if (error instanceof EventNotAcceptedError) {
    return new Problem(409, 'Ereignis nicht möglich', error.message, undefined, {
      state: error.state,
      event: error.eventType,
    });
  }
  if (error instanceof CaseNotFoundError) return new Problem(404, 'Nicht gefunden', 'Vorgang nicht gefunden');
  if (error instanceof TaskStateError) {
    return error.code === 'task_not_found'
      ? new Problem(404, 'Nicht gefunden', error.message)
      : new Problem(409, 'Aufgabe nicht bearbeitbar', error.message, undefined, { code: error.code });
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    if (status === 400) return new Problem(400, 'Ungültige Anfrage', 'Der Inhalt ist kein gültiges JSON');
    if (status === 413) return new Problem(413, 'Inhalt zu groß', 'Die Anfrage überschreitet die zulässige Größe');
    return new Problem(status, error.message || 'Fehler');
  }
  return undefined;
}
