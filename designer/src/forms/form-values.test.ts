import { describe, expect, it } from 'vitest';
import { fieldAt, initialValues, valueAt, withValueAt } from './form-values.ts';

describe('form values', () => {
  it('reads and replaces values at dotted paths without changing the original', () => {
    const values = { person: { name: 'Ada' } };
    expect(valueAt(values, 'person.name')).toBe('Ada');
    expect(valueAt(values, 'person.name.first')).toBeUndefined();
    const next = withValueAt(values, 'person.born', '1990-01-01');
    expect(next).toEqual({ person: { name: 'Ada', born: '1990-01-01' } });
    expect(values).toEqual({ person: { name: 'Ada' } });
    expect(withValueAt(next, 'person.name', undefined)).toEqual({ person: { born: '1990-01-01' } });
    expect(withValueAt({}, 'request.copies', 2)).toEqual({ request: { copies: 2 } });
  });

  it('starts with empty groups and the defaults', () => {
    expect(
      initialValues({
        type: 'object',
        properties: {
          person: { type: 'object', properties: { name: { type: 'string' } } },
          request: { type: 'object', properties: { copies: { type: 'integer', default: 1 } } },
          note: { type: 'string', default: '' },
        },
      }),
    ).toEqual({ person: {}, request: { copies: 1 }, note: '' });
  });
});

describe('fieldAt', () => {
  it('finds a field by its dotted path', () => {
    const form = {
      type: 'object' as const,
      properties: {
        person: { type: 'object' as const, properties: { name: { type: 'string' as const, title: 'Name' } } },
      },
    };
    expect(fieldAt(form, 'person.name')?.title).toBe('Name');
    expect(fieldAt(form, 'person.nope')).toBeUndefined();
    expect(fieldAt(form, 'person.name.x')).toBeUndefined();
  });
});
