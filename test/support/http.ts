import type { SmtpCounterpart } from '../../connectors/email-smtp/smtp.counterpart.ts';
import type { AllDoubles } from '../doubles/index.ts';

/** A reply as tests read it; the body is parsed JSON (or the text), inspected with expect(). */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on the body's shape with expect()
export type Reply = { status: number; body: any; headers: Headers };

export type CallOptions = { body?: unknown; token?: string; headers?: Record<string, string>; timeoutMs?: number };
/** A JSON request against the API (in process or over the network). */
export type Call = (method: string, path: string, options?: CallOptions) => Promise<Reply>;

/** Headers and body of a JSON request; a string body is sent as it is. */
export function requestInit(method: string, options: CallOptions = {}): RequestInit {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  return { method, headers, body, signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined };
}

export async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (BPMN export, HTML docs)
  }
  return { status: res.status, body, headers: res.headers };
}

/** A client for a server over real HTTP; network errors (server down) reject. */
export function httpClient(baseUrl: string): Call {
  return async (method, path, options) => readReply(await fetch(`${baseUrl}${path}`, requestInit(method, options)));
}

export const WEBHOOK_SECRET = 'whsec-test';

/** Points the connectors of the signed-in admin's tenant at the doubles (and the SMTP double when given). */
export async function configureConnectors(call: Call, adminToken: string, doubles: AllDoubles, smtp?: SmtpCounterpart) {
  const configure = async (id: string, config: Record<string, unknown>, secrets: Record<string, string> = {}) => {
    const res = await call('PUT', `/api/admin/connectors/${id}/config`, {
      token: adminToken,
      body: { config, secrets },
    });
    if (res.status !== 200) throw new Error(`configure ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await configure('payment@1', { baseUrl: doubles.payment.url }, { apiKey: 'test-key', webhookSecret: WEBHOOK_SECRET });
  await configure('postbox@1', { baseUrl: doubles.postbox.url }, { apiKey: 'test-key' });
  await configure('fachverfahren-http@1', { baseUrl: doubles.fachverfahren.url }, { apiKey: 'test-key' });
  await configure('document-pdf@1', {});
  if (smtp) await configure('email-smtp@1', { host: smtp.host, port: smtp.port, from: 'noreply@musterstadt.example' });
}
