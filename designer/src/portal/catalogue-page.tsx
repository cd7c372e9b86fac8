import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../app/api.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { groupByLifeSituation, matches, type Service } from './catalogue.ts';

/** The start page: the service catalogue with search (names and synonyms) grouped by life situation. */
export function CataloguePage() {
  const { t } = useTranslation('portal');
  usePageTitle(t('catalogue.title'));
  const [params, setParams] = useSearchParams();
  const query = params.get('suche') ?? '';
  const searchId = useId();
  const services = useQuery({ queryKey: ['catalogue'], queryFn: () => api<Service[]>('GET', '/api/procedures') });
  const found = (services.data ?? []).filter((s) => matches(s, query));

  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('catalogue.title')}</h1>
      <p className="kern-body kern-body--large">{t('catalogue.intro')}</p>
      <search className="narrow">
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={searchId}>
            {t('catalogue.search')}
          </label>
          <div className="kern-hint" id={`${searchId}-hinweis`}>
            {t('catalogue.searchHint')}
          </div>
          <input
            id={searchId}
            className="kern-form-input__input"
            type="search"
            value={query}
            aria-describedby={`${searchId}-hinweis`}
            onChange={(event) => setParams(event.target.value ? { suche: event.target.value } : {}, { replace: true })}
          />
        </div>
      </search>
      <p className="kern-body" role="status">
        {services.isSuccess && (found.length ? t('catalogue.results', { count: found.length }) : t('catalogue.none'))}
      </p>
      {groupByLifeSituation(found, t('catalogue.other')).map(([situation, list]) => (
        <section key={situation} className="kern-stack" aria-labelledby={`lage-${situation}`}>
          <h2 className="kern-heading" id={`lage-${situation}`}>
            {situation}
          </h2>
          <ul className="catalogue-list">
            {list.map((service) => (
              <li key={service.key} className="kern-card">
                <div className="kern-card__container">
                  <div className="kern-card__header">
                    <h3 className="kern-title">
                      <Link className="kern-link kern-link--stretched" to={`/leistungen/${service.key}`}>
                        {service.title}
                      </Link>
                    </h3>
                  </div>
                  <div className="kern-card__body">
                    {service.description && <p className="kern-body">{service.description}</p>}
                    <dl className="kern-description-list">
                      {service.fee && (
                        <div className="kern-description-list-item">
                          <dt>{t('catalogue.fee')}</dt>
                          <dd>{service.fee}</dd>
                        </div>
                      )}
                      {service.duration && (
                        <div className="kern-description-list-item">
                          <dt>{t('catalogue.duration')}</dt>
                          <dd>{service.duration}</dd>
                        </div>
                      )}
                    </dl>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
