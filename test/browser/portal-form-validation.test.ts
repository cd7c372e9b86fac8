import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateForm, visibleData } from '../../designer/src/forms/validate-form.ts';
import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import type { Form, FormField } from '../../engine/definition/form.schema.ts';
import { validateFormData } from '../../server/forms/form-validator.ts';
import { loadWorkflows } from '../../workflows/index.ts';

/** Values a citizen's browser may produce for a field: fitting ones, near misses and wrong types. */
function valueFor(field: FormField): fc.Arbitrary<unknown> {
  const choices = [...(field.oneOf?.map((o) => o.const) ?? []), ...(field.enum ?? [])];
  const near: fc.Arbitrary<unknown>[] = [
    fc.constantFrom('', ' ', 'x', 'ab', '12345', '1234', '1990-02-28', '2023-02-29', 'a@b.de', 'keine-mail'),
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -2, max: 12 }),
    fc.constantFrom(1.5, true, null),
    fc.constantFrom('data:application/pdf;base64,QUJD', 'data:x'),
  ];
  if (choices.length) near.push(fc.constantFrom(...choices));
  if (field.type === 'object') near.push(objectFor(field));
  if (field.type === 'array' && field.items) near.push(fc.array(valueFor(field.items), { maxLength: 3 }));
  if (field.minLength) near.push(fc.string({ minLength: field.minLength, maxLength: field.minLength + 2 }));
  return fc.oneof(...near);
}

function objectFor(form: FormField | Form): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(form.properties ?? {}).map(
    ([name, field]) => [name, fc.option(valueFor(field), { nil: undefined, freq: 3 })] as const,
  );
  return fc
    .record(Object.fromEntries(entries))
    .map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)));
}

const sorted = (errors: { path: string; message: string }[]) => errors.map((e) => `${e.path}: ${e.message}`).sort();

describe('browser form validation agrees with the server (designer/src/forms ↔ server/forms)', async () => {
  const forms = (await loadWorkflows()).map((w) => {
    const definition = definitionSchema.parse(w.definition);
    return { key: w.key, form: definition.form, constants: definition.constants ?? {}, samples: w.samples };
  });

  it.each(forms)('$key: every sample application passes in both', ({ form, constants, samples }) => {
    for (const sample of samples) {
      expect(validateForm(form, sample.data as Record<string, unknown>, { scope: constants })).toEqual([]);
    }
  });

  it.each(forms)('$key: random data yields the same errors with the same paths and messages', ({ form, constants }) => {
    fc.assert(
      fc.property(objectFor(form), (data) => {
        const browser = validateForm(form, data, { scope: constants });
        const server = validateFormData(form, visibleData(form, data, constants), constants);
        expect(sorted(browser)).toEqual(server.ok ? [] : sorted(server.errors));
      }),
      { numRuns: 300 },
    );
  });
});
