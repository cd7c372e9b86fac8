import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../app/api.ts';
import { ErrorSummary, type SummaryItem } from '../common/error-summary.tsx';
import { TextField } from '../common/text-field.tsx';
import { usePageTitle } from '../common/use-page-title.ts';
import { QueryProblem } from './query-problem.tsx';
import { StatusPanel } from './status-panel.tsx';
import { useStatus } from './use-status.ts';

/** `/status`: "Wo steht mein Antrag?" – asks for the tracking code. */
export function StatusLookupPage() {
  const { t } = useTranslation('portal');
  usePageTitle(t('status.title'));
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.replace(/\s+/g, '').toUpperCase();
    if (!trimmed) return setErrors([{ fieldId: 'vorgangsnummer', message: t('status.codeMissing') }]);
    navigate(`/status/${encodeURIComponent(trimmed)}`);
  };
  return (
    <div className="kern-stack narrow">
      <h1 className="kern-heading">{t('status.title')}</h1>
      <p className="kern-body">{t('status.intro')}</p>
      <ErrorSummary items={errors} />
      <form className="kern-stack" onSubmit={submit} noValidate>
        <TextField
          id="vorgangsnummer"
          label={t('status.code')}
          hint={t('status.codeHint')}
          error={errors[0]?.message}
          value={code}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setCode(event.target.value)}
        />
        <p>
          <button type="submit" className="kern-btn kern-btn--primary">
            <span className="kern-label">{t('status.show')}</span>
          </button>
        </p>
      </form>
    </div>
  );
}

/** `/status/:trackingCode`: the public status labels with their dates and what happens next. */
export function StatusPage() {
  const { t, i18n } = useTranslation('portal');
  const { trackingCode = '' } = useParams();
  usePageTitle(t('status.title'));
  const status = useStatus(trackingCode);
  if (status.error instanceof ApiError && status.error.status === 404) {
    return (
      <div className="kern-stack narrow">
        <h1 className="kern-heading">{t('status.title')}</h1>
        <p className="kern-body">{t('status.notFound')}</p>
        <p className="kern-body">
          <Link className="kern-link" to="/status">
            {t('status.again')}
          </Link>
        </p>
      </div>
    );
  }
  if (!status.data) return <QueryProblem query={status} />;
  const s = status.data;
  const date = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  });
  return (
    <div className="kern-stack narrow">
      <h1 className="kern-heading">{t('status.title')}</h1>
      <dl className="kern-description-list">
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('confirmation.procedure')}</dt>
          <dd className="kern-description-list-item__value">{s.procedure}</dd>
        </div>
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('confirmation.caseNumber')}</dt>
          <dd className="kern-description-list-item__value">{s.caseNumber}</dd>
        </div>
      </dl>
      <StatusPanel status={s} trackingCode={trackingCode} />
      <h2 className="kern-heading">{t('status.history')}</h2>
      <ol className="kern-list kern-list--number status-history">
        {s.history.map((h) => (
          <li key={h.at + h.status}>
            <strong>{h.status}</strong>
            <time dateTime={h.at}>{date.format(new Date(h.at))}</time>
          </li>
        ))}
      </ol>
    </div>
  );
}
