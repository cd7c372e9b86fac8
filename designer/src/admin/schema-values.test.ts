import { describe, expect, it } from 'vitest';
import type { JsonSchema } from './admin-api.ts';
import { editableProperties, fromFormValues, missingRequired, toFormValues } from './schema-values.ts';

const smtp: JsonSchema = {
  type: 'object',
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    secure: { type: 'boolean', default: false },
    currency: { type: 'string', const: 'EUR', default: 'EUR' },
    from: { type: 'string', format: 'email' },
  },
  required: ['host', 'port', 'from'],
};

describe('generated connector forms', () => {
  it('asks for every property but fixed ones', () => {
    expect(editableProperties(smtp).map(([name]) => name)).toEqual(['host', 'port', 'secure', 'from']);
  });

  it('turns stored config into form values with defaults, and back with numbers and without empty inputs', () => {
    const values = toFormValues(smtp, { host: 'mail.example', port: 587 });
    expect(values).toEqual({ host: 'mail.example', port: '587', secure: false, from: '' });
    expect(fromFormValues(smtp, { ...values, secure: true, from: ' a@b.example ' })).toEqual({
      host: 'mail.example',
      port: 587,
      secure: true,
      from: 'a@b.example',
    });
    expect(fromFormValues(smtp, values)).toEqual({ host: 'mail.example', port: 587, secure: false });
  });

  it('names required properties left empty', () => {
    expect(missingRequired(smtp, toFormValues(smtp, {}))).toEqual(['host', 'port', 'from']);
    expect(missingRequired(smtp, toFormValues(smtp, { host: 'h', port: 25, from: 'x@y.example' }))).toEqual([]);
  });
});
