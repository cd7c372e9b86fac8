import type { UseMutationResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { HealthResult } from './admin-api.ts';
import { ApiProblem } from './api-problem.tsx';

/** The outcome of a connection check, announced politely to screen readers when it arrives. */
export function HealthCheck({ check }: { check: UseMutationResult<HealthResult, Error, string> }) {
  const { t, i18n } = useTranslation('admin');
  const result = check.data;
  return (
    <div role="status" aria-live="polite">
      {check.isPending && <p className="kern-body">{t('connectors.checking')}</p>}
      {check.isError && <ApiProblem error={check.error} fieldId={() => ''} />}
      {result && (
        <div className={`kern-alert kern-alert--${result.ok ? 'success' : 'danger'}`}>
          <div className="kern-alert__header">
            <span className={`kern-icon kern-icon--${result.ok ? 'success' : 'danger'}`} aria-hidden="true" />
            <h3 className="kern-title">{t(`health.${result.code}`)}</h3>
          </div>
          <div className="kern-alert__body">
            {result.message && <p className="kern-body">{result.message}</p>}
            <p className="kern-body kern-body--small">
              {t('health.checkedAt', { at: new Date(result.checkedAt).toLocaleString(i18n.language) })}
            </p>
          </div>
        </div>
      )}
    </div>
  );
}
