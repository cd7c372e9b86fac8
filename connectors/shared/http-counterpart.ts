import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** How an injected failure looks to the client: HTTP 500, an answer that comes too late, or a dropped connection. */
export type FailureMode = '500' | 'slow' | 'reset';

/** One request as the counterpart's handler sees it: the body is read completely beforehand. */
export type DoubleRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
};

/** What a handler answers; `headers` may add a `location` for redirects. */
export type DoubleResponse = {
  status: number;
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
};

/** Options every counterpart (test double) shares. */
export type HttpDoubleOptions = {
  /** How long a `slow` failure holds the answer back before answering normally; default 2000 ms. */
  slowMs?: number;
};

/** The running server plus the controls every counterpart shares. */
export type HttpDouble = {
  url: string;
  /** The next `count` requests fail in `mode`; a `slow` request is still carried out after the delay. */
  failNext(count: number, mode: FailureMode): void;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Starts a node:http server on 127.0.0.1 (free port) that routes every request through `handle`. */
export async function startHttpDouble(
  handle: (request: DoubleRequest) => DoubleResponse | Promise<DoubleResponse>,
  options: HttpDoubleOptions = {},
): Promise<HttpDouble> {
  const slowMs = options.slowMs ?? 2000;
  const failures: FailureMode[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const failure = failures.shift();
        if (failure === 'reset') {
          req.socket.destroy();
          return;
        }
        if (failure === '500') {
          send(res, { status: 500, json: { error: 'Interner Fehler (simuliert)' } });
          return;
        }
        if (failure === 'slow') {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, slowMs);
            timers.add(timer);
          });
        }
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const request = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
        };
        send(res, await handle({ ...request, body }));
      })
      .catch(() => {
        if (!res.headersSent) send(res, { status: 500, json: { error: 'Interner Fehler' } });
      });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('counterpart is not listening on TCP');

  return {
    url: `http://127.0.0.1:${address.port}`,
    failNext(count, mode) {
      for (let i = 0; i < count; i++) failures.push(mode);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: DoubleResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8';
    payload = response.html;
  } else if (response.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(response.json);
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Parses a JSON request body; `undefined` when it is not JSON. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** True when the request carries `Authorization: Bearer <apiKey>`. */
export function hasBearer(request: DoubleRequest, apiKey: string): boolean {
  return request.headers.authorization === `Bearer ${apiKey}`;
}

/** The answer for a missing or wrong API key. */
export const unauthorizedResponse: DoubleResponse = { status: 401, json: { error: 'Nicht angemeldet' } };

/** The answer for an unknown route or object. */
export const notFoundResponse: DoubleResponse = { status: 404, json: { error: 'Nicht gefunden' } };

/** The answer for a request whose body does not fit the route. */
export function badRequest(detail: string): DoubleResponse {
  return { status: 400, json: { error: detail } };
}

/** Escapes text for HTML, because the pay page shows a purpose the caller chose. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
