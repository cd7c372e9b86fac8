import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { germanPage, PAGE_HEADERS } from '../shared/counterpart-page.ts';
import {
  badRequest,
  type HttpDoubleOptions as CounterpartOptions,
  type DoubleRequest as CounterpartRequest,
  type DoubleResponse as CounterpartResponse,
  type HttpDouble as CounterpartServer,
  escapeHtml,
  hasBearer,
  notFoundResponse,
  parseJsonBody,
  startHttpDouble as startCounterpartServer,
  unauthorizedResponse,
} from '../shared/http-counterpart.ts';

/** A delivery as the postbox announces it to the citizen (a real postbox sends an e-mail with the link). */
export type DeliveryNotice = { messageId: string; inboxUrl: string };

/** Options of the citizen postbox counterpart. */
export type PostboxCounterpartOptions = CounterpartOptions & {
  /** Expected bearer token; default `test-key`. */
  apiKey?: string;
  /** Called after each new delivery with the secret link to the recipient's inbox. */
  onDelivered?: (notice: DeliveryNotice) => void;
};

const messageBody = z.object({
  recipient: z.string().min(1).max(200),
  subject: z.string().min(1),
  body: z.string(),
  attachments: z
    .array(z.object({ filename: z.string().min(1), contentType: z.string().min(1), contentBase64: z.base64() }))
    .optional(),
});

/** A message delivered into a citizen's postbox. */
export type PostboxMessage = z.output<typeof messageBody> & {
  messageId: string;
  idempotencyKey: string;
  deliveredAt: Date;
  status: 'delivered' | 'read' | 'failed';
};

/** The running postbox counterpart with its inspection API. */
export type PostboxCounterpart = CounterpartServer & {
  /** Delivered messages in order; a replayed request adds none. */
  messages: readonly PostboxMessage[];
  /** Messages delivered under an idempotency key: 1 when retries were deduplicated. */
  deliveries(idempotencyKey: string): number;
  /** Requests that arrived with an idempotency key, replays included. */
  requests(idempotencyKey: string): number;
  /** Sets a message's status, e.g. `read` once the citizen opened it. */
  setStatus(messageId: string, status: PostboxMessage['status']): void;
  /** The secret link to a recipient's inbox; undefined before the first delivery to it. */
  inboxUrl(recipient: string): string | undefined;
};

const SITE = 'Bürgerpostfach (Testsystem)';
const dateTime = new Intl.DateTimeFormat('de-DE', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Berlin',
});

/**
 * Starts a Bürgerpostfach-like counterpart on 127.0.0.1: an API that deduplicates deliveries by the Idempotency-Key
 * header and reports their status, and an inbox page where the citizen, identified by the recipient (the tracking
 * code) plus a secret link, reads the messages and downloads their attachments.
 */
