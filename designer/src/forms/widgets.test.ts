import { describe, expect, it } from 'vitest';
import {
  choicesOf,
  describeDataUrl,
  fileProblem,
  formatBytes,
  parseDate,
  parseNumber,
  showDate,
  widgetOf,
} from './widgets.ts';

describe('widgetOf', () => {
  it('takes x-widget first, else type and format', () => {
    expect(widgetOf({ type: 'string', 'x-widget': 'textarea' })).toBe('textarea');
    expect(widgetOf({ type: 'boolean' })).toBe('yesno');
    expect(widgetOf({ type: 'string', 'x-widget': 'yesno' })).toBe('yesno');
    expect(widgetOf({ type: 'integer' })).toBe('number');
    expect(widgetOf({ type: 'string', enum: ['a'] })).toBe('choice');
    expect(widgetOf({ type: 'string', format: 'date' })).toBe('date');
    expect(widgetOf({ type: 'string', format: 'email' })).toBe('email');
    expect(widgetOf({ type: 'string', format: 'data-url' })).toBe('file');
    expect(widgetOf({ type: 'array', items: { type: 'string', enum: ['a'] } })).toBe('multiple');
    expect(widgetOf({ type: 'array', items: { type: 'string', format: 'data-url' } })).toBe('file');
    expect(widgetOf({ type: 'string' })).toBe('text');
  });
});

describe('choicesOf', () => {
  it('labels oneOf options by title and enum values by themselves', () => {
    expect(choicesOf({ type: 'string', oneOf: [{ const: 'a', title: 'Eins' }] })).toEqual([
      { value: 'a', label: 'Eins' },
    ]);
    expect(choicesOf({ type: 'integer', enum: [1, 2] })).toEqual([
      { value: 1, label: '1' },
      { value: 2, label: '2' },
    ]);
  });
});

describe('parseNumber', () => {
  it('reads numbers (decimal comma too), empties to undefined and keeps anything else for validation', () => {
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('  ')).toBeUndefined();
    expect(parseNumber('3')).toBe(3);
    expect(parseNumber('-2,5')).toBe(-2.5);
    expect(parseNumber('1.5')).toBe(1.5);
    expect(parseNumber('drei')).toBe('drei');
  });
});

describe('files', () => {
  const field = { type: 'string' as const, 'x-accept': ['application/pdf'], 'x-maxBytes': 1000 };
  it('refuses files of other types or above the limit', () => {
    expect(fileProblem({ type: 'application/pdf', size: 1000 }, field)).toBeUndefined();
    expect(fileProblem({ type: 'image/gif', size: 10 }, field)).toEqual({ kind: 'type' });
    expect(fileProblem({ type: 'application/pdf', size: 1001 }, field)).toEqual({ kind: 'size', limit: 1000 });
  });
  it('describes a data URL by type and decoded size', () => {
    expect(describeDataUrl('data:application/pdf;base64,QUJD')).toEqual({ type: 'application/pdf', bytes: 3 });
    expect(describeDataUrl('data:image/png;base64,QQ==')).toEqual({ type: 'image/png', bytes: 1 });
    expect(describeDataUrl('nope')).toBeUndefined();
  });
  it('formats sizes per language', () => {
    expect(formatBytes(10 * 1024 * 1024, 'de')).toBe('10 MB');
    expect(formatBytes(1536, 'de')).toBe('1,5 KB');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
  });
});

describe('dates', () => {
  it('reads German and ISO dates to ISO, keeps anything else for validation, shows ISO the German way', () => {
    expect(parseDate('14.05.1990')).toBe('1990-05-14');
    expect(parseDate(' 1.5.1990 ')).toBe('1990-05-01');
    expect(parseDate('1990-05-14')).toBe('1990-05-14');
    expect(parseDate('')).toBeUndefined();
    expect(parseDate('14.05.')).toBe('14.05.');
    expect(showDate('1990-05-14')).toBe('14.05.1990');
    expect(showDate('14.05.')).toBe('14.05.');
    expect(showDate(undefined)).toBe('');
  });
});
