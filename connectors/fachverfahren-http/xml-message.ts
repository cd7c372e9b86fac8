import { readFile } from 'node:fs/promises';
import { create } from 'xmlbuilder2';
import { validateXML } from 'xmllint-wasm';
import { z } from 'zod';
import { ConnectorError } from '../../engine/connectors/connector.ts';

const NC_NAME = '[A-Za-z_][A-Za-z0-9._-]*';
const FIELD_PATH = '[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*';

const fieldSchema = z
  .object({
    /** Element path below the root, `halter/familienname`; a last segment `@name` is an attribute. */
    path: z
      .string()
      .regex(new RegExp(`^(?:${NC_NAME}/)*@?${NC_NAME}$`), 'Elementpfad wie „halter/familienname“ oder „@version“'),
    /** A payload field path (`owner.familyName`) or `$messageType` / `$idempotencyKey`. */
    from: z
      .string()
      .regex(new RegExp(`^(?:${FIELD_PATH}|\\$messageType|\\$idempotencyKey)$`), 'Feldpfad wie „owner.familyName“')
      .optional(),
    /** A fixed text, e.g. the standard's version. */
    value: z.string().optional(),
    /** Leave the element out when the payload has no value; otherwise a missing value fails the send. */
    optional: z.boolean().default(false),
  })
  .strict()
  .refine((field) => (field.from === undefined) !== (field.value === undefined), {
    message: 'Genau eines von „from“ und „value“ angeben',
  });

/**
 * A declarative XML message template (XÖV style): root element, namespace and an ordered list of element paths, each
 * filled from a payload field or a fixed text. It never runs code; the XSD beside it checks every rendered message.
 */
export const xmlTemplateSchema = z
  .object({
    /** File name of the XSD in the same folder, e.g. `hundesteuer-anmeldung.xsd`. */
    schema: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*\.xsd$/, 'Dateiname einer XSD-Datei im selben Ordner'),
    namespace: z.string().min(1),
    /** Namespace prefix of every element (`hst` → `hst:halter`); without it the namespace is the default one. */
    prefix: z
      .string()
      .regex(new RegExp(`^${NC_NAME}$`))
      .optional(),
    root: z.string().regex(new RegExp(`^${NC_NAME}$`)),
    /** In document order: the XSD's sequences decide it. Paths with a common start share their elements. */
    fields: z.array(fieldSchema).min(1),
  })
  .strict();

/** A parsed XML message template. */
export type XmlTemplate = z.output<typeof xmlTemplateSchema>;

/** A template with the text of its XSD, ready to render and check messages. */
export type LoadedXmlTemplate = { name: string; template: XmlTemplate; xsd: { fileName: string; contents: string } };

/** How a procedure names a template: `<procedure key>/<template name>`, e.g. `hundeanmeldung/hundesteuer-anmeldung`. */
export const templateRef = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}\/[a-z][a-z0-9-]{0,62}$/,
    'Vorlage als „verfahren/name“, etwa „hundeanmeldung/anmeldung“',
  );

/**
 * Reads `<catalog>/<procedure>/xml/<name>.template.json` and the XSD it names. A missing or malformed template is a
 * configuration fault of the procedure: non-retryable.
 */