export async function startPostboxCounterpart(options: PostboxCounterpartOptions = {}): Promise<PostboxCounterpart> {
  const apiKey = options.apiKey ?? 'test-key';
  const messages: PostboxMessage[] = [];
  const byKey = new Map<string, { message: PostboxMessage; fingerprint: string }>();
  const requestCounts = new Map<string, number>();
  /** recipient → access token of the secret link. */
  const tokens = new Map<string, string>();
  let baseUrl = '';

  const inboxPath = (recipient: string) => `/postfach/${encodeURIComponent(recipient)}`;
  const inboxUrl = (recipient: string) => {
    const token = tokens.get(recipient);
    return token === undefined ? undefined : `${baseUrl}${inboxPath(recipient)}?zugang=${token}`;
  };

  function deliver(request: CounterpartRequest): CounterpartResponse {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return badRequest('Idempotency-Key fehlt');
    const parsed = messageBody.safeParse(parseJsonBody(request.body));
    if (!parsed.success) return badRequest('Ungültige Nachricht');
    requestCounts.set(key, (requestCounts.get(key) ?? 0) + 1);
    const fingerprint = JSON.stringify(parsed.data);
    const existing = byKey.get(key);
    if (existing !== undefined) {
      if (existing.fingerprint !== fingerprint) {
        return { status: 409, json: { error: 'Idempotency-Key wurde mit anderen Daten verwendet' } };
      }
      return { status: 200, json: { messageId: existing.message.messageId } };
    }
    const message: PostboxMessage = {
      ...parsed.data,
      messageId: `msg-${String(messages.length + 1).padStart(6, '0')}`,
      idempotencyKey: key,
      deliveredAt: new Date(),
      status: 'delivered',
    };
    messages.push(message);
    byKey.set(key, { message, fingerprint });
    if (!tokens.has(message.recipient)) tokens.set(message.recipient, randomBytes(18).toString('base64url'));
    options.onDelivered?.({ messageId: message.messageId, inboxUrl: inboxUrl(message.recipient) ?? '' });
    return { status: 201, json: { messageId: message.messageId } };
  }

  /** True when the request carries the recipient's access token (compared in constant time). */
  function mayRead(recipient: string, request: CounterpartRequest): boolean {
    const expected = tokens.get(recipient);
    const given = request.query.get('zugang') ?? '';
    if (expected === undefined || given.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  }

  function inbox(recipient: string, token: string): CounterpartResponse {
    const own = messages.filter((m) => m.recipient === recipient);
    const rows = own
      .map(
        (m) => `<tr>
  <td>${escapeHtml(dateTime.format(m.deliveredAt))}</td>
  <td><a href="${messageHref(recipient, m.messageId, token)}">${escapeHtml(m.subject)}</a></td>
  <td>${m.status === 'delivered' ? '<strong>neu</strong>' : m.status === 'read' ? 'gelesen' : 'nicht zustellbar'}</td>
</tr>`,
      )
      .join('\n');
    return page(
      200,
      'Ihr Postfach',
      `<p>Vorgangsnummer: <strong>${escapeHtml(recipient)}</strong></p>
<table>
<caption>${own.length === 1 ? '1 Nachricht' : `${own.length} Nachrichten`}</caption>
<thead><tr><th scope="col">Eingang</th><th scope="col">Betreff</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
    );
  }

  function messagePage(recipient: string, messageId: string, token: string): CounterpartResponse {
    const message = messages.find((m) => m.messageId === messageId && m.recipient === recipient);
    if (message === undefined) return page(404, 'Nachricht nicht gefunden', '');
    if (message.status === 'delivered') message.status = 'read';
    const attachments = (message.attachments ?? [])
      .map(
        (a) =>
          `<li><a href="data:${escapeHtml(a.contentType)};base64,${a.contentBase64}" download="${escapeHtml(a.filename)}">` +
          `${escapeHtml(a.filename)}</a> (${escapeHtml(a.contentType)}, ${kilobytes(a.contentBase64)})</li>`,
      )
      .join('\n');
    return page(
      200,
      message.subject,
      `<p>Eingegangen am ${escapeHtml(dateTime.format(message.deliveredAt))}</p>
<div class="text">${linkify(escapeHtml(message.body))}</div>
${attachments === '' ? '' : `<h2>Anhänge</h2>\n<ul>\n${attachments}\n</ul>`}
<p><a href="${inboxPath(recipient)}?zugang=${token}">Zurück zum Postfach</a></p>`,
    );
  }

  function handle(request: CounterpartRequest): CounterpartResponse {
    const parts = request.path.split('/').filter((part) => part !== '');
    const [resource, id, messageId] = parts.map((part) => decodeURIComponent(part));
    if (request.method === 'GET' && resource === 'health' && parts.length === 1) {
      return { status: 200, json: { status: 'ok' } };
    }
    if (request.method === 'GET' && resource === 'postfach') {
      if (id === undefined) {
        return page(
          200,
          'Bürgerpostfach',
          '<p>Öffnen Sie Ihr Postfach über den persönlichen Link aus Ihrer Benachrichtigung.</p>',
        );
      }
      // Without the right link an inbox does not exist, so nobody learns which tracking codes have mail.
      if (!mayRead(id, request)) return page(404, 'Postfach nicht gefunden', '<p>Bitte prüfen Sie den Link.</p>');
      const token = tokens.get(id) ?? '';
      if (parts.length === 2) return inbox(id, token);
      if (parts.length === 3 && messageId !== undefined) return messagePage(id, messageId, token);
      return notFoundResponse;
    }
    if (resource !== 'messages') return notFoundResponse;
    if (!hasBearer(request, apiKey)) return unauthorizedResponse;
    if (request.method === 'POST' && parts.length === 1) return deliver(request);
    if (request.method === 'GET' && parts.length === 2) {
      const message = messages.find((candidate) => candidate.messageId === id);
      return message === undefined ? notFoundResponse : { status: 200, json: { status: message.status } };
    }
    return notFoundResponse;
  }

  const server = await startCounterpartServer(handle, options);
  baseUrl = server.url;
  return {
    ...server,
    messages,
    deliveries: (key) => messages.filter((message) => message.idempotencyKey === key).length,
    requests: (key) => requestCounts.get(key) ?? 0,
    setStatus(messageId, status) {
      const message = messages.find((candidate) => candidate.messageId === messageId);
      if (message === undefined) throw new Error(`unknown message ${messageId}`);
      message.status = status;
    },
    inboxUrl,
  };
}

function messageHref(recipient: string, messageId: string, token: string): string {
  return `/postfach/${encodeURIComponent(recipient)}/${encodeURIComponent(messageId)}?zugang=${token}`;
}

function page(status: number, title: string, content: string): CounterpartResponse {
  return { status, html: germanPage(title, content, SITE), headers: { ...PAGE_HEADERS } };
}

/** Makes http(s) addresses in escaped text clickable (the payment link in a payment request). */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<&]+/g, (url) => `<a href="${url}">${url}</a>`);
}

function kilobytes(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4);
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('de-DE')} KB`;
}
