import { z } from 'zod';
import { ConnectorError } from '../../engine/connectors/connector.ts';

/** One JSON call to an outside system; `system` names it in German error messages ("Das Fachverfahren"). */
export type JsonCall = {
  fetch: typeof fetch;
  signal: AbortSignal;
  system: string;
  method: 'GET' | 'POST';
  url: string;
  apiKey: string;
  /** Sent as `Idempotency-Key` header so the outside system can deduplicate retries. */
  idempotencyKey?: string;
  body?: unknown;
  /** Sent instead of `body`, as `application/xml` (XÖV messages); the answer is still JSON. */
  xml?: string;
};

/**
 * Sends a JSON request and parses the answer with `schema`, so every HTTP connector maps failures the same way:
 * abort → `timeout`, network error, 408, 429 and 5xx → retryable; other 4xx and unparsable answers → not retryable.
 */
export async function callJson<T>(call: JsonCall, schema: z.ZodType<T>): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${call.apiKey}`,
  };
  if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
  if (call.xml !== undefined) headers['content-type'] = 'application/xml; charset=utf-8';
  else if (call.body !== undefined) headers['content-type'] = 'application/json';
  let status: number;
  let text: string;
  try {
    const response = await call.fetch(call.url, {
      method: call.method,
      headers,
      body: call.xml ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
      signal: call.signal,
    });
    status = response.status;
    text = await response.text();
  } catch {
    throw transportError(call.system, call.signal);
  }
  if (status < 200 || status >= 300) throw statusError(call.system, status);
  return parseAnswer(call.system, text, schema);
}

/** Parses a JSON answer body with `schema`; anything else is a non-retryable `bad_response`. */
function parseAnswer<T>(system: string, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badResponse(system);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badResponse(system);
  return parsed.data;
}

/** The error for a request that got no HTTP answer: `timeout` when our signal fired, else `unavailable`. */
function transportError(system: string, signal: AbortSignal): ConnectorError {
  if (signal.aborted) {
    return new ConnectorError('timeout', `${system} hat nicht rechtzeitig geantwortet (Zeitüberschreitung).`, true);
  }
  return new ConnectorError('unavailable', `${system} ist nicht erreichbar.`, true);
}

/** Maps a non-2xx HTTP status to a typed error with a stable code. */
function statusError(system: string, status: number): ConnectorError {
  if (status >= 500) {
    return new ConnectorError('server_error', `${system} meldet einen Serverfehler (HTTP ${status}).`, true);
  }
  if (status === 429) {
    return new ConnectorError('rate_limited', `${system} meldet zu viele Anfragen (HTTP 429).`, true);
  }
  if (status === 408) {
    return new ConnectorError('timeout', `${system} meldet eine Zeitüberschreitung (HTTP 408).`, true);
  }
  if (status === 401 || status === 403) {
    return new ConnectorError('unauthorized', `${system} hat die Anmeldung abgelehnt (HTTP ${status}).`, false);
  }
  if (status === 404) {
    return new ConnectorError('not_found', `${system} kennt das angefragte Objekt nicht (HTTP 404).`, false);
  }
  if (status === 409) {
    return new ConnectorError(
      'conflict',
      `${system} meldet einen Konflikt (HTTP 409), etwa einen schon verwendeten Idempotenzschlüssel mit anderen Daten.`,
      false,
    );
  }
  if (status >= 400) {
    return new ConnectorError('rejected', `${system} hat die Anfrage abgelehnt (HTTP ${status}).`, false);
  }
  return new ConnectorError('bad_response', `${system} hat unerwartet mit HTTP ${status} geantwortet.`, false);
}

function badResponse(system: string): ConnectorError {
  return new ConnectorError('bad_response', `${system} hat eine unerwartete Antwort geliefert.`, false);
}

/** Joins a base URL (with or without trailing slash) and URL-encoded path segments. */
export function joinUrl(baseUrl: string, ...segments: string[]): string {
  return [baseUrl.replace(/\/+$/, ''), ...segments.map((segment) => encodeURIComponent(segment))].join('/');
}

/** Health check by `GET ${baseUrl}/health`: any 2xx is healthy; the message says in German what went wrong. */
export async function checkHealth(
  ctx: { fetch: typeof fetch; signal: AbortSignal },
  system: string,
  baseUrl: string,
): Promise<{ ok: boolean; message?: string }> {
  try {
    const response = await ctx.fetch(joinUrl(baseUrl, 'health'), { signal: ctx.signal });
    await response.body?.cancel();
    if (response.ok) return { ok: true };
    return { ok: false, message: statusError(system, response.status).message };
  } catch {
    return { ok: false, message: transportError(system, ctx.signal).message };
  }
}

/** HTTP(S) URL only: a `javascript:` or `file:` URL in a connector config or input is a mistake or an attack. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'Bitte eine http- oder https-Adresse angeben.' });
