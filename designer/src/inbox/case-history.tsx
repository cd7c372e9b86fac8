import { useTranslation } from 'react-i18next';
import type { TaskContext } from './inbox-api.ts';
import { useDates } from './use-dates.ts';

/** The case's audit trail: when, what, from which step to which, by whom. */
export function CaseHistory({ context }: { context: TaskContext }) {
  const { t } = useTranslation('inbox');
  const dates = useDates();
  const title = (id: string | null) => (id ? (context.diagram.states.find((s) => s.id === id)?.title ?? id) : '–');
  return (
    <div className="inbox-table-wrapper">
      <table className="kern-table kern-table--small">
        <caption className="visually-hidden">{t('history.title')}</caption>
        <thead className="kern-table__head">
          <tr className="kern-table__row">
            <th className="kern-table__header" scope="col">
              {t('history.at')}
            </th>
            <th className="kern-table__header" scope="col">
              {t('history.step')}
            </th>
            <th className="kern-table__header" scope="col">
              {t('history.event')}
            </th>
            <th className="kern-table__header" scope="col">
              {t('history.actor')}
            </th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {context.history.map((h) => (
            <tr className="kern-table__row" key={h.id}>
              <td className="kern-table__cell">{dates.dateTime(h.at)}</td>
              <td className="kern-table__cell">
                {h.fromState && h.toState && h.fromState !== h.toState
                  ? `${title(h.fromState)} → ${title(h.toState)}`
                  : title(h.toState ?? h.fromState)}
              </td>
              <td className="kern-table__cell">{h.event ?? h.kind}</td>
              <td className="kern-table__cell">{h.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
