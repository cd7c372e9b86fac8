import { describe, expect, it } from 'vitest';
import { apiQuery, readView, writeView } from './inbox-query.ts';

describe('inbox view in the URL', () => {
  it('round-trips every setting and leaves defaults out', () => {
    const view = {
      queue: 'overdue' as const,
      procedure: 'maengelmelder',
      dueBy: '2026-12-01',
      text: 'Müller',
      sort: 'due' as const,
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
      sort: 'due',
      descending: false,
      page: 1,
    });
    expect(readView(new URLSearchParams('sortierung=name-absteigend'))).toMatchObject({
      sort: 'due',
      descending: false,
    });
  });

  it.each([
    ['due', false, '', 'due'],
    ['due', true, 'sortierung=faelligkeit-absteigend', '-due'],
    ['received', false, 'sortierung=eingang', 'received'],
    ['received', true, 'sortierung=eingang-absteigend', '-received'],
    ['caseNumber', false, 'sortierung=aktenzeichen', 'caseNumber'],
    ['caseNumber', true, 'sortierung=aktenzeichen-absteigend', '-caseNumber'],
    ['procedure', false, 'sortierung=verfahren', 'procedure'],
    ['procedure', true, 'sortierung=verfahren-absteigend', '-procedure'],
  ] as const)(
    'keeps sorting by %s (descending: %s) in the URL as „%s“ and asks the API for %s',
    (sort, descending, url, api) => {
      const view = { ...readView(new URLSearchParams('ansicht=gruppe&seite=2')), sort, descending };
      const params = writeView(view);
      expect(params.get('sortierung') ?? '').toBe(url.replace('sortierung=', ''));
      expect(readView(params)).toEqual(view);
      expect(new URLSearchParams(apiQuery(view)).get('sort')).toBe(api);
    },
  );

  it('asks the API for the page by offset with the filters', () => {
    const query = new URLSearchParams(apiQuery(readView(new URLSearchParams('ansicht=gruppe&seite=2&suche=+MAE+'))));
    expect(Object.fromEntries(query)).toEqual({ queue: 'group', sort: 'due', limit: '50', offset: '50', q: 'MAE' });
  });
});
