import type { Form, FormField } from '../../../engine/definition/form.schema.ts';

/** The field kinds the form editor offers; each maps to one JSON Schema shape. */
export const WIDGETS = ['text', 'textarea', 'number', 'date', 'choice', 'yesno', 'file', 'address', 'email'] as const;
export type Widget = (typeof WIDGETS)[number];

/** A form or a group inside it: whatever holds `properties` and `required`. */
type Container = { properties?: Record<string, FormField>; required?: string[] };

/** The widget a field is edited as: its `x-widget`, else guessed from type and format. */
export function widgetOf(field: FormField): Widget {
  if (field['x-widget']) return field['x-widget'];
  if (field.type === 'boolean') return 'yesno';
  if (field.type === 'number' || field.type === 'integer') return 'number';
  if (field.format === 'date') return 'date';
  if (field.format === 'data-url') return 'file';
  if (field.format === 'email') return 'email';
  if (field.oneOf || field.enum) return 'choice';
  return 'text';
}

/** A field of another widget, keeping its label, help text and condition (and choices when still a choice). */
export function withWidget(field: FormField, widget: Widget): FormField {
  const kept: FormField = { type: 'string' };
  if (field.title !== undefined) kept.title = field.title;
  if (field.description !== undefined) kept.description = field.description;
  if (field['x-visibleIf'] !== undefined) kept['x-visibleIf'] = field['x-visibleIf'];
  switch (widget) {
    case 'number':
      return { ...kept, type: 'number', 'x-widget': 'number' };
    case 'yesno':
      return { ...kept, type: 'boolean', 'x-widget': 'yesno' };
    case 'date':
      return { ...kept, format: 'date', 'x-widget': 'date' };
    case 'file':
      return {
        ...kept,
        format: 'data-url',
        'x-widget': 'file',
        'x-accept': ['application/pdf', 'image/jpeg', 'image/png'],
      };
    case 'email':
      return { ...kept, format: 'email', 'x-widget': 'email' };
    case 'choice':
      return { ...kept, 'x-widget': 'choice', oneOf: field.oneOf ?? [{ const: 'ja', title: 'Ja' }] };
    case 'text':
      return kept;
    default:
      return { ...kept, 'x-widget': widget };
  }
}

/** The checks a field can carry besides its widget: lengths, pattern, bounds, default, file types and size. */
export type Rule =
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'minimum'
  | 'maximum'
  | 'default'
  | 'x-accept'
  | 'x-maxBytes';

/** The field with `rule` set to `value`, or without it when `value` is undefined. */
export function withRule<R extends Rule>(field: FormField, rule: R, value: FormField[R] | undefined): FormField {
  const next = { ...field };
  if (value === undefined) delete next[rule];
  else next[rule] = value;
  return next;
}

/** A check's number from the editor's text (decimal comma allowed); empty or not a number means no check. */
export function ruleNumber(text: string): number | undefined {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() && Number.isFinite(n) ? n : undefined;
}

/** A number field that takes whole numbers only (`integer`) or any number. */
export function withWholeNumbers(field: FormField, whole: boolean): FormField {
  return { ...field, type: whole ? 'integer' : 'number' };
}

/** Choices as editable lines: `wert = Beschriftung`, or just the value when both are the same. */
export function choicesToText(field: FormField): string {
  const options = field.oneOf ?? (field.enum ?? []).map((v) => ({ const: v, title: String(v) }));
  return options.map((o) => (String(o.const) === o.title ? o.title : `${o.const} = ${o.title}`)).join('\n');
}

export function textToChoices(text: string): { const: string; title: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 0) return { const: line, title: line };
      const value = line.slice(0, at).trim();
      const title = line.slice(at + 1).trim();
      return { const: value || title, title: title || value };
    });
}

