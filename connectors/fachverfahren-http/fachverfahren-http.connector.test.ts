import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorDefinition } from '../../engine/connectors/connector.ts';
import { runOperation, testContext } from '../shared/test-context.ts';
import { type FachverfahrenCounterpart, startFachverfahrenCounterpart } from './fachverfahren.counterpart.ts';
import {
  createFachverfahrenHttpConnector,
  type FachverfahrenConfig,
  fachverfahrenHttpConnector,
} from './fachverfahren-http.connector.ts';

const key = 'case-3:hand-over:1';
const seed = {
  standesamt: [
    { familyName: 'Muster', givenName: 'Erika', birthDate: '1990-05-01', registerNumber: 'G 123/1990' },
    { familyName: 'Muster', givenName: 'Max', birthDate: '1988-02-29', registerNumber: 'G 77/1988' },
  ],
  hundesteuer: [{ taxNumber: 4711, owner: 'Jörg Müller' }],
};

let double: FachverfahrenCounterpart;

beforeEach(async () => {
  double = await startFachverfahrenCounterpart({ seed, slowMs: 300 });
});

afterEach(async () => {
  await double.close();
});

function ctx(options: { idempotencyKey?: string; signal?: AbortSignal; apiKey?: string } = {}) {
  return testContext<FachverfahrenConfig>(fachverfahrenHttpConnector, {
    config: { baseUrl: double.url },
    secrets: { apiKey: options.apiKey ?? 'test-key' },
    idempotencyKey: options.idempotencyKey ?? key,
    signal: options.signal,
  });
}

const send = (input: unknown, context = ctx()) => runOperation(fachverfahrenHttpConnector, 'send', input, context);
const lookup = (input: unknown, context = ctx()) => runOperation(fachverfahrenHttpConnector, 'lookup', input, context);

const application = { messageType: 'hundesteuer.anmeldung', payload: { owner: 'Jörg Müller', dogs: 1 } };

describe('fachverfahren-http@1 send', () => {
  it('hands a message over once per idempotency key', async () => {
    const first = await send(application);
    expect(await send(application)).toEqual(first);
    expect(first).toEqual({ reference: 'FV-000001' });
    expect(double.deliveries(key)).toBe(1);
    expect(double.requests(key)).toBe(2);
    expect(double.received[0]).toMatchObject({ ...application, idempotencyKey: key });
  });

  it('keeps messages of different steps apart', async () => {
    await send(application);
    await send(application, ctx({ idempotencyKey: 'case-3:hand-over:2' }));
    expect(double.received.map((message) => message.reference)).toEqual(['FV-000001', 'FV-000002']);
  });

  it('retries through 5xx and a dropped connection without a second effect', async () => {
    double.failNext(1, '500');
    double.failNext(1, 'reset');
    await expect(send(application)).rejects.toMatchObject({ code: 'server_error', retryable: true });
    await expect(send(application)).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    await expect(send(application)).resolves.toEqual({ reference: 'FV-000001' });
    expect(double.deliveries(key)).toBe(1);
  });

  it('turns an abort into a retryable timeout', async () => {
    double.failNext(1, 'slow');
    await expect(send(application, ctx({ signal: AbortSignal.timeout(50) }))).rejects.toMatchObject({
      name: 'ConnectorError',
      code: 'timeout',
      retryable: true,
    });
    const aborted = new AbortController();
    aborted.abort();
    await expect(send(application, ctx({ signal: aborted.signal }))).rejects.toMatchObject({ code: 'timeout' });
  });

  it('does not retry a rejected API key', async () => {
    await expect(send(application, ctx({ apiKey: 'falsch' }))).rejects.toMatchObject({
      code: 'unauthorized',
      retryable: false,
    });
  });
});

describe('fachverfahren-http@1 lookup', () => {
  it('finds a register entry when every query field matches', async () => {
    expect(await lookup({ register: 'standesamt', query: { familyName: 'Muster', birthDate: '1990-05-01' } })).toEqual({
      found: true,
      matches: 1,
      record: seed.standesamt[0],
    });
    expect(await lookup({ register: 'standesamt', query: { familyName: 'Muster' } })).toMatchObject({
      found: true,
      matches: 2,
    });
    expect(await lookup({ register: 'hundesteuer', query: { taxNumber: 4711 } })).toMatchObject({ matches: 1 });
  });

  it('answers not found without an error', async () => {
    expect(await lookup({ register: 'standesamt', query: { familyName: 'Muster', birthDate: '1990-05-02' } })).toEqual({
      found: false,
      matches: 0,
      record: null,
    });
  });

  it('reports an unknown register as a non-retryable error', async () => {
    await expect(lookup({ register: 'gewerbe', query: { name: 'x' } })).rejects.toMatchObject({
      code: 'not_found',
      retryable: false,
    });
  });

  it('refuses register names that would change the URL path', async () => {
    await expect(lookup({ register: '../messages', query: {} })).rejects.toThrow();
    expect(double.lookups).toHaveLength(0);
  });
});

