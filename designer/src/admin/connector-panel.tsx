import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Connector, calls, useAdminMutation } from './admin-api.ts';
import { ConnectorForm } from './connector-form.tsx';
import { HealthCheck } from './health-check.tsx';

/** One connector: title, state badges, the connection check, and its configuration form behind a toggle. */
export function ConnectorPanel({ connector }: { connector: Connector }) {
  const { t } = useTranslation('admin');
  const id = useId();
  const [open, setOpen] = useState(false);
  const check = useAdminMutation(calls.checkConnector, []);
  return (
    <section className="kern-card admin-card" aria-labelledby={`${id}-titel`}>
      <div className="kern-card__container">
        <div className="kern-card__header">
          <h2 className="kern-title" id={`${id}-titel`}>
            {connector.title} <span className="admin-code">{connector.id}</span>
          </h2>
        </div>
        <div className="kern-card__body kern-stack">
          {connector.description && <p className="kern-body">{connector.description}</p>}
          <p className="admin-badges">
            <span className={`kern-badge kern-badge--${connector.configured ? 'success' : 'warning'}`}>
              <span className="kern-label">
                {connector.configured ? t('connectors.configured') : t('connectors.notConfigured')}
              </span>
            </span>
            <span className={`kern-badge kern-badge--${connector.circuit === 'closed' ? 'info' : 'danger'}`}>
              <span className="kern-label">
                {t('connectors.circuit', { state: t(`connectors.circuitState.${circuitKey(connector.circuit)}`) })}
              </span>
            </span>
          </p>
          <div className="admin-actions">
            <button
              type="button"
              className="kern-btn kern-btn--secondary"
              aria-expanded={open}
              aria-controls={`${id}-form`}
              onClick={() => setOpen(!open)}
            >
              <span className="kern-label">{t('connectors.configure')}</span>
            </button>
            <button
              type="button"
              className="kern-btn kern-btn--secondary"
              onClick={() => check.mutate(connector.id)}
              disabled={check.isPending}
            >
              <span className="kern-label">{t('connectors.check')}</span>
            </button>
          </div>
          <HealthCheck check={check} />
          <div id={`${id}-form`} hidden={!open}>
            {open && <ConnectorForm connector={connector} onSaved={() => check.reset()} />}
          </div>
        </div>
      </div>
    </section>
  );
}

function circuitKey(state: string): 'closed' | 'open' | 'halfOpen' {
  return state === 'open' ? 'open' : state === 'half-open' ? 'halfOpen' : 'closed';
}
