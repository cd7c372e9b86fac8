import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../common/use-page-title.ts';
import { useConnectors } from './admin-api.ts';
import { ConnectorPanel } from './connector-panel.tsx';
import { QueryState } from './query-state.tsx';

/** The installed connectors of the admin's tenant: configuration, write-only secrets and a connection check each. */
export function ConnectorsPage() {
  const { t } = useTranslation('admin');
  usePageTitle(t('connectors.title'));
  const connectors = useConnectors();
  return (
    <div className="kern-stack">
      <h1 className="kern-heading">{t('connectors.title')}</h1>
      <p className="kern-body">{t('connectors.intro')}</p>
      <QueryState query={connectors}>
        {(list) => (
          <ul className="admin-cards">
            {list.map((connector) => (
              <li key={connector.id}>
                <ConnectorPanel connector={connector} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </div>
  );
}