/** A field name from a label ("Name des Hundes" → `nameDesHundes`), unique among `taken`. */
export function fieldNameFor(label: string, taken: Iterable<string>): string {
  const words = label
    .replace(/[äöüß]/gi, (c) => ({ ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' })[c] ?? c)
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const camel = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
  const base = (/^[A-Za-z_]/.test(camel) ? camel : `feld${camel}`).slice(0, 60) || 'feld';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}${n}`)) n++;
  return `${base}${n}`;
}

/**
 * Applies `edit` to the container at `path` ('' is the form itself, `person` a group) and returns a new form;
 * the same form when the edit changed nothing, so no undo step is recorded.
 */
function atContainer(form: Form, path: string, edit: (c: Container) => Container): Form {
  if (!path) {
    const next = edit(form);
    return next as Form;
  }
  const [head, ...rest] = path.split('.');
  const group = form.properties[head!];
  if (group?.type !== 'object') return form;
  const container: Form = { type: 'object', properties: group.properties ?? {}, required: group.required };
  const inner = atContainer(container, rest.join('.'), edit);
  if (inner === container) return form;
  const next: FormField = { ...group, properties: inner.properties };
  if (inner.required?.length) next.required = inner.required;
  else delete next.required;
  return { ...form, properties: { ...form.properties, [head!]: next } };
}

function split(path: string): [string, string] {
  const at = path.lastIndexOf('.');
  return at < 0 ? ['', path] : [path.slice(0, at), path.slice(at + 1)];
}

function withRequired(c: Container, required: string[]): Container {
  const next = { ...c };
  if (required.length) next.required = required;
  else delete next.required;
  return next;
}

/**
 * Adds a field (or, with widget `group`, an empty group that, like the form, takes no other fields) at the end
 * of the container; returns its path.
 */
export function addField(
  form: Form,
  containerPath: string,
  label: string,
  widget: Widget | 'group',
): { form: Form; path: string } {
  let name = '';
  const next = atContainer(form, containerPath, (c) => {
    name = fieldNameFor(label, Object.keys(c.properties ?? {}));
    const field: FormField =
      widget === 'group'
        ? { type: 'object', title: label, properties: {}, additionalProperties: false }
        : { ...withWidget({ type: 'string' }, widget), title: label };
    return { ...c, properties: { ...c.properties, [name]: field } };
  });
  return { form: next, path: containerPath ? `${containerPath}.${name}` : name };
}

export function updateField(form: Form, path: string, field: FormField): Form {
  const [container, name] = split(path);
  return atContainer(form, container, (c) =>
    c.properties?.[name] ? { ...c, properties: { ...c.properties, [name]: field } } : c,
  );
}

export function removeField(form: Form, path: string): Form {
  const [container, name] = split(path);
  return atContainer(form, container, (c) => {
    const { [name]: _, ...properties } = c.properties ?? {};
    return withRequired(
      { ...c, properties },
      (c.required ?? []).filter((r) => r !== name),
    );
  });
}

export function setRequired(form: Form, path: string, required: boolean): Form {
  const [container, name] = split(path);
  return atContainer(form, container, (c) => {
    const others = (c.required ?? []).filter((r) => r !== name);
    return withRequired(c, required ? [...others, name] : others);
  });
}

export function isRequired(form: Form, path: string): boolean {
  const [container, name] = split(path);
  let c: Container = form;
  for (const part of container ? container.split('.') : []) c = c.properties?.[part] ?? {};
  return (c.required ?? []).includes(name);
}

/** Moves a field one place up (-1) or down (+1) among its siblings; the order is the form's order. */
export function moveField(form: Form, path: string, delta: -1 | 1): Form {
  const [container, name] = split(path);
  return atContainer(form, container, (c) => {
    const entries = Object.entries(c.properties ?? {});
    const from = entries.findIndex(([n]) => n === name);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= entries.length) return c;
    const [moved] = entries.splice(from, 1);
    entries.splice(to, 0, moved!);
    return { ...c, properties: Object.fromEntries(entries) };
  });
}

/** Renames a field in place (same position, `required` follows); refused for invalid or taken names. */
export function renameField(form: Form, path: string, to: string): Form {
  const [container, name] = split(path);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(to) || name === to) return form;
  return atContainer(form, container, (c) => {
    if (!c.properties?.[name] || c.properties[to]) return c;
    const properties = Object.fromEntries(Object.entries(c.properties).map(([n, f]) => [n === name ? to : n, f]));
    return withRequired(
      { ...c, properties },
      (c.required ?? []).map((r) => (r === name ? to : r)),
    );
  });
}
