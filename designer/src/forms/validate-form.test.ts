import { describe, expect, it } from 'vitest';
import type { Form } from '../../../engine/definition/form.schema.ts';
import { germanMessage, validateForm, visibleData, withDefaults } from './validate-form.ts';

const form: Form = {
  type: 'object',
  properties: {
    person: {
      type: 'object',
      title: 'Person',
      properties: {
        name: { type: 'string', title: 'Name', minLength: 1, maxLength: 5 },
        born: { type: 'string', format: 'date' },
        mail: { type: 'string', format: 'email' },
      },
      required: ['name', 'born'],
      additionalProperties: false,
    },
    request: {
      type: 'object',
      properties: {
        reason: {
          type: 'string',
          oneOf: [
            { const: 'a', title: 'A' },
            { const: 'other', title: 'Anderes' },
          ],
        },
        other: { type: 'string', minLength: 3, 'x-visibleIf': 'request.reason = "other"' },
        copies: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        postalCode: { type: 'string', pattern: '^[0-9]{5}$' },
        proof: { type: 'string', format: 'data-url' },
        tags: { type: 'array', items: { type: 'string', enum: ['x', 'y'] }, maxItems: 1 },
      },
      required: ['reason', 'other'],
      additionalProperties: false,
    },
  },
  required: ['person', 'request'],
};

const paths = (values: Record<string, unknown>) => validateForm(form, values).map((e) => `${e.path}: ${e.message}`);

describe('validateForm', () => {
  it('names missing groups and missing fields with the server path and message', () => {
    expect(paths({})).toEqual(['person: Pflichtfeld', 'request: Pflichtfeld']);
    expect(paths({ person: {}, request: {} })).toEqual([
      'person.name: Pflichtfeld',
      'person.born: Pflichtfeld',
      'request.reason: Pflichtfeld',
    ]);
  });

  it('checks a hidden field only while its x-visibleIf holds', () => {
    const base = { person: { name: 'Ada', born: '1990-01-01' } };
    expect(paths({ ...base, request: { reason: 'a' } })).toEqual([]);
    expect(paths({ ...base, request: { reason: 'other' } })).toEqual(['request.other: Pflichtfeld']);
    expect(paths({ ...base, request: { reason: 'other', other: 'ab' } })).toEqual([
      'request.other: Mindestens 3 Zeichen',
    ]);
  });

  it('checks lengths in code points, formats, patterns, ranges, choices and arrays', () => {
    const values = {
      person: { name: '😀😀😀😀😀', born: '2023-02-29', mail: 'nope' },
      request: {
        reason: 'b',
        copies: 11,
        postalCode: '1234',
        proof: 'data:text/plain,abc',
        tags: ['x', 'z'],
      },
    };
    expect(paths(values).sort()).toEqual(
      [
        'person.born: Bitte ein Datum (JJJJ-MM-TT) angeben',
        'person.mail: Bitte eine gültige E-Mail-Adresse angeben',
        'request.copies: Höchstens 10',
        'request.postalCode: Eingabe hat nicht die erwartete Form',
        'request.proof: Ungültiges Format',
        'request.reason: Bitte einen der angebotenen Werte wählen',
        'request.tags: Höchstens 1 Einträge',
        'request.tags.1: Bitte einen der angebotenen Werte wählen',
      ].sort(),
    );
  });

  it('names a wrong type and skips the type-specific keywords, like ajv', () => {
    expect(paths({ person: { name: 5, born: '1990-01-01' }, request: { reason: 'a', copies: 1.5 } })).toEqual([
      'person.name: Erwartet: string',
      'request.copies: Bitte eine ganze Zahl angeben',
    ]);
  });

  it('words issues with the given function (the page language)', () => {
    const errors = validateForm(form, { person: {}, request: { reason: 'a' } }, { message: (i) => `E:${i.keyword}` });
    expect(errors).toEqual([
      { path: 'person.name', message: 'E:required' },
      { path: 'person.born', message: 'E:required' },
    ]);
  });

  it('sees the scope in conditions (procedure constants)', () => {
    const scoped: Form = {
      type: 'object',
      properties: { note: { type: 'string', minLength: 1, 'x-visibleIf': 'strict = true' } },
      required: ['note'],
    };
    expect(validateForm(scoped, {}, { scope: { strict: false } })).toEqual([]);
    expect(validateForm(scoped, {}, { scope: { strict: true } })).toEqual([{ path: 'note', message: 'Pflichtfeld' }]);
  });
});

describe('visibleData and withDefaults', () => {
  it('sends only defined, shown fields; hidden values are dropped', () => {
    const values = {
      person: { name: 'Ada', born: '1990-01-01', stray: 1 },
      request: { reason: 'a', other: 'kept in the draft only' },
      extra: true,
    };
    expect(visibleData(form, values)).toEqual({
      person: { name: 'Ada', born: '1990-01-01' },
      request: { reason: 'a' },
    });
  });

  it('fills defaults only inside groups that exist, as ajv useDefaults does', () => {
    expect(withDefaults(form, {})).toEqual({});
    expect(withDefaults(form, { request: {} })).toEqual({ request: { copies: 1 } });
    expect(withDefaults(form, { request: { copies: 3 } })).toEqual({ request: { copies: 3 } });
  });
});

describe('germanMessage', () => {
  it('says "Pflichtfeld" for an empty required text (minLength 1) as the server does', () => {
    expect(germanMessage({ keyword: 'minLength', limit: 1 })).toBe('Pflichtfeld');
    expect(germanMessage({ keyword: 'additionalProperties', property: 'x' })).toBe('Unbekanntes Feld „x“');
  });
});
