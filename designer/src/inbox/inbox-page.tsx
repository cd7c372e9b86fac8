import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { ShortcutsDialog } from '../common/shortcuts-dialog.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { BulkBar } from './bulk-bar.tsx';
import { actions, type InboxTask, useInboxAction, useProcedures, useQueue } from './inbox-api.ts';
import { apiQuery, type InboxView, PAGE_SIZE, QUEUES, readView, SORTS, type SortId, writeView } from './inbox-query.ts';
import { useDates } from './use-dates.ts';
import { useSelection } from './use-selection.ts';
import { useShortcuts } from './use-shortcuts.ts';

/** The task list: queues, filters and sort in the URL, paging, selection with bulk actions, keyboard operation. */
export function InboxPage() {
  const { t } = useTranslation('inbox');
  usePageTitle(t('list.title'));
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const update = (patch: Partial<InboxView>) => setParams(writeView({ ...view, page: 1, ...patch }));
  const queue = useQueue(apiQuery(view));
  const procedures = useProcedures();
  const titleOf = (key: string) => procedures.data?.find((p) => p.key === key)?.title ?? key;
  const { selected, set: setSelected, toggle } = useSelection();
  const claim = useInboxAction(actions.claim);
  const dates = useDates();
  const help = useRef<HTMLDialogElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLTableSectionElement>(null);
  const completed: unknown = useLocation().state?.completed;
  const [text, setText] = useState(view.text);
  const ids = { procedure: useId(), due: useId(), text: useId(), sort: useId() };
  useEffect(() => setText(view.text), [view.text]);

  const items = queue.data?.items ?? [];
  const total = queue.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const queueTitle = t(`queues.${view.queue}`);

  const rowLinks = () => Array.from(table.current?.querySelectorAll<HTMLAnchorElement>('a[data-row]') ?? []);

  useShortcuts([
    { key: '?', run: () => help.current?.showModal() },
    { key: '/', run: () => search.current?.focus() },
    {
      key: 'j',
      run: () => rowLinks()[0]?.focus(),
    },
  ]);

  function onRowKey(event: KeyboardEvent<HTMLAnchorElement>, task: InboxTask) {
    const links = rowLinks();
    const index = links.indexOf(event.currentTarget);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      links[index + (event.key === 'ArrowDown' ? 1 : -1)]?.focus();
    } else if (event.key === ' ' || event.key === 'x') {
      event.preventDefault();
      toggle(task.id);
    } else if (event.key === 'c' && task.state === 'open' && task.assignee === null) {
      event.preventDefault();
      claim.mutate(task.id);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      (event.key === 'Home' ? links[0] : links.at(-1))?.focus();
    }
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    update({ text });
  }

  const allOnPage = items.length > 0 && items.every((task) => selected.includes(task.id));

  /**
   * A sortable column header: a button in the header cell sorts by the column, ascending first, and again in the
   * other direction; `aria-sort` marks the column the list is sorted by.
   */
  const sortHeader = (id: SortId, label: string) => {
    const active = view.sort === id;
    return (
      <th
        className="kern-table__header"
        scope="col"
        aria-sort={active ? (view.descending ? 'descending' : 'ascending') : undefined}
      >
        <button
          type="button"
          className="inbox-sort"
          onClick={() => update({ sort: id, descending: active && !view.descending })}
        >
          {label}
          <span className="inbox-sort__icon" aria-hidden="true">
            {active ? (view.descending ? '▼' : '▲') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <div className="kern-stack inbox">
      <div className="inbox-heading">
        <h1 className="kern-heading">{t('list.title')}</h1>
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => help.current?.showModal()}>
          <span className="kern-label">{t('shortcuts.show')}</span>
        </button>
      </div>

      <nav aria-label={t('queues.label')}>
        <ul className="inbox-queues">
          {QUEUES.map((q) => (
            <li key={q.id}>
              <Link
                className="kern-link"
                to={`?${writeView({ ...view, queue: q.id, page: 1 })}`}
                aria-current={q.id === view.queue ? 'page' : undefined}
              >
                {t(`queues.${q.id}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <search>
        <form className="inbox-filters" onSubmit={onSearch}>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={ids.text}>
              {t('filter.text')}
            </label>
            <input
              ref={search}
              id={ids.text}
              className="kern-form-input__input"
              type="search"
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          </div>
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-label">{t('filter.search')}</span>
          </button>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={ids.procedure}>
              {t('filter.procedure')}
            </label>
            <div className="kern-form-input__select-wrapper">
              <select
                id={ids.procedure}
                className="kern-form-input__select"
                value={view.procedure}
                onChange={(event) => update({ procedure: event.target.value })}
              >
                <option value="">{t('filter.allProcedures')}</option>
                {procedures.data?.map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.title}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={ids.due}>
              {t('filter.dueBy')}
            </label>
            <input
              id={ids.due}
              className="kern-form-input__input"
              type="date"
              value={view.dueBy}
              onChange={(event) => update({ dueBy: event.target.value })}
            />
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={ids.sort}>
              {t('filter.sort')}
            </label>
            <div className="kern-form-input__select-wrapper">
              <select
                id={ids.sort}
                className="kern-form-input__select"
                value={`${view.sort}:${view.descending ? 'desc' : 'asc'}`}
                onChange={(event) => {
                  const [sort, direction] = event.target.value.split(':');
                  update({ sort: SORTS.find((s) => s.id === sort)?.id ?? 'due', descending: direction === 'desc' });
                }}
              >
                {SORTS.flatMap(({ id }) =>
                  (['asc', 'desc'] as const).map((direction) => (
                    <option key={`${id}:${direction}`} value={`${id}:${direction}`}>
                      {t(`sort.${id}.${direction}`)}
                    </option>
                  )),
                )}
              </select>
            </div>
          </div>
        </form>
      </search>

      {typeof completed === 'string' && (
        <div className="kern-alert kern-alert--success" role="status">
          <div className="kern-alert__header">
            <span className="kern-title">{t('list.completed', { title: completed })}</span>
          </div>
        </div>
      )}
      <p className="kern-body" role="status">
        {queue.isSuccess && t('list.count', { count: total })}
      </p>
      {queue.isError && (
        <div className="kern-alert kern-alert--danger" role="alert">
          <div className="kern-alert__header">
            <span className="kern-title">{t('list.loadFailed')}</span>
          </div>
        </div>
      )}
      {claim.isError && (
        <div className="kern-alert kern-alert--danger" role="alert">
          <div className="kern-alert__header">
            <span className="kern-title">{t('actions.claimFailed')}</span>
          </div>
          <div className="kern-alert__body">
            <p className="kern-body">{claim.error.message}</p>
          </div>
        </div>
      )}

      <BulkBar
        selected={selected}
        onDone={(failed) => setSelected(failed)}
        groupsOf={(id) => items.find((task) => task.id === id)?.group}
      />

      <div className="inbox-table-wrapper">
        <table className="kern-table kern-table--small inbox-table">
          <caption className="visually-hidden">{t('list.caption', { queue: queueTitle })}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th className="kern-table__header" scope="col">
                <input
                  type="checkbox"
                  className="kern-form-check__checkbox"
                  aria-label={t('list.selectAll')}
                  checked={allOnPage}
                  onChange={() =>
                    setSelected(
                      allOnPage
                        ? selected.filter((id) => !items.some((task) => task.id === id))
                        : [...new Set([...selected, ...items.map((task) => task.id)])],
                    )
                  }
                />
              </th>
              <th className="kern-table__header" scope="col">
                {t('columns.task')}
              </th>
              {sortHeader('procedure', t('columns.procedure'))}
              {sortHeader('caseNumber', t('columns.caseNumber'))}
              <th className="kern-table__header" scope="col">
                {t('columns.applicant')}
              </th>
              {sortHeader('received', t('columns.received'))}
              {sortHeader('due', t('columns.due'))}
              <th className="kern-table__header" scope="col">
                {t('columns.assignee')}
              </th>
            </tr>
          </thead>
          <tbody className="kern-table__body" ref={table}>
            {items.map((task) => (
              <tr
                key={task.id}
                className={`kern-table__row${selected.includes(task.id) ? ' inbox-row--selected' : ''}`}
              >
                <td className="kern-table__cell">
                  <input
                    type="checkbox"
                    className="kern-form-check__checkbox"
                    aria-label={t('list.select', { title: task.title, caseNumber: task.caseNumber })}
                    checked={selected.includes(task.id)}
                    onChange={() => toggle(task.id)}
                  />
                </td>
                <td className="kern-table__cell">
                  <Link
                    className="kern-link"
                    data-row={task.id}
                    to={`aufgaben/${task.id}`}
                    state={{ back: `?${params}` }}
                    onKeyDown={(event) => onRowKey(event, task)}
                  >
                    {task.title}
                  </Link>
                </td>
                <td className="kern-table__cell">{titleOf(task.procedure)}</td>
                <td className="kern-table__cell">{task.caseNumber}</td>
                <td className="kern-table__cell">{task.applicant ?? '–'}</td>
                <td className="kern-table__cell">{dates.date(task.receivedAt)}</td>
                <td className="kern-table__cell">
                  {task.dueAt ? dates.date(task.dueAt) : '–'}
                  {task.overdue && (
                    <>
                      {' '}
                      <span className="kern-badge kern-badge--danger">
                        <span className="kern-label kern-label--small">{t('list.overdue')}</span>
                      </span>
                    </>
                  )}
                  {task.followUpUntil && (
                    <div className="kern-hint">{t('list.followUp', { date: dates.date(task.followUpUntil) })}</div>
                  )}
                </td>
                <td className="kern-table__cell">
                  {task.state === 'done' ? (
                    t('list.completedAt', { date: task.completedAt ? dates.date(task.completedAt) : '–' })
                  ) : task.assignee ? (
                    task.assignee
                  ) : (
                    <button
                      type="button"
                      className="kern-btn kern-btn--tertiary kern-btn--small"
                      onClick={() => claim.mutate(task.id)}
                    >
                      <span className="kern-label">
                        {t('actions.claim')}
                        <span className="visually-hidden">
                          : {task.title}, {task.caseNumber}
                        </span>
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {queue.isSuccess && items.length === 0 && <p className="kern-body">{t('list.empty')}</p>}

      {pages > 1 && (
        <nav className="inbox-paging" aria-label={t('paging.label')}>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            disabled={view.page <= 1}
            onClick={() => update({ page: view.page - 1 })}
          >
            <span className="kern-label">{t('paging.previous')}</span>
          </button>
          <span className="kern-body">{t('paging.position', { page: view.page, pages })}</span>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            disabled={view.page >= pages}
            onClick={() => update({ page: view.page + 1 })}
          >
            <span className="kern-label">{t('paging.next')}</span>
          </button>
        </nav>
      )}

      <ShortcutsDialog
        ref={help}
        title={t('shortcuts.title')}
        closeLabel={t('shortcuts.close')}
        className="inbox-dialog"
        items={[
          { keys: 'j', label: t('shortcuts.firstRow') },
          { keys: '↑ ↓', label: t('shortcuts.move') },
          { keys: t('shortcuts.enterKey'), label: t('shortcuts.open') },
          { keys: t('shortcuts.spaceKey'), label: t('shortcuts.select') },
          { keys: 'c', label: t('shortcuts.claim') },
          { keys: '/', label: t('shortcuts.search') },
          { keys: '?', label: t('shortcuts.help') },
        ]}
      />
    </div>
  );
}
