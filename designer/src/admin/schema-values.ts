import type { JsonSchema } from './admin-api.ts';

/** Form values of a generated form: text for inputs (as typed), booleans for checkboxes. */
export type SchemaValues = Record<string, string | boolean>;

/** The properties a form shows: fixed values (`const`) are not asked for. */
export function editableProperties(schema: JsonSchema): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {}).filter(([, property]) => property.const === undefined);
}

/** Stored values as form values; defaults fill what is not stored. */
export function toFormValues(schema: JsonSchema, stored: Record<string, unknown>): SchemaValues {
  const values: SchemaValues = {};
  for (const [name, property] of editableProperties(schema)) {
    const value = stored[name] ?? property.default;
    values[name] = property.type === 'boolean' ? value === true : value === undefined ? '' : String(value);
  }
  return values;
}

/** Form values as the object the schema describes: empty inputs are left out, numbers are numbers. */
export function fromFormValues(schema: JsonSchema, values: SchemaValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of editableProperties(schema)) {
    const value = values[name];
    if (typeof value === 'boolean') out[name] = value;
    else if (value !== undefined && value.trim() !== '') {
      out[name] = property.type === 'integer' || property.type === 'number' ? Number(value) : value.trim();
    }
  }
  return out;
}

/** Required properties left empty. */
export function missingRequired(schema: JsonSchema, values: SchemaValues): string[] {
  return (schema.required ?? []).filter((name) => {
    const value = values[name];
    return typeof value === 'string' && value.trim() === '' && schema.properties?.[name]?.const === undefined;
  });
}