describe('fachverfahren-http@1 health', () => {
  it('reports a failing back office as unhealthy', async () => {
    const { signal, config, secret, fetch, log, tenantId } = ctx();
    const health = () => fachverfahrenHttpConnector.health!({ signal, config, secret, fetch, log, tenantId });
    await expect(health()).resolves.toEqual({ ok: true });
    double.failNext(1, '500');
    await expect(health()).resolves.toMatchObject({ ok: false, message: expect.stringContaining('HTTP 500') });
  });
});

/** A dog-tax registration as the Hundeanmeldung procedure sends it (see workflows/hundeanmeldung). */
const registration = {
  messageType: 'hundesteuer.anmeldung',
  format: 'xml',
  template: 'hundeanmeldung/hundesteuer-anmeldung',
  payload: {
    caseNumber: 'HUN-2026-000042',
    owner: { givenNames: 'Jörg', familyName: 'Müller & Söhne', dateOfBirth: '1980-04-02', phone: null },
    address: { street: 'Hauptstraße 1', postalCode: '12345', city: 'Musterstadt' },
    dog: {
      name: 'Bello <der Große>\u0007',
      breed: 'Labrador Retriever',
      dateOfBirth: '2024-01-10',
      chipNumber: '276098106543210',
      keptSince: '2026-02-01',
    },
    registeredDogs: 0,
    taxClass: 'first',
    annualTaxCents: 9600,
  },
};

function withPayload(change: (payload: typeof registration.payload) => void) {
  const payload = structuredClone(registration.payload);
  change(payload);
  return { ...registration, payload };
}

describe('fachverfahren-http@1 send as XML', () => {
  it('renders the dog-tax registration (without characters XML cannot carry), checks it against the XSD and sends it', async () => {
    await expect(send(registration)).resolves.toEqual({ reference: 'FV-000001' });
    const [message] = double.received;
    expect(message).toMatchObject({
      messageType: 'hundesteuer.anmeldung',
      idempotencyKey: key,
      format: 'xml',
      payload: {
        '@version': '1.0',
        nachrichtenkopf: {
          nachrichtenId: key,
          nachrichtentyp: 'hundesteuer.anmeldung',
          aktenzeichen: 'HUN-2026-000042',
        },
        halter: { familienname: 'Müller & Söhne', anschrift: { postleitzahl: '12345' } },
        hund: { name: 'Bello <der Große>', chipnummer: '276098106543210' },
        steuer: { steuersatz: 'first', jahressteuerCent: '9600' },
      },
    });
    expect(message?.xml).toContain(
      '<hst:hundesteuer.anmeldung.0101 xmlns:hst="urn:xoev-de:musterstadt:standard:hundesteuer"',
    );
    expect(message?.xml).toContain('<hst:familienname>Müller &amp; Söhne</hst:familienname>');
    expect(message?.xml).not.toContain('telefon');
    expect(message?.xml).not.toMatch(/<!DOCTYPE/i);
  });

  it('writes optional elements when the payload has them, and replays idempotently', async () => {
    const withPhone = withPayload((payload) => {
      Object.assign(payload.owner, { phone: '0123 45678' });
    });
    const first = await send(withPhone);
    expect(await send(withPhone)).toEqual(first);
    expect(double.deliveries(key)).toBe(1);
    expect(double.received[0]?.xml).toContain('<hst:telefon>0123 45678</hst:telefon>');
  });

  it('refuses data the XSD rejects, without retry and without sending, naming the XSD problem', async () => {
    const invalid = withPayload((payload) => {
      payload.owner.dateOfBirth = '1980-13-02';
    });
    const error = await send(invalid).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ConnectorError', code: 'invalid_message', retryable: false });
    const { message } = error as Error;
    expect(message).toContain('XSD „hundesteuer-anmeldung.xsd“');
    expect(message).toContain("Element 'geburtsdatum'");
    expect(message).toContain("'xs:date'");
    // The offending value may be personal data: it stays out of the message (and so out of incidents).
    expect(message).not.toContain('1980-13-02');

    const pattern = withPayload((payload) => {
      payload.dog.chipNumber = '12345';
    });
    await expect(send(pattern)).rejects.toMatchObject({
      code: 'invalid_message',
      message: expect.stringContaining("Element 'chipnummer'"),
    });
    expect(double.requests(key)).toBe(0);
  });

  it('names the element and payload field when a required value is missing', async () => {
    const missing = withPayload((payload) => {
      Reflect.deleteProperty(payload.owner, 'familyName');
    });
    await expect(send(missing)).rejects.toMatchObject({
      code: 'invalid_message',
      retryable: false,
      message: 'Für das Element „halter/familienname“ fehlt die Angabe „owner.familyName“ in den Nachrichtendaten.',
    });
    const nested = withPayload((payload) => {
      Object.assign(payload.dog, { name: { first: 'Bello' } });
    });
    await expect(send(nested)).rejects.toMatchObject({ code: 'invalid_message', retryable: false });
  });

  it('needs a template for XML and refuses unknown ones and path tricks', async () => {
    await expect(send({ ...registration, template: undefined })).rejects.toThrow('Vorlage');
    await expect(send({ ...registration, template: '../etc/passwd' })).rejects.toThrow();
    await expect(send({ ...registration, template: 'hundeanmeldung/gibt-es-nicht' })).rejects.toMatchObject({
      code: 'template_not_found',
      retryable: false,
    });
  });

  it('retries a 5xx and a dropped connection, and turns an abort into a timeout', async () => {
    double.failNext(1, '500');
    double.failNext(1, 'reset');
    await expect(send(registration)).rejects.toMatchObject({ code: 'server_error', retryable: true });
    await expect(send(registration)).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    double.failNext(1, 'slow');
    await expect(send(registration, ctx({ signal: AbortSignal.timeout(50) }))).rejects.toMatchObject({
      code: 'timeout',
      retryable: true,
    });
    await expect(send(registration)).resolves.toEqual({ reference: 'FV-000001' });
    expect(double.deliveries(key)).toBe(1);
  });
});