export async function loadXmlTemplate(catalog: URL, ref: string): Promise<LoadedXmlTemplate> {
  const [procedure, name] = templateRef.parse(ref).split('/');
  const folder = new URL(`${procedure}/xml/`, catalog);
  let raw: string;
  try {
    raw = await readFile(new URL(`${name}.template.json`, folder), 'utf8');
  } catch {
    throw new ConnectorError('template_not_found', `Die XML-Vorlage „${ref}“ gibt es nicht.`, false);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badTemplate(ref, 'kein gültiges JSON');
  }
  const parsed = xmlTemplateSchema.safeParse(json);
  if (!parsed.success) {
    throw badTemplate(ref, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  let contents: string;
  try {
    contents = await readFile(new URL(parsed.data.schema, folder), 'utf8');
  } catch {
    throw badTemplate(ref, `das XSD „${parsed.data.schema}“ fehlt`);
  }
  return { name: ref, template: parsed.data, xsd: { fileName: parsed.data.schema, contents } };
}

function badTemplate(ref: string, detail: string): ConnectorError {
  return new ConnectorError('bad_template', `Die XML-Vorlage „${ref}“ ist fehlerhaft: ${detail}.`, false);
}

/** What a template may read: the payload and the message's own type and idempotency key. */
export type MessageValues = {
  payload: Record<string, unknown>;
  messageType: string;
  idempotencyKey: string;
};

function lookUp(source: string, values: MessageValues): unknown {
  if (source === '$messageType') return values.messageType;
  if (source === '$idempotencyKey') return values.idempotencyKey;
  let current: unknown = values.payload;
  for (const segment of source.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(path: string, source: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.replace(NOT_XML_CHAR, '');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ConnectorError(
    'invalid_message',
    `Für „${path}“ liefert „${source}“ keinen einfachen Wert (Text, Zahl oder Wahrheitswert).`,
    false,
  );
}

/**
 * Renders the message with xmlbuilder2: every text is escaped, no DOCTYPE is written. A required value that is
 * missing fails as a non-retryable `invalid_message` that names the element and the payload field.
 */
export function renderXmlMessage(template: XmlTemplate, values: MessageValues): string {
  const { namespace, prefix } = template;
  const qualified = (name: string) => (prefix === undefined ? name : `${prefix}:${name}`);
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(namespace, qualified(template.root));
  const elements = new Map<string, ReturnType<typeof root.ele>>();
  for (const field of template.fields) {
    const value = field.from === undefined ? field.value : text(field.path, field.from, lookUp(field.from, values));
    if (value === undefined) {
      if (field.optional) continue;
      throw new ConnectorError(
        'invalid_message',
        `Für das Element „${field.path}“ fehlt die Angabe „${field.from}“ in den Nachrichtendaten.`,
        false,
      );
    }
    const segments = field.path.split('/');
    const last = segments.pop() ?? '';
    let parent = root;
    let key = '';
    for (const segment of segments) {
      key = `${key}/${segment}`;
      let element = elements.get(key);
      if (element === undefined) {
        element = parent.ele(namespace, qualified(segment));
        elements.set(key, element);
      }
      parent = element;
    }
    if (last.startsWith('@')) parent.att(last.slice(1), value);
    else parent.ele(namespace, qualified(last)).txt(value);
  }
  return doc.end({ prettyPrint: true });
}

/**
 * Removes the values xmllint quotes in its messages (they may be personal data, and error messages end up in
 * incidents); element, type and facet names stay.
 */
function redactValues(message: string): string {
  return message
    .replace(/^Schemas validity error : /, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/The value '[^']*'/g, 'The value (…)')
    .replace(/(Element '[^']*'(?:, attribute '[^']*')?): '[^']*' is not/g, '$1: (…) is not');
}

/**
 * Checks a rendered message against the template's XSD with libxml2 (xmllint-wasm, in a worker thread). A message
 * that does not satisfy it is a non-retryable `invalid_message` naming the XSD and the first problems.
 */
export async function validateXmlMessage(xml: string, loaded: LoadedXmlTemplate, signal: AbortSignal): Promise<void> {
  let result: Awaited<ReturnType<typeof validateXML>>;
  try {
    result = await validateXML({ xml: { fileName: 'nachricht.xml', contents: xml }, schema: loaded.xsd });
  } catch {
    throw badTemplate(loaded.name, `das XSD „${loaded.xsd.fileName}“ lässt sich nicht übersetzen`);
  }
  if (signal.aborted) {
    throw new ConnectorError(
      'timeout',
      'Die Prüfung der XML-Nachricht wurde wegen Zeitüberschreitung abgebrochen.',
      true,
    );
  }
  if (result.valid) return;
  const problems = result.errors
    .filter((error) => error.loc !== null)
    .slice(0, 5)
    .map((error) => redactValues(error.message));
  throw new ConnectorError(
    'invalid_message',
    `Die XML-Nachricht entspricht nicht dem XSD „${loaded.xsd.fileName}“: ${problems.join('; ')}`,
    false,
  );
}
