import { useTranslation } from 'react-i18next';
import type { PublicStatus } from './application.ts';

/** The current status label (announced when it changes) and, while a payment is open, the way to the pay page. */
export function StatusPanel({ status }: { status: PublicStatus }) {
  const { t } = useTranslation('portal');
  return (
    <div className="kern-stack">
      <p className="kern-body kern-body--large" role="status">
        {t('status.current')} <strong>{status.status ?? t('status.unknown')}</strong>
      </p>
      {status.payUrl && (
        <div className="kern-alert kern-alert--info">
          <div className="kern-alert__header">
            <span className="kern-icon kern-icon--info" aria-hidden="true" />
            <h2 className="kern-title">{t('payment.title')}</h2>
          </div>
          <div className="kern-alert__body kern-stack">
            <p className="kern-body">{t('payment.body')}</p>
            <p>
              <a className="kern-btn kern-btn--primary" href={status.payUrl} target="_blank" rel="noopener noreferrer">
                <span className="kern-label">{t('payment.pay')}</span>
              </a>
            </p>
            <p className="kern-body">{t('payment.afterwards')}</p>
          </div>
        </div>
      )}
      <h2 className="kern-heading">{t('status.nextTitle')}</h2>
      <p className="kern-body">
        {status.done ? t('status.nextDone') : status.payUrl ? t('status.nextPay') : t('status.nextWork')}
      </p>
    </div>
  );
}
