import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api.ts';
import { usePageTitle } from '../common/use-page-title.ts';
import { QueryProblem } from './query-problem.tsx';

type Tenant = { name: string; land: string };

const LIMITATIONS = ['texts', 'documents', 'payment', 'modeler'] as const;

/**
 * `/barrierefreiheit`: the accessibility statement of the tenant (BITV 2.0 § 7): conformance status, known
 * limitations, feedback, and the enforcement procedure of the tenant's Land.
 */
export function AccessibilityPage() {
  const { t } = useTranslation('portal', { keyPrefix: 'accessibility' });
  usePageTitle(t('title'));
  const tenant = useQuery({ queryKey: ['portal-tenant'], queryFn: () => api<Tenant>('GET', '/api/portal/tenant') });
  if (!tenant.data) return <QueryProblem query={tenant} />;
  const { name, land } = tenant.data;
  const landName = t(`lands.${land}`, { defaultValue: land });
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
      <h2 className="kern-heading">{t('feedbackTitle')}</h2>
      <p className="kern-body">{t('feedback', { name })}</p>
      <h2 className="kern-heading">{t('enforcementTitle')}</h2>
      <p className="kern-body">{t('enforcement', { land: landName })}</p>
      <p className="kern-body">{t('enforcementFederal')}</p>
    </div>
  );
}
