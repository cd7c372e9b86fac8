import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../common/use-page-title.ts';
import { QueryProblem } from './query-problem.tsx';
import { StatusPanel } from './status-panel.tsx';
import { useStatus } from './use-status.ts';

/** `/leistungen/:key/eingegangen/:trackingCode`: the application arrived; case number, tracking code, payment. */
export function ConfirmationPage() {
  const { t } = useTranslation('portal');
  const { trackingCode = '' } = useParams();
  usePageTitle(t('confirmation.title'));
  const status = useStatus(trackingCode);
  if (!status.data) return <QueryProblem query={status} />;
  return (
    <div className="kern-stack narrow">
      <div className="kern-alert kern-alert--success">
        <div className="kern-alert__header">
          <span className="kern-icon kern-icon--success" aria-hidden="true" />
          <h1 className="kern-title">{t('confirmation.title')}</h1>
        </div>
        <div className="kern-alert__body">
          <dl className="kern-description-list">
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('confirmation.procedure')}</dt>
              <dd className="kern-description-list-item__value">{status.data.procedure}</dd>
            </div>
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('confirmation.caseNumber')}</dt>
              <dd className="kern-description-list-item__value" data-testid="aktenzeichen">
                {status.data.caseNumber}
              </dd>
            </div>
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('confirmation.trackingCode')}</dt>
              <dd className="kern-description-list-item__value" data-testid="vorgangsnummer">
                {trackingCode}
              </dd>
            </div>
          </dl>
        </div>
      </div>
      <p className="kern-body">{t('confirmation.keepCode')}</p>
      <StatusPanel status={status.data} trackingCode={trackingCode} />
      <p className="kern-body">
        <Link className="kern-link" to={`/status/${trackingCode}`}>
          {t('confirmation.toStatus')}
        </Link>
      </p>
    </div>
  );
}
