import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';

/** What a page shows while its data loads, or why it could not load (a 404 reads as "not found"). */
export function QueryProblem({ query }: { query: UseQueryResult<unknown> }) {
  const { t } = useTranslation();
  if (!query.isError) {
    return (
      <p className="kern-body" role="status">
        {t('loading')}
      </p>
    );
  }
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{notFound ? t('notFound.title') : t('error.title')}</h1>
      <p className="kern-body">{notFound ? t('notFound.body') : query.error.message}</p>
      {!notFound && (
        <p>
          <button type="button" className="kern-btn kern-btn--secondary" onClick={() => query.refetch()}>
            <span className="kern-label">{t('error.retry')}</span>
          </button>
        </p>
      )}
    </div>
  );
}
