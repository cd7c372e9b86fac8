import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../common/use-page-title.ts';
import { useCase } from './admin-api.ts';
import { CancelCaseConfirm } from './cancel-case-confirm.tsx';
import { QueryState } from './query-state.tsx';

/** One case for an admin: its state, its calls, and its full history; an active case can be cancelled here. */
export function CasePage() {
  const { t, i18n } = useTranslation('admin');
  const { id = '' } = useParams();
  const found = useCase(id);
  const title = found.data ? t('cases.detailTitle', { number: found.data.caseNumber }) : t('cases.title');
  usePageTitle(title);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState('');
  const cancelButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  return (
    <div className="kern-stack">
      <p className="kern-body">
        <Link className="kern-link" to="/admin/vorgaenge">
          {t('cases.back')}
        </Link>
      </p>
      <h1 className="kern-heading" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <QueryState query={found}>
        {(c) => (
          <>
            <p className="kern-body" role="status">
              {notice}
            </p>
            <dl className="admin-facts">
              <dt>{t('cases.procedure')}</dt>
              <dd>
                {c.procedure} v{c.version}
              </dd>
              <dt>{t('cases.state')}</dt>
              <dd>{c.state}</dd>
              <dt>{t('cases.status')}</dt>
              <dd>{t(`cases.statuses.${c.status}`)}</dd>
              <dt>{t('cases.publicStatus')}</dt>
              <dd>{c.publicStatus ?? '–'}</dd>
            </dl>
            {c.status === 'active' && !confirming && (
              <div className="admin-actions">
                <button
                  type="button"
                  ref={cancelButton}
                  className="kern-btn kern-btn--secondary"
                  onClick={() => setConfirming(true)}
                >
                  <span className="kern-label">{t('incidents.cancelCase')}</span>
                </button>
              </div>
            )}
            {confirming && (
              <CancelCaseConfirm
                caseId={c.id}
                caseNumber={c.caseNumber}
                onDone={(cancelled) => {
                  setConfirming(false);
                  if (cancelled) {
                    setNotice(t('cases.cancelled', { number: c.caseNumber }));
                    heading.current?.focus();
                  } else requestAnimationFrame(() => cancelButton.current?.focus());
                }}
              />
            )}
            <div className="admin-table">
              <table className="kern-table">
                <caption className="kern-title">{t('cases.history')}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th className="kern-table__header" scope="col">
                      {t('cases.at')}
                    </th>
                    <th className="kern-table__header" scope="col">
                      {t('cases.kind')}
                    </th>
                    <th className="kern-table__header" scope="col">
                      {t('cases.transition')}
                    </th>
                    <th className="kern-table__header" scope="col">
                      {t('cases.event')}
                    </th>
                    <th className="kern-table__header" scope="col">
                      {t('cases.actor')}
                    </th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {c.history.map((h) => (
                    <tr className="kern-table__row" key={h.id}>
                      <td className="kern-table__cell">{new Date(h.at).toLocaleString(i18n.language)}</td>
                      <td className="kern-table__cell">{h.kind}</td>
                      <td className="kern-table__cell">
                        {[h.fromState, h.toState].filter(Boolean).join(' → ') || '–'}
                        {h.publicStatus ? ` (${h.publicStatus})` : ''}
                      </td>
                      <td className="kern-table__cell">{h.event ?? '–'}</td>
                      <td className="kern-table__cell">{h.actor}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </QueryState>
    </div>
  );
}
