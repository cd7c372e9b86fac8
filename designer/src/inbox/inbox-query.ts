/** The queues of the inbox, in the order of the tabs; the URL names them in German (bookmarks, shared links). */
export const QUEUES = [
  { id: 'mine', slug: 'meine' },
  { id: 'group', slug: 'gruppe' },
  { id: 'overdue', slug: 'ueberfaellig' },
  { id: 'followUp', slug: 'wiedervorlage' },
  { id: 'done', slug: 'erledigt' },
] as const;
export type QueueId = (typeof QUEUES)[number]['id'];

/** What the list can be sorted by; the URL names them in German (`sortierung=eingang-absteigend`). */
export const SORTS = [
  { id: 'due', slug: 'faelligkeit' },
  { id: 'received', slug: 'eingang' },
  { id: 'caseNumber', slug: 'aktenzeichen' },
  { id: 'procedure', slug: 'verfahren' },
] as const;
export type SortId = (typeof SORTS)[number]['id'];
const DESCENDING = '-absteigend';

/** Tasks per page; the server reads a page through its index, so deep pages stay cheap. */
export const PAGE_SIZE = 50;

/** What the list shows, as kept in the URL's search params. */
export type InboxView = {
  queue: QueueId;
  procedure: string;
  dueBy: string;
  text: string;
  sort: SortId;
  descending: boolean;
  page: number;
};

/** Reads the view from the search params; unknown or missing values fall back to the defaults. */
export function readView(params: URLSearchParams): InboxView {
  const queue = QUEUES.find((q) => q.slug === params.get('ansicht'))?.id ?? 'mine';
  const dueBy = params.get('faellig') ?? '';
  const page = Number.parseInt(params.get('seite') ?? '1', 10);
  const sorting = params.get('sortierung') ?? '';
  const sort = SORTS.find((s) => s.slug === sorting.replace(DESCENDING, ''));
  return {
    queue,
    procedure: params.get('verfahren') ?? '',
    dueBy: /^\d{4}-\d{2}-\d{2}$/.test(dueBy) ? dueBy : '',
    text: params.get('suche') ?? '',
    sort: sort?.id ?? 'due',
    descending: sort !== undefined && sorting.endsWith(DESCENDING),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** The search params of a view; defaults are left out so the plain `/inbox` URL is the default view. */
export function writeView(view: InboxView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.queue !== 'mine') params.set('ansicht', QUEUES.find((q) => q.id === view.queue)?.slug ?? 'meine');
  if (view.procedure) params.set('verfahren', view.procedure);
  if (view.dueBy) params.set('faellig', view.dueBy);
  if (view.text) params.set('suche', view.text);
  if (view.sort !== 'due' || view.descending) {
    const slug = SORTS.find((s) => s.id === view.sort)?.slug ?? 'faelligkeit';
    params.set('sortierung', view.descending ? slug + DESCENDING : slug);
  }
  if (view.page > 1) params.set('seite', String(view.page));
  return params;
}

/** The API query of a view. */
export function apiQuery(view: InboxView): string {
  const q = new URLSearchParams({
    queue: view.queue,
    sort: view.descending ? `-${view.sort}` : view.sort,
    limit: String(PAGE_SIZE),
    offset: String((view.page - 1) * PAGE_SIZE),
  });
  if (view.procedure) q.set('procedure', view.procedure);
  if (view.dueBy) q.set('dueBy', view.dueBy);
  if (view.text.trim()) q.set('q', view.text.trim());
  return q.toString();
}
