import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicStatus } from './application.ts';
import { rememberPayPage, returnedFrom } from './payment-return.ts';

type Tone = 'info' | 'success' | 'danger';

function Notice({ tone, title, children }: { tone: Tone; title: string; children?: ReactNode }) {
  return (
    <div className={`kern-alert kern-alert--${tone}`}>
      <div className="kern-alert__header">
        <span className={`kern-icon kern-icon--${tone}`} aria-hidden="true" />
        <h2 className="kern-title">{title}</h2>
      </div>
      {children && <div className="kern-alert__body kern-stack">{children}</div>}
    </div>
  );
}

/**
 * What the case says about the payment, in a live region: "being confirmed" after the citizen came back from the
 * provider while the case still waits, then paid, failed or cancelled as the case records it.
 */
function PaymentOutcome({ status, confirming }: { status: PublicStatus; confirming: boolean }) {
  const { t } = useTranslation('portal');
  if (confirming) {
    return (
      <Notice tone="info" title={t('payment.confirmingTitle')}>
        <p className="kern-body">{t('payment.confirming')}</p>
      </Notice>
    );
  }
  switch (status.paymentStatus) {
    case 'paid':
      return <Notice tone="success" title={t('payment.paidTitle')} />;
    case 'failed':
      return (
        <Notice tone="danger" title={t('payment.failedTitle')}>
          {!status.done && (
            <p className="kern-body">{status.payUrl ? t('payment.failedRetry') : t('payment.failedWait')}</p>
          )}
        </Notice>
      );
    case 'cancelled':
      return (
        <Notice tone="info" title={t('payment.cancelledTitle')}>
          <p className="kern-body">{t('payment.cancelled')}</p>
        </Notice>
      );
    default:
      return null;
  }
}

/**
 * The current status label (announced when it changes), the payment's outcome, and while a payment is open the way
 * to the provider's pay page in this window (the provider sends the citizen back to `/status/:trackingCode`).
 */
export function StatusPanel({ status, trackingCode }: { status: PublicStatus; trackingCode: string }) {
  const { t } = useTranslation('portal');
  const confirming = returnedFrom(trackingCode, status.payUrl);
  const payUrl = status.payUrl;
  const payLink = (label: string) =>
    payUrl && (
      <a className="kern-btn kern-btn--primary" href={payUrl} onClick={() => rememberPayPage(trackingCode, payUrl)}>
        <span className="kern-label">{label}</span>
      </a>
    );
  return (
    <div className="kern-stack">
      <p className="kern-body kern-body--large" role="status">
        {t('status.current')} <strong>{status.status ?? t('status.unknown')}</strong>
      </p>
      <div role="status">
        <PaymentOutcome status={status} confirming={confirming} />
      </div>
      {confirming && (
        <p className="kern-body">
          {t('payment.notFinished')}{' '}
          <a className="kern-link" href={payUrl}>
            {t('payment.resume')}
          </a>
        </p>
      )}
      {payUrl && !confirming && (
        <Notice tone="info" title={t('payment.title')}>
          <p className="kern-body">{t('payment.body')}</p>
          <p>{payLink(status.paymentStatus === 'failed' ? t('payment.payAgain') : t('payment.pay'))}</p>
          <p className="kern-body">{t('payment.afterwards')}</p>
        </Notice>
      )}
      <h2 className="kern-heading">{t('status.nextTitle')}</h2>
      <p className="kern-body">
        {status.done ? t('status.nextDone') : payUrl && !confirming ? t('status.nextPay') : t('status.nextWork')}
      </p>
    </div>
  );
}
