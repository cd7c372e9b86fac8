import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FachverfahrenCounterpart, startFachverfahrenCounterpart } from './fachverfahren.counterpart.ts';

let counterpart: FachverfahrenCounterpart;

beforeEach(async () => {
  counterpart = await startFachverfahrenCounterpart({
    slowMs: 200,
    seed: { standesamt: [{ familyName: 'Muster', birthDate: '1990-05-01', children: 2 }] },
  });
});

afterEach(async () => {
  await counterpart.close();
});

function post(path: string, body: unknown, apiKey = 'test-key') {
  return fetch(`${counterpart.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function postXml(xml: string, options: { messageType?: string; idempotencyKey?: string } = {}) {
  const headers: Record<string, string> = {
    authorization: 'Bearer test-key',
    'content-type': 'application/xml; charset=utf-8',
  };
  if (options.idempotencyKey !== '') headers['idempotency-key'] = options.idempotencyKey ?? 'case-2:transmit:1';
  const query = options.messageType === '' ? '' : `?messageType=${options.messageType ?? 'hundesteuer.anmeldung'}`;
  return fetch(`${counterpart.url}/messages${query}`, { method: 'POST', headers, body: xml });
}

const message = { messageType: 'geburt.anzeige', idempotencyKey: 'case-1:send:1', payload: { a: 1 } };
const xml =
  '<?xml version="1.0" encoding="UTF-8"?>\n<hst:anmeldung xmlns:hst="urn:test" version="1.0"><hst:halter><hst:name>Jörg &amp; Co</hst:name></hst:halter></hst:anmeldung>';

describe('Fachverfahren counterpart', () => {
  it('takes a message once per idempotencyKey', async () => {
    expect((await post('/messages', message)).status).toBe(201);
    expect((await post('/messages', message)).status).toBe(200);
    expect((await post('/messages', { ...message, payload: { a: 2 } })).status).toBe(409);
    expect((await post('/messages', { messageType: 'x' })).status).toBe(400);
    expect((await post('/messages', message, 'falsch')).status).toBe(401);
    expect(counterpart.deliveries(message.idempotencyKey)).toBe(1);
    expect(counterpart.requests(message.idempotencyKey)).toBe(3);
    expect(counterpart.received[0]).toMatchObject({ ...message, format: 'json', reference: 'FV-000001' });
  });

  it('takes an XML message once, stores its text and parsed content', async () => {
    const first = await postXml(xml);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ reference: 'FV-000001' });
    expect((await postXml(xml)).status).toBe(200);
    expect((await postXml(xml.replace('Co', 'Partner'))).status).toBe(409);
    expect(counterpart.received).toHaveLength(1);
    expect(counterpart.received[0]).toMatchObject({
      messageType: 'hundesteuer.anmeldung',
      idempotencyKey: 'case-2:transmit:1',
      format: 'xml',
      xml,
      payload: { '@version': '1.0', halter: { name: 'Jörg & Co' } },
    });
  });

  it('refuses XML with a DOCTYPE or entity declaration, malformed XML and XML without its headers', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>`;
    const refused = await postXml(xxe);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'DOCTYPE- und ENTITY-Deklarationen sind nicht erlaubt' });
    expect((await postXml('<a><b></a>', { idempotencyKey: 'k2' })).status).toBe(400);
    expect((await postXml('<a>text</a>', { idempotencyKey: 'k3' })).status).toBe(400);
    expect((await postXml(xml, { messageType: '' })).status).toBe(400);
    expect((await postXml(xml, { idempotencyKey: '' })).status).toBe(400);
    expect(counterpart.received).toHaveLength(0);
  });

  it('answers a Sperrmüll booking with the Wednesday of the preferred week, also on replay', async () => {
    const booking = {
      messageType: 'sperrmuell.buchung',
      idempotencyKey: 'case-4:book:1',
      payload: { preferredWeek: '2026-03-15' },
    };
    const first = await post('/messages', booking);
    expect(await first.json()).toEqual({ reference: 'FV-000001', answer: { pickupDate: '2026-03-11' } });
    expect(await (await post('/messages', booking)).json()).toEqual({
      reference: 'FV-000001',
      answer: { pickupDate: '2026-03-11' },
    });
    const monday = { ...booking, idempotencyKey: 'case-5:book:1', payload: { preferredWeek: '2026-03-16' } };
    expect((await (await post('/messages', monday)).json()).answer).toEqual({ pickupDate: '2026-03-18' });
  });

  it('matches look-ups when every query field equals, numbers and strings alike', async () => {
    const lookup = async (query: unknown) => (await post('/lookup/standesamt', { query })).json();
    expect(await lookup({ familyName: 'Muster', children: '2' })).toMatchObject({ found: true, matches: 1 });
    expect(await lookup({ familyName: 'Muster', children: 3 })).toEqual({ found: false, matches: 0, record: null });
    expect(await lookup({ familyName: 'Muster', unknownField: 'x' })).toMatchObject({ found: false });
    expect((await post('/lookup/gewerbe', { query: {} })).status).toBe(404);
    expect(counterpart.lookups.map((entry) => entry.register)).toEqual(['standesamt', 'standesamt', 'standesamt']);
  });

  it('holds a slow answer back but still carries the request out', async () => {
    counterpart.failNext(1, 'slow');
    const started = performance.now();
    const response = await post('/messages', message);
    expect(response.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(counterpart.deliveries(message.idempotencyKey)).toBe(1);
  });

  it('answers health checks', async () => {
    expect(await (await fetch(`${counterpart.url}/health`)).json()).toEqual({ status: 'ok' });
  });
});
