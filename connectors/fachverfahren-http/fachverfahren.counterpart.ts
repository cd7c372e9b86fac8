import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import {
  badRequest,
  type DoubleRequest,
  type DoubleResponse,
  type HttpDouble,
  type HttpDoubleOptions,
  hasBearer,
  notFoundResponse,
  parseJsonBody,
  startHttpDouble,
  unauthorizedResponse,
} from '../shared/http-counterpart.ts';

/** Register entries the counterpart answers look-ups from, by register name. */
export type FachverfahrenSeed = Record<string, Record<string, unknown>[]>;

/** A message the Fachverfahren took in; XML messages keep their text and their parsed root element as payload. */
export type ReceivedMessage = {
  messageType: string;
  idempotencyKey: string;
  format: 'json' | 'xml';
  payload: Record<string, unknown>;
  xml?: string;
  reference: string;
  answer?: Record<string, unknown>;
};

/** Computes the back office's answer to a message of one type, e.g. the booked pickup date. */
export type MessageAnswer = (message: Pick<ReceivedMessage, 'messageType' | 'payload'>) => Record<string, unknown>;

/** Options of the Fachverfahren counterpart. */
export type FachverfahrenCounterpartOptions = HttpDoubleOptions & {
  /** Expected bearer token; default `test-key`. */
  apiKey?: string;
  /** e.g. `{ standesamt: [{ familyName: 'Muster', birthDate: '1990-05-01' }] }`. */
  seed?: FachverfahrenSeed;
  /** Answers by message type; default {@link defaultAnswers}. */
  answers?: Record<string, MessageAnswer>;
};

/** The running Fachverfahren counterpart with its inspection API. */
export type FachverfahrenCounterpart = HttpDouble & {
  /** Messages taken in, in order; a replayed request adds none. */
  received: readonly ReceivedMessage[];
  /** Messages taken in under an idempotency key: 1 when retries were deduplicated. */
  deliveries(idempotencyKey: string): number;
  /** Send requests that arrived with an idempotency key, replays included. */
  requests(idempotencyKey: string): number;
  /** Look-up queries per register, in order. */
  lookups: readonly { register: string; query: Record<string, string | number> }[];
};

/** Largest XML message taken in: 1 MiB. */
const MAX_XML_BYTES = 1024 * 1024;

const messageBody = z.object({
  messageType: z.string().min(1),
  idempotencyKey: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
});

const lookupBody = z.object({ query: z.record(z.string(), z.union([z.string(), z.number()])) });

const pickupRequest = z.object({ preferredWeek: z.iso.date() });

/**
 * The waste system books bulky-waste pickups (`sperrmuell.buchung`) on the Wednesday of the week the citizen
 * preferred (`payload.preferredWeek`, any day of that week).
 */
function bookPickup(message: Pick<ReceivedMessage, 'payload'>): Record<string, unknown> {
  const parsed = pickupRequest.safeParse(message.payload);
  if (!parsed.success) return {};
  const day = new Date(`${parsed.data.preferredWeek}T00:00:00Z`);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - sinceMonday + 2);
  return { pickupDate: day.toISOString().slice(0, 10) };
}

/** What the counterpart answers without `answers`: the Sperrmüll booking. */
export const defaultAnswers: Record<string, MessageAnswer> = { 'sperrmuell.buchung': bookPickup };

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  // Only the five predefined entities are left to resolve: declarations are refused before parsing.
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses an untrusted XML message: DOCTYPE and entity declarations are refused before any parser sees the text
 * (XXE, billion laughs), then it must be well-formed. Returns the root element's content or a German problem.
 */
export function parseIncomingXml(
  xml: string,
): { ok: true; root: Record<string, unknown> } | { ok: false; problem: string } {
  if (Buffer.byteLength(xml) > MAX_XML_BYTES) return { ok: false, problem: 'Nachricht zu groß' };
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    return { ok: false, problem: 'DOCTYPE- und ENTITY-Deklarationen sind nicht erlaubt' };
  }
  if (XMLValidator.validate(xml) !== true) return { ok: false, problem: 'Kein wohlgeformtes XML' };
  const document: unknown = xmlParser.parse(xml);
  const roots = Object.entries(document as Record<string, unknown>).filter(([name]) => !name.startsWith('?'));
  const content = roots[0]?.[1];
  if (roots.length !== 1 || content === null || typeof content !== 'object') {
    return { ok: false, problem: 'Die Nachricht braucht genau ein Wurzelelement mit Inhalt' };
  }
  return { ok: true, root: content as Record<string, unknown> };
}

/**
 * Starts a back-office system (Fachverfahren) on 127.0.0.1: idempotent intake of JSON and XML messages, register
 * look-ups from seed data, answers by message type, and injected failures (`failNext`: 5xx, slow, reset) for tests
 * and the demo.
 */
