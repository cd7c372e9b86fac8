import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../app/api.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { widgetOf } from '../forms/widgets.ts';
import { loadDraft, type Procedure } from './application.ts';
import { QueryProblem } from './query-problem.tsx';

/** `/leistungen/:key`: what the service is, what the citizen needs, fee and duration, and the start button. */
export function ServicePage() {
  const { t } = useTranslation('portal');
  const { key = '' } = useParams();
  const procedure = useQuery({
    queryKey: ['procedure', key],
    queryFn: () => api<Procedure>('GET', `/api/procedures/${key}`),
  });
  usePageTitle(procedure.data?.title ?? t('service.loading'));
  if (!procedure.data) return <QueryProblem query={procedure} />;
  const p = procedure.data;
  const groups = Object.values(p.form.properties).filter((f) => f.type === 'object');
  const uploads = [p.form, ...groups].flatMap((g) =>
    Object.entries(g.properties ?? {})
      .filter(([, f]) => widgetOf(f) === 'file')
      .map(([name, f]) => ({
        title: f.title ?? name,
        required: (g.required ?? []).includes(name) && !f['x-visibleIf'],
      })),
  );
  const draft = loadDraft(localStorage, p.key);

  return (
    <div className="kern-stack narrow">
      <h1 className="kern-heading">{p.title}</h1>
      {p.description && <p className="kern-body kern-body--large">{p.description}</p>}
      <dl className="kern-description-list">
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{t('catalogue.fee')}</dt>
          <dd className="kern-description-list-item__value">{p.fee ?? t('service.noFee')}</dd>
        </div>
        {p.duration && (
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('catalogue.duration')}</dt>
            <dd className="kern-description-list-item__value">{p.duration}</dd>
          </div>
        )}
      </dl>
      <h2 className="kern-heading">{t('service.needed')}</h2>
      <ul className="kern-list kern-list--bullet">
        {groups.map((g) => (
          <li key={g.title}>
            <strong>{g.title}</strong>
            {g.description && ` – ${g.description}`}
          </li>
        ))}
        {uploads.map((f) => (
          <li key={f.title}>{t(f.required ? 'service.upload' : 'service.uploadIfNeeded', { title: f.title })}</li>
        ))}
        {p.fee && <li>{t('service.payOnline')}</li>}
      </ul>
      {p.requiresLogin && (
        <div className="kern-alert kern-alert--info" role="note">
          <div className="kern-alert__body">
            <p className="kern-body">{t('service.requiresLogin')}</p>
          </div>
        </div>
      )}
      <p className="kern-body">{t('service.privacy')}</p>
      <p>
        <Link className="kern-btn kern-btn--primary" to={`/leistungen/${p.key}/antrag`}>
          <span className="kern-label">{draft ? t('service.resume') : t('service.start')}</span>
        </Link>
      </p>
    </div>
  );
}
