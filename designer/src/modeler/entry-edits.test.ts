import { describe, expect, it } from 'vitest';
import { constantToText, renameEntry, setEntry, textToConstant, withoutEntry } from './entry-edits.ts';

describe('entry edits (result mappings, constants)', () => {
  const entries = { taxReference: 'result.reference', taxClass: '"first"', annualTaxCents: 'taxFirstDogCents' };

  it('sets a new entry at the end and replaces an existing one in place', () => {
    expect(Object.keys(setEntry(entries, 'extra', 'x'))).toEqual([
      'taxReference',
      'taxClass',
      'annualTaxCents',
      'extra',
    ]);
    const replaced = setEntry(entries, 'taxClass', '"listed"');
    expect(Object.entries(replaced)[1]).toEqual(['taxClass', '"listed"']);
    expect(entries.taxClass).toBe('"first"');
  });

  it('removes an entry', () => {
    expect(withoutEntry(entries, 'taxClass')).toEqual({
      taxReference: 'result.reference',
      annualTaxCents: 'taxFirstDogCents',
    });
  });

  it('renames in place and refuses empty, taken or unknown names', () => {
    expect(Object.keys(renameEntry(entries, 'taxClass', 'klasse'))).toEqual([
      'taxReference',
      'klasse',
      'annualTaxCents',
    ]);
    expect(renameEntry(entries, 'taxClass', '')).toBe(entries);
    expect(renameEntry(entries, 'taxClass', 'taxReference')).toBe(entries);
    expect(renameEntry(entries, 'unbekannt', 'neu')).toBe(entries);
  });
});

describe('constants as text', () => {
  it('reads JSON values as typed and any other text as text', () => {
    expect(textToConstant('9600')).toBe(9600);
    expect(textToConstant('["Pitbull-Terrier", "Bullterrier"]')).toEqual(['Pitbull-Terrier', 'Bullterrier']);
    expect(textToConstant('Stadt Musterstadt – Steueramt')).toBe('Stadt Musterstadt – Steueramt');
    expect(textToConstant('"9600"')).toBe('9600');
  });

  it('shows text plainly, other values (and text that reads as JSON) as JSON, so reading it back is the same', () => {
    for (const value of ['Stadt Musterstadt', 9600, '9600', 'true', ['a', 'b'], { a: 1 }, false]) {
      expect(textToConstant(constantToText(value))).toEqual(value);
    }
    expect(constantToText('Stadt Musterstadt')).toBe('Stadt Musterstadt');
    expect(constantToText('9600')).toBe('"9600"');
  });
});
