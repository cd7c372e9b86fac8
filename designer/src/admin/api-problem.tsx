import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';
import { ErrorSummary } from '../common/error-summary.tsx';

/**
 * A failed request of a form: field errors as the error summary linking to their fields (`fieldId` maps the API's
 * dotted path to an element id), anything else as one alert.
 */
export function ApiProblem({ error, fieldId }: { error: unknown; fieldId: (path: string) => string }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && error.errors.length) {
    return (
      <ErrorSummary
        items={error.errors.map((e) => ({ fieldId: fieldId(e.path), message: `${e.path}: ${e.message}` }))}
      />
    );
  }
  return (
    <div className="kern-alert kern-alert--danger" role="alert">
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--danger" aria-hidden="true" />
        <h2 className="kern-title">{t('error.title')}</h2>
      </div>
      <div className="kern-alert__body">
        <p className="kern-body">{error instanceof Error ? error.message : String(error)}</p>
      </div>
    </div>
  );
}

/** The API's message for one field of a failed form, if it names that field. */
export function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.errors.find((e) => e.path === path)?.message : undefined;
}
