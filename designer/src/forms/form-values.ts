import type { Form, FormField } from '../../../engine/definition/form.schema.ts';
import { isRecord, withDefaults } from './validate-form.ts';

/** The value at a dotted path (`person.familyName`), or undefined. */
export function valueAt(values: Record<string, unknown>, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** A copy of the values with the one at `path` replaced; undefined removes the field (as an empty input does). */
export function withValueAt(values: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head = '', ...rest] = path.split('.');
  const out = { ...values };
  if (rest.length) {
    const inner = isRecord(values[head]) ? values[head] : {};
    out[head] = withValueAt(inner, rest.join('.'), value);
  } else if (value === undefined) delete out[head];
  else out[head] = value;
  return out;
}

/** The values a new application starts with: every group as an empty object, then the fields' defaults. */
export function initialValues(form: Form | FormField): Record<string, unknown> {
  const groups = Object.entries(form.properties ?? {})
    .filter(([, field]) => field.type === 'object')
    .map(([name, field]) => [name, initialValues(field)]);
  return withDefaults(form, Object.fromEntries(groups));
}

/** The field at a dotted path (`person.familyName`), for naming it in an error summary. */
export function fieldAt(form: Form | FormField, path: string): FormField | undefined {
  let current: Form | FormField | undefined = form;
  for (const part of path.split('.')) current = current?.properties?.[part];
  return current === form ? undefined : current;
}
