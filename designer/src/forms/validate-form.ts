import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Form, FormField } from '../../../engine/definition/form.schema.ts';
import { evaluateGuard } from '../../../engine/expressions/feel.ts';

/** One failing field, its dotted path as the server names it (`person.familyName`). */
export type FormError = { path: string; message: string };

/** What failed, before it becomes words: the JSON Schema keyword and its limit. */
export type Issue =
  | { keyword: 'required' | 'enum' | 'pattern' }
  | { keyword: 'type'; type: FormField['type'] }
  | { keyword: 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems'; limit: number }
  | { keyword: 'format'; format: string }
  | { keyword: 'additionalProperties'; property: string };

/** The server's German wording (server/forms/form-validator.ts), so browser and server say the same. */
export function germanMessage(issue: Issue): string {
  switch (issue.keyword) {
    case 'required':
      return 'Pflichtfeld';
    case 'type':
      return issue.type === 'integer'
        ? 'Bitte eine ganze Zahl angeben'
        : issue.type === 'number'
          ? 'Bitte eine Zahl angeben'
          : `Erwartet: ${issue.type}`;
    case 'minimum':
      return `Mindestens ${issue.limit}`;
    case 'maximum':
      return `Höchstens ${issue.limit}`;
    case 'minLength':
      return issue.limit === 1 ? 'Pflichtfeld' : `Mindestens ${issue.limit} Zeichen`;
    case 'maxLength':
      return `Höchstens ${issue.limit} Zeichen`;
    case 'maxItems':
      return `Höchstens ${issue.limit} Einträge`;
    case 'minItems':
      return `Mindestens ${issue.limit} Einträge`;
    case 'format':
      return issue.format === 'date'
        ? 'Bitte ein Datum (JJJJ-MM-TT) angeben'
        : issue.format === 'email'
          ? 'Bitte eine gültige E-Mail-Adresse angeben'
          : 'Ungültiges Format';
    case 'enum':
      return 'Bitte einen der angebotenen Werte wählen';
    case 'pattern':
      return 'Eingabe hat nicht die erwartete Form';
    case 'additionalProperties':
      return `Unbekanntes Feld „${issue.property}“`;
  }
}

type Format = RegExp | ((value: string) => boolean) | { validate: RegExp | ((value: string) => boolean) };

const formats: Record<string, Format> = {
  ...(fullFormats as Record<string, Format>),
  'data-url': /^data:[\w.+-]+\/[\w.+-]+(;[\w-]+=[\w-]+)*;base64,[A-Za-z0-9+/=]*$/,
};

function formatHolds(name: string, value: string): boolean {
  const format = formats[name];
  if (!format) return true;
  const check = typeof format === 'object' && 'validate' in format ? format.validate : format;
  return check instanceof RegExp ? check.test(value) : check(value);
}

/** A plain object (a group's value), not null and not an array. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function hasType(type: FormField['type'], value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
  }
}

/** Whether a field is shown: its `x-visibleIf` holds over the data in scope (the server's rule). */
export function isVisible(field: FormField, context: Record<string, unknown>): boolean {
  const condition = field['x-visibleIf'];
  return !condition || evaluateGuard(condition, context);
}

/**
 * The form with every field hidden by `x-visibleIf` removed (and its `required`), recursively into groups
 * whose value is an object — exactly as the server reduces it before validating.
 */
export function visibleForm(
  form: FormField | Form,
  data: Record<string, unknown>,
  scope: Record<string, unknown> = {},
): FormField {
  const properties: Record<string, FormField> = {};
  const hidden = new Set<string>();
  const context = { ...scope, ...data };
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    if (!isVisible(field, context)) {
      hidden.add(name);
      continue;
    }
    const value = data[name];
    properties[name] = field.type === 'object' && isRecord(value) ? visibleForm(field, value, context) : field;
  }
  return { ...form, type: 'object', properties, required: (form.required ?? []).filter((r) => !hidden.has(r)) };
}

