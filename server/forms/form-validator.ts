import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Form, FormField } from '../../engine/definition/form.schema.ts';
import { evaluateGuard } from '../../engine/expressions/feel.ts';
import type { FieldError } from '../http/problem.ts';

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: true });
addFormats.default(ajv);
ajv.addFormat('data-url', /^data:[\w.+-]+\/[\w.+-]+(;[\w-]+=[\w-]+)*;base64,[A-Za-z0-9+/=]*$/);

const cache = new Map<string, ValidateFunction>();

function message(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'Pflichtfeld';
    case 'type':
      return p.type === 'integer'
        ? 'Bitte eine ganze Zahl angeben'
        : p.type === 'number'
          ? 'Bitte eine Zahl angeben'
          : `Erwartet: ${String(p.type)}`;
    case 'minimum':
      return `Mindestens ${String(p.limit)}`;
    case 'maximum':
      return `Höchstens ${String(p.limit)}`;
    case 'minLength':
      return p.limit === 1 ? 'Pflichtfeld' : `Mindestens ${String(p.limit)} Zeichen`;
    case 'maxLength':
      return `Höchstens ${String(p.limit)} Zeichen`;
    case 'maxItems':
      return `Höchstens ${String(p.limit)} Einträge`;
    case 'minItems':
      return `Mindestens ${String(p.limit)} Einträge`;
    case 'format':
      return p.format === 'date'
        ? 'Bitte ein Datum (JJJJ-MM-TT) angeben'
        : p.format === 'email'
          ? 'Bitte eine gültige E-Mail-Adresse angeben'
          : 'Ungültiges Format';
    case 'enum':
    case 'oneOf':
    case 'const':
      return 'Bitte einen der angebotenen Werte wählen';
    case 'pattern':
      return 'Eingabe hat nicht die erwartete Form';
    case 'additionalProperties':
      return `Unbekanntes Feld „${String(p.additionalProperty)}“`;
    default:
      return 'Ungültige Eingabe';
  }
}

function path(e: ErrorObject): string {
  const base = e.instancePath.split('/').filter(Boolean);
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') base.push(String(p.missingProperty));
  if (e.keyword === 'additionalProperties') base.push(String(p.additionalProperty));
  return base.join('.') || '(Formular)';
}

/** Drops fields hidden by their `x-visibleIf` condition (and their `required`), recursively per group. */
function visibleSchema(
  form: FormField | Form,
  data: Record<string, unknown>,
  scope: Record<string, unknown>,
): FormField {
  const properties: Record<string, FormField> = {};
  const hidden = new Set<string>();
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    const condition = field['x-visibleIf'];
    if (condition && !evaluateGuard(condition, { ...scope, ...data })) {
      hidden.add(name);
      continue;
    }
    const value = data[name];
    properties[name] =
      field.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)
        ? visibleSchema(field, value as Record<string, unknown>, { ...scope, ...data })
        : field;
  }
  return { ...form, type: 'object', properties, required: (form.required ?? []).filter((r) => !hidden.has(r)) };
}

/** Removes values the form does not define (and hidden fields): what the form validated is all that is kept. */
function project(schema: FormField, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (!(name in data)) continue;
    const value = data[name];
    out[name] =
      field.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)
        ? project(field, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/**
 * Validates data against a form with ajv (the same JSON Schema the browser uses). Returns the data reduced
 * to the form's visible fields, or every field error with its dotted path.
 */
export function validateFormData(
  form: Form,
  data: unknown,
  /** Variables conditions may read besides the form's own data: the procedure's constants, the case variables. */
  scope: Record<string, unknown> = {},
): { ok: true; data: Record<string, unknown> } | { ok: false; errors: FieldError[] } {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: [{ path: 'data', message: 'Die Angaben müssen ein Objekt sein' }] };
  }
  const record = data as Record<string, unknown>;
  const schema = visibleSchema(form, record, scope);
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (cache.size > 500) cache.clear();
    cache.set(key, validate);
  }
  const copy = structuredClone(record);
  if (validate(copy)) return { ok: true, data: project(schema, copy) };
  const errors = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => ({ path: path(e), message: message(e) }));
  const unique = new Map(errors.map((e) => [`${e.path}|${e.message}`, e]));
  return { ok: false, errors: [...unique.values()] };
}