describe('fachverfahren-http@1 XML templates', () => {
  let folder: string;
  let connector: ConnectorDefinition<FachverfahrenConfig>;
  const xsd = readFile(
    new URL('../../workflows/hundeanmeldung/xml/hundesteuer-anmeldung.xsd', import.meta.url),
    'utf8',
  );

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'xml-vorlagen-'));
    await mkdir(join(folder, 'test', 'xml'), { recursive: true });
    connector = createFachverfahrenHttpConnector({ xmlCatalog: pathToFileURL(`${folder}/`) });
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function sendWith(name: string, files: Record<string, string>) {
    for (const [file, contents] of Object.entries(files)) await writeFile(join(folder, 'test', 'xml', file), contents);
    const context = testContext<FachverfahrenConfig>(connector, {
      config: { baseUrl: double.url },
      secrets: { apiKey: 'test-key' },
      idempotencyKey: key,
    });
    return runOperation(connector, 'send', { ...registration, template: `test/${name}` }, context);
  }

  const template = (schema: string) =>
    JSON.stringify({
      schema,
      namespace: 'urn:test',
      root: 'nachricht',
      fields: [{ path: 'name', from: 'dog.name' }],
    });

  it('reports a malformed template, a missing XSD and an XSD that does not compile as non-retryable', async () => {
    await expect(sendWith('kaputt', { 'kaputt.template.json': '{"schema":' })).rejects.toMatchObject({
      code: 'bad_template',
      retryable: false,
    });
    await expect(
      sendWith('ohne-feld', { 'ohne-feld.template.json': JSON.stringify({ schema: 'a.xsd', namespace: 'urn:test' }) }),
    ).rejects.toMatchObject({ code: 'bad_template', message: expect.stringContaining('root') });
    await expect(sendWith('ohne-xsd', { 'ohne-xsd.template.json': template('fehlt.xsd') })).rejects.toMatchObject({
      code: 'bad_template',
      message: expect.stringContaining('fehlt.xsd'),
    });
    await expect(
      sendWith('falsches-xsd', {
        'falsches-xsd.template.json': template('falsch.xsd'),
        'falsch.xsd': (await xsd).replace('type="hst:Halter"', 'type="hst:GibtEsNicht"'),
      }),
    ).rejects.toMatchObject({ code: 'bad_template', retryable: false });
    expect(double.requests(key)).toBe(0);
  });

  it('renders a template without prefix in the default namespace', async () => {
    const schema = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test" elementFormDefault="qualified">
  <xs:element name="nachricht"><xs:complexType><xs:sequence>
    <xs:element name="name" type="xs:string"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;
    await sendWith('einfach', { 'einfach.template.json': template('einfach.xsd'), 'einfach.xsd': schema });
    expect(double.received[0]?.xml).toContain('<nachricht xmlns="urn:test">');
    expect(double.received[0]?.payload).toEqual({ name: 'Bello <der Große>' });
  });
});
