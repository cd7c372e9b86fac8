import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../common/use-page-title.ts';
import { calls, type Incident, keys, useAdminMutation, useIncidents } from './admin-api.ts';
import { ApiProblem } from './api-problem.tsx';
import { CancelCaseConfirm } from './cancel-case-confirm.tsx';
import { IncidentInputForm } from './incident-input-form.tsx';
import { QueryState } from './query-state.tsx';

type Action = { kind: 'input' | 'cancel'; incident: Incident };

/**
 * Incidents of the tenant: connector calls that failed after all attempts. Each can be retried as it is, retried
 * with a corrected input, or its case cancelled; several can be retried at once.
 */
export function IncidentsPage() {
  const { t, i18n } = useTranslation('admin');
  usePageTitle(t('incidents.title'));
  const incidents = useIncidents();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [action, setAction] = useState<Action>();
  const [notice, setNotice] = useState('');
  const opener = useRef<HTMLButtonElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const refresh = [keys.incidents, ['admin', 'cases']] as const;
  const retry = useAdminMutation(calls.retry, refresh);
  const retryMany = useAdminMutation(calls.retryMany, refresh);

  const close = (message?: string) => {
    setAction(undefined);
    if (message) setNotice(message);
    // The row may be gone (retried, cancelled): then focus goes back to the page heading.
    if (opener.current?.isConnected) opener.current.focus();
    else heading.current?.focus();
  };
  const open = (kind: Action['kind'], incident: Incident, button: HTMLButtonElement) => {
    opener.current = button;
    setNotice('');
    setAction({ kind, incident });
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <div className="kern-stack">
      <h1 className="kern-heading" ref={heading} tabIndex={-1}>
        {t('incidents.title')}
      </h1>
      <p className="kern-body">{t('incidents.intro')}</p>
      <p className="kern-body" role="status">
        {notice}
      </p>
      <ApiProblem error={retry.error ?? retryMany.error} fieldId={() => ''} />
      <QueryState query={incidents}>
        {(list) => {
          const chosen = list.filter((i) => selected.has(i.id));
          if (list.length === 0) return <p className="kern-body">{t('incidents.none')}</p>;
          return (
            <>
              <div className="admin-actions">
                <button
                  type="button"
                  className="kern-btn kern-btn--primary"
                  disabled={chosen.length === 0 || retryMany.isPending}
                  onClick={() =>
                    retryMany.mutate(
                      chosen.map((i) => i.id),
                      {
                        onSuccess: (result) => {
                          setSelected(new Set());
                          setNotice(t('incidents.retriedMany', { count: result.retried.length }));
                        },
                      },
                    )
                  }
                >
                  <span className="kern-label">{t('incidents.retrySelected', { count: chosen.length })}</span>
                </button>
              </div>
              <div className="admin-table">
                <table className="kern-table">
                  <caption className="kern-title">{t('incidents.caption', { count: list.length })}</caption>
                  <thead className="kern-table__header">
                    <tr className="kern-table__row">
                      <th className="kern-table__header" scope="col">
                        <input
                          type="checkbox"
                          className="kern-form-check__checkbox"
                          aria-label={t('incidents.selectAll')}
                          checked={chosen.length === list.length}
                          onChange={(event) =>
                            setSelected(event.target.checked ? new Set(list.map((i) => i.id)) : new Set())
                          }
                        />
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('incidents.case')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('incidents.call')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('incidents.error')}
                      </th>
                      <th className="kern-table__header kern-table__header--numeric" scope="col">
                        {t('incidents.attempts')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('incidents.since')}
                      </th>
                      <th className="kern-table__header" scope="col">
                        {t('incidents.actions')}
                      </th>
                    </tr>
                  </thead>
                  <tbody className="kern-table__body">
                    {list.map((incident) => (
                      <tr className="kern-table__row" key={incident.id}>
                        <td className="kern-table__cell">
                          <input
                            type="checkbox"
                            className="kern-form-check__checkbox"
                            aria-label={t('incidents.select', { number: incident.caseNumber })}
                            checked={selected.has(incident.id)}
                            onChange={(event) => toggle(incident.id, event.target.checked)}
                          />
                        </td>
                        <th className="kern-table__cell" scope="row">
                          <Link className="kern-link" to={`/admin/vorgaenge/${incident.caseId}`}>
                            {incident.caseNumber}
                          </Link>
                        </th>
                        <td className="kern-table__cell">
                          {incident.connector} · {incident.operation}
                          <br />
                          <span className="kern-body--small">{t('incidents.inState', { state: incident.state })}</span>
                        </td>
                        <td className="kern-table__cell admin-error-text">{incident.error}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{incident.attempts}</td>
                        <td className="kern-table__cell">
                          {new Date(incident.updatedAt).toLocaleString(i18n.language)}
                        </td>
                        <td className="kern-table__cell">
                          <div className="admin-row-actions">
                            <button
                              type="button"
                              className="kern-btn kern-btn--secondary"
                              disabled={retry.isPending}
                              onClick={() =>
                                retry.mutate(incident.id, {
                                  onSuccess: () => setNotice(t('incidents.retried', { number: incident.caseNumber })),
                                })
                              }
                            >
                              <span className="kern-label">
                                {t('incidents.retry')}
                                <span className="visually-hidden"> {incident.caseNumber}</span>
                              </span>
                            </button>
                            <button
                              type="button"
                              className="kern-btn kern-btn--secondary"
                              onClick={(event) => open('input', incident, event.currentTarget)}
                            >
                              <span className="kern-label">
                                {t('incidents.editInput')}
                                <span className="visually-hidden"> {incident.caseNumber}</span>
                              </span>
                            </button>
                            <button
                              type="button"
                              className="kern-btn kern-btn--tertiary"
                              onClick={(event) => open('cancel', incident, event.currentTarget)}
                            >
                              <span className="kern-label">
                                {t('incidents.cancelCase')}
                                <span className="visually-hidden"> {incident.caseNumber}</span>
                              </span>
                            </button>
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </QueryState>
      {action?.kind === 'input' && (
        <IncidentInputForm
          incident={action.incident}
          onDone={(retried) => close(retried ? t('incidents.retried', { number: action.incident.caseNumber }) : '')}
        />
      )}
      {action?.kind === 'cancel' && (
        <CancelCaseConfirm
          caseId={action.incident.caseId}
          caseNumber={action.incident.caseNumber}
          onDone={(cancelled) => close(cancelled ? t('cases.cancelled', { number: action.incident.caseNumber }) : '')}
        />
      )}
    </div>
  );
}
