import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { QueryProblem } from './query-problem.tsx';

type Contact = { email: string; phone: string; address: string[]; reviewedOn: string };
type Tenant = { name: string; land: string; contact: Contact | null };

const LIMITATIONS = ['texts', 'documents', 'payment', 'modeler'] as const;

/**
 * `/barrierefreiheit`: the accessibility statement of the tenant (BITV 2.0 § 7): conformance status, known
 * limitations, when the tenant prepared or reviewed it, its feedback contact (or plainly that it has entered none
 * yet), and the enforcement procedure of the tenant's Land.
 */
export function AccessibilityPage() {
  const { t, i18n } = useTranslation('portal', { keyPrefix: 'accessibility' });
  usePageTitle(t('title'));
  const tenant = useQuery({ queryKey: ['portal-tenant'], queryFn: () => api<Tenant>('GET', '/api/portal/tenant') });
  if (!tenant.data) return <QueryProblem query={tenant} />;
  const { name, land, contact } = tenant.data;
  const landName = t(`lands.${land}`, { defaultValue: land });
  const reviewed = contact
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${contact.reviewedOn}T00:00:00Z`),
      )
    : undefined;
  return (
    <div className="kern-stack narrow">
      <h1 className="kern-heading">{t('title')}</h1>
      <p className="kern-body">{t('scope', { name })}</p>
      <h2 className="kern-heading">{t('statusTitle')}</h2>
      <p className="kern-body">{t('status')}</p>
      <h2 className="kern-heading">{t('limitationsTitle')}</h2>
      <ul className="kern-list kern-list--bullet">
        {LIMITATIONS.map((l) => (
          <li key={l}>{t(`limitations.${l}`)}</li>
        ))}
      </ul>
      <h2 className="kern-heading">{t('preparedTitle')}</h2>
      <p className="kern-body">{t('prepared')}</p>
      <p className="kern-body">{reviewed ? t('reviewed', { name, date: reviewed }) : t('notReviewed', { name })}</p>
      <h2 className="kern-heading">{t('feedbackTitle')}</h2>
      {contact ? (
        <>
          <p className="kern-body">{t('feedback', { name })}</p>
          <dl className="kern-description-list" data-testid="feedback-kontakt">
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('address')}</dt>
              <dd className="kern-description-list-item__value">
                <address className="feedback-address">
                  {contact.address.map((line) => (
                    <span key={line}>{line}</span>
                  ))}
                </address>
              </dd>
            </div>
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('email')}</dt>
              <dd className="kern-description-list-item__value">
                <a className="kern-link" href={`mailto:${contact.email}`}>
                  {contact.email}
                </a>
              </dd>
            </div>
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('phone')}</dt>
              <dd className="kern-description-list-item__value">
                <a className="kern-link" href={`tel:${contact.phone.replace(/[^+0-9]/g, '')}`}>
                  {contact.phone}
                </a>
              </dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="kern-body">{t('noContact', { name })}</p>
      )}
      <h2 className="kern-heading">{t('enforcementTitle')}</h2>
      <p className="kern-body">{t('enforcement', { land: landName })}</p>
      <p className="kern-body">{t('enforcementFederal')}</p>
    </div>
  );
}