export async function startFachverfahrenCounterpart(
  options: FachverfahrenCounterpartOptions = {},
): Promise<FachverfahrenCounterpart> {
  const apiKey = options.apiKey ?? 'test-key';
  const seed = options.seed ?? {};
  const answers = options.answers ?? defaultAnswers;
  const received: ReceivedMessage[] = [];
  const byKey = new Map<string, { message: ReceivedMessage; fingerprint: string }>();
  const requestCounts = new Map<string, number>();
  const lookups: { register: string; query: Record<string, string | number> }[] = [];

  function readMessage(
    request: DoubleRequest,
  ): { ok: true; message: Omit<ReceivedMessage, 'reference'>; fingerprint: string } | { ok: false; problem: string } {
    if (!request.headers['content-type']?.includes('xml')) {
      const parsed = messageBody.safeParse(parseJsonBody(request.body));
      if (!parsed.success) return { ok: false, problem: 'Ungültige Nachricht' };
      return { ok: true, message: { ...parsed.data, format: 'json' }, fingerprint: JSON.stringify(parsed.data) };
    }
    const messageType = request.query.get('messageType');
    const idempotencyKey = request.headers['idempotency-key'];
    if (!messageType || typeof idempotencyKey !== 'string' || idempotencyKey === '') {
      return { ok: false, problem: 'messageType und Idempotency-Key fehlen' };
    }
    const parsed = parseIncomingXml(request.body);
    if (!parsed.ok) return parsed;
    const message = { messageType, idempotencyKey, format: 'xml' as const, payload: parsed.root, xml: request.body };
    return { ok: true, message, fingerprint: `${messageType}\n${request.body}` };
  }

  function receive(request: DoubleRequest): DoubleResponse {
    const read = readMessage(request);
    if (!read.ok) return badRequest(read.problem);
    const { idempotencyKey } = read.message;
    requestCounts.set(idempotencyKey, (requestCounts.get(idempotencyKey) ?? 0) + 1);
    const existing = byKey.get(idempotencyKey);
    if (existing !== undefined) {
      if (existing.fingerprint !== read.fingerprint) {
        return { status: 409, json: { error: 'idempotencyKey wurde mit anderen Daten verwendet' } };
      }
      return { status: 200, json: reply(existing.message) };
    }
    const answer = answers[read.message.messageType]?.(read.message);
    const message: ReceivedMessage = {
      ...read.message,
      reference: `FV-${String(received.length + 1).padStart(6, '0')}`,
      ...(answer === undefined ? {} : { answer }),
    };
    received.push(message);
    byKey.set(idempotencyKey, { message, fingerprint: read.fingerprint });
    return { status: 201, json: reply(message) };
  }

  function lookup(register: string, request: DoubleRequest): DoubleResponse {
    const entries = seed[register];
    if (entries === undefined) return notFoundResponse;
    const parsed = lookupBody.safeParse(parseJsonBody(request.body));
    if (!parsed.success) return badRequest('Ungültige Abfrage');
    const { query } = parsed.data;
    lookups.push({ register, query });
    const matches = entries.filter((entry) =>
      Object.entries(query).every(([field, value]) => {
        const stored = entry[field];
        return (typeof stored === 'string' || typeof stored === 'number') && String(stored) === String(value);
      }),
    );
    return { status: 200, json: { found: matches.length > 0, matches: matches.length, record: matches[0] ?? null } };
  }

  function handle(request: DoubleRequest): DoubleResponse {
    const parts = request.path.split('/').filter((part) => part !== '');
    const [resource, register] = parts.map((part) => decodeURIComponent(part));
    if (request.method === 'GET' && resource === 'health' && parts.length === 1) {
      return { status: 200, json: { status: 'ok' } };
    }
    if (request.method !== 'POST') return notFoundResponse;
    if (resource !== 'messages' && resource !== 'lookup') return notFoundResponse;
    if (!hasBearer(request, apiKey)) return unauthorizedResponse;
    if (resource === 'messages' && parts.length === 1) return receive(request);
    if (resource === 'lookup' && register !== undefined && parts.length === 2) return lookup(register, request);
    return notFoundResponse;
  }

  const server = await startHttpDouble(handle, options);
  return {
    ...server,
    received,
    deliveries: (key) => received.filter((message) => message.idempotencyKey === key).length,
    requests: (key) => requestCounts.get(key) ?? 0,
    lookups,
  };
}

function reply(message: ReceivedMessage): { reference: string; answer?: Record<string, unknown> } {
  return message.answer === undefined
    ? { reference: message.reference }
    : { reference: message.reference, answer: message.answer };
}
