import { z } from 'zod';

/**
 * A form is a JSON Schema (draft 2020-12 subset) of an object. Nested objects are the form's groups
 * (one step each in the citizen portal); `title` is the German label, `description` the help text.
 * The same schema validates data in the browser and on the server (ajv), so only keywords both
 * understand are allowed here.
 */
export type FormField = {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  title?: string;
  description?: string;
  format?: 'date' | 'date-time' | 'email' | 'uri' | 'data-url';
  enum?: (string | number)[];
  oneOf?: { const: string | number; title: string }[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  properties?: Record<string, FormField>;
  required?: string[];
  items?: FormField;
  additionalProperties?: boolean;
  /** Editor hint: which widget the form designer offers (address, file, choice, yes/no). */
  'x-widget'?: 'text' | 'textarea' | 'number' | 'date' | 'choice' | 'yesno' | 'file' | 'address' | 'email';
  /** FEEL expression over the form data; the field is shown (and required) only while it is true. */
  'x-visibleIf'?: string;
  /** Allowed media types and size limit for file fields (data URLs). */
  'x-accept'?: string[];
  'x-maxBytes'?: number;
};

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Feldname: Buchstaben, Ziffern und _');

export const formFieldSchema: z.ZodType<FormField> = z.lazy(() =>
  z
    .object({
      type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array']),
      title: z.string().max(200).optional(),
      description: z.string().max(2000).optional(),
      format: z.enum(['date', 'date-time', 'email', 'uri', 'data-url']).optional(),
      enum: z
        .array(z.union([z.string(), z.number()]))
        .min(1)
        .optional(),
      oneOf: z
        .array(z.object({ const: z.union([z.string(), z.number()]), title: z.string() }).strict())
        .min(1)
        .optional(),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
      minLength: z.number().int().nonnegative().optional(),
      maxLength: z.number().int().positive().optional(),
      pattern: z.string().max(500).optional(),
      minItems: z.number().int().nonnegative().optional(),
      maxItems: z.number().int().positive().optional(),
      default: z.unknown().optional(),
      properties: z.record(fieldName, formFieldSchema).optional(),
      required: z.array(z.string()).optional(),
      items: formFieldSchema.optional(),
      additionalProperties: z.boolean().optional(),
      'x-widget': z
        .enum(['text', 'textarea', 'number', 'date', 'choice', 'yesno', 'file', 'address', 'email'])
        .optional(),
      'x-visibleIf': z.string().optional(),
      'x-accept': z.array(z.string()).optional(),
      'x-maxBytes': z.number().int().positive().optional(),
    })
    .strict(),
);

/** A form: a JSON Schema object whose properties are the fields (nested objects are groups). */
export const formSchema = z
  .object({
    type: z.literal('object'),
    title: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    properties: z.record(fieldName, formFieldSchema),
    required: z.array(z.string()).optional(),
    additionalProperties: z.boolean().optional(),
  })
  .strict();

export type Form = z.infer<typeof formSchema>;

/** Every field path of a form (`person.name`, `copies`), groups included. */
export function formFieldPaths(form: { properties?: Record<string, FormField> }, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    paths.push(path);
    if (field.type === 'object') paths.push(...formFieldPaths(field, path));
  }
  return paths;
}
