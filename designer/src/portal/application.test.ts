import { describe, expect, it } from 'vitest';
import { discardDraft, errorsOfStep, formErrorsOf, loadDraft, saveDraft, stepsOf } from './application.ts';

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

describe('application steps', () => {
  it('makes one step per group, or one step for a form with loose fields', () => {
    const group = { type: 'object' as const, properties: {} };
    expect(stepsOf({ type: 'object', properties: { a: group, b: group } })).toEqual(['a', 'b']);
    expect(stepsOf({ type: 'object', properties: { a: group, note: { type: 'string' } } })).toEqual([undefined]);
  });

  it('assigns errors to their step and strips the server prefix `data.`', () => {
    const errors = formErrorsOf([
      { path: 'data.person.name', message: 'Pflichtfeld' },
      { path: 'data.personal', message: 'Pflichtfeld' },
      { path: 'procedure', message: 'Unbekannt' },
    ]);
    expect(errors).toEqual([
      { path: 'person.name', message: 'Pflichtfeld' },
      { path: 'personal', message: 'Pflichtfeld' },
    ]);
    expect(errorsOfStep(errors, 'person')).toEqual([{ path: 'person.name', message: 'Pflichtfeld' }]);
    expect(errorsOfStep(errors, undefined)).toEqual(errors);
  });
});

describe('drafts', () => {
  it('saves, loads and discards a draft per procedure; unreadable drafts count as none', () => {
    const storage = new MemoryStorage();
    const draft = { version: 2, values: { a: { b: 1 } }, savedAt: '2026-01-01T00:00:00.000Z' };
    expect(saveDraft(storage, 'geburtsurkunde', draft)).toBe(true);
    expect(loadDraft(storage, 'geburtsurkunde')).toEqual(draft);
    expect(loadDraft(storage, 'hund')).toBeUndefined();
    discardDraft(storage, 'geburtsurkunde');
    expect(loadDraft(storage, 'geburtsurkunde')).toBeUndefined();
    storage.setItem('verfahrenswerk.entwurf.x', '{kaputt');
    expect(loadDraft(storage, 'x')).toBeUndefined();
    storage.setItem('verfahrenswerk.entwurf.y', JSON.stringify({ version: 1, values: [], savedAt: 'x' }));
    expect(loadDraft(storage, 'y')).toBeUndefined();
  });

  it('reports a refused save instead of failing the page', () => {
    const full = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(saveDraft(full, 'x', { version: 1, values: {}, savedAt: 'now' })).toBe(false);
  });
});
