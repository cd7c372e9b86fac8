import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';

/** What a query shows while loading and when it failed (with a way to try again); its data otherwise. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (query.isPending) return <p className="kern-body">{t('loading')}</p>;
  if (query.isError) {
    return (
      <div className="kern-alert kern-alert--danger" role="alert">
        <div className="kern-alert__header">
          <span className="kern-icon kern-icon--danger" aria-hidden="true" />
          <h2 className="kern-title">{t('error.title')}</h2>
        </div>
        <div className="kern-alert__body">
          {query.error instanceof ApiError && <p className="kern-body">{query.error.message}</p>}
          <button type="button" className="kern-btn kern-btn--secondary" onClick={() => query.refetch()}>
            <span className="kern-label">{t('error.retry')}</span>
          </button>
        </div>
      </div>
    );
  }
  return <>{children(query.data)}</>;
}
