import { describe, expect, it } from 'vitest';
import { apiQuery, readView, writeView } from './inbox-query.ts';

describe('inbox view in the URL', () => {
  it('round-trips every setting and leaves defaults out', () => {
    const view = {
      queue: 'overdue' as const,
      procedure: 'maengelmelder',
      dueBy: '2026-12-01',
      text: 'Müller',
      descending: true,
      page: 3,
    };
    const params = writeView(view);
    expect(params.toString()).toBe(
      'ansicht=ueberfaellig&verfahren=maengelmelder&faellig=2026-12-01&suche=M%C3%BCller&sortierung=faelligkeit-absteigend&seite=3',
    );
    expect(readView(params)).toEqual(view);
    expect(writeView(readView(new URLSearchParams())).toString()).toBe('');
  });

  it('falls back to defaults for unknown or broken values', () => {
    expect(readView(new URLSearchParams('ansicht=alles&faellig=morgen&seite=-2'))).toEqual({
      queue: 'mine',
      procedure: '',
      dueBy: '',
      text: '',
      descending: false,
      page: 1,
    });
  });

  it('asks the API for the page by offset with the filters', () => {
    const query = new URLSearchParams(apiQuery(readView(new URLSearchParams('ansicht=gruppe&seite=2&suche=+MAE+'))));
    expect(Object.fromEntries(query)).toEqual({ queue: 'group', sort: 'due', limit: '50', offset: '50', q: 'MAE' });
  });
});