/** Fills each missing field that has a `default`, in groups that exist (ajv's `useDefaults` on the server). */
export function withDefaults(form: FormField | Form, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    const value = out[name];
    if (value === undefined && field.default !== undefined) out[name] = structuredClone(field.default);
    else if (field.type === 'object' && isRecord(value)) out[name] = withDefaults(field, value);
  }
  return out;
}

function project(schema: FormField, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const value = data[name];
    if (value === undefined) continue;
    out[name] = field.type === 'object' && isRecord(value) ? project(field, value) : value;
  }
  return out;
}

/**
 * The data to send: only the fields the form defines and currently shows (the server keeps no more, and rejects
 * a hidden field's value as unknown). Values of hidden fields stay in the draft, so showing them again restores them.
 */
export function visibleData(
  form: Form,
  values: Record<string, unknown>,
  scope: Record<string, unknown> = {},
): Record<string, unknown> {
  return project(visibleForm(form, values, scope), values);
}

/** JavaScript string length counts UTF-16 units; JSON Schema (and ajv) counts code points. */
const length = (text: string) => [...text].length;

function check(field: FormField, value: unknown, path: string[], add: (path: string[], issue: Issue) => void) {
  if (!hasType(field.type, value)) add(path, { keyword: 'type', type: field.type });
  else if (typeof value === 'string') {
    if (field.maxLength !== undefined && length(value) > field.maxLength)
      add(path, { keyword: 'maxLength', limit: field.maxLength });
    if (field.minLength !== undefined && length(value) < field.minLength)
      add(path, { keyword: 'minLength', limit: field.minLength });
    if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value)) add(path, { keyword: 'pattern' });
    if (field.format !== undefined && !formatHolds(field.format, value))
      add(path, { keyword: 'format', format: field.format });
  } else if (typeof value === 'number') {
    if (field.maximum !== undefined && value > field.maximum) add(path, { keyword: 'maximum', limit: field.maximum });
    if (field.minimum !== undefined && value < field.minimum) add(path, { keyword: 'minimum', limit: field.minimum });
  } else if (Array.isArray(value)) {
    if (field.maxItems !== undefined && value.length > field.maxItems)
      add(path, { keyword: 'maxItems', limit: field.maxItems });
    if (field.minItems !== undefined && value.length < field.minItems)
      add(path, { keyword: 'minItems', limit: field.minItems });
    if (field.items) {
      const items = field.items;
      value.forEach((item, index) => {
        check(items, item, [...path, String(index)], add);
      });
    }
  } else if (isRecord(value)) {
    for (const name of field.required ?? [])
      if (value[name] === undefined) add([...path, name], { keyword: 'required' });
    for (const [name, child] of Object.entries(field.properties ?? {})) {
      if (value[name] !== undefined) check(child, value[name], [...path, name], add);
    }
    if (field.additionalProperties === false) {
      for (const name of Object.keys(value)) {
        if (!(name in (field.properties ?? {})) && value[name] !== undefined)
          add([...path, name], { keyword: 'additionalProperties', property: name });
      }
    }
  }
  if (field.enum && !field.enum.includes(value as string | number)) add(path, { keyword: 'enum' });
  if (field.oneOf && field.oneOf.filter((option) => option.const === value).length !== 1)
    add(path, { keyword: 'enum' });
}

/**
 * Validates form data in the browser by the server's rules (hidden fields dropped, defaults filled, JSON Schema
 * keywords of the form subset), without compiling code (the page's CSP forbids eval). It checks the data as it
 * will be sent, `visibleData(form, values)`. Returns every error with the server's dotted path; `message` words
 * each issue (German by default, as the server does).
 */
export function validateForm(
  form: Form,
  values: Record<string, unknown>,
  options: { scope?: Record<string, unknown>; message?: (issue: Issue) => string } = {},
): FormError[] {
  const message = options.message ?? germanMessage;
  const schema = visibleForm(form, values, options.scope);
  const errors = new Map<string, FormError>();
  check(schema, withDefaults(schema, visibleData(form, values, options.scope)), [], (path, issue) => {
    const error = { path: path.join('.') || '(Formular)', message: message(issue) };
    errors.set(`${error.path}|${error.message}`, error);
  });
  return [...errors.values()];
}
