import { ConnectorError } from '../../engine/connectors/connector.ts';
import type { ConnectorConfigStore } from './connector-config-store.kysely.ts';
import type { AnyConnector, RegistryConnectorHost } from './connector-host.ts';

export type ConnectorCheck = {
  ok: boolean;
  /** What was found; the web app words it (German and English). */
  code: 'ok' | 'failed' | 'not_configured' | 'invalid_config' | 'missing_secrets' | 'secrets_unreadable' | 'no_check';
  /** The connector's own message (failed checks) or the missing secrets' names; never a secret. */
  message: string | null;
};

/**
 * Checks a tenant's connector: first what can be checked without calling out (stored, valid config, every declared
 * secret set and readable), then the connector's own health check when it has one. Without one, a complete
 * configuration is reported as `no_check` (ok, but nothing was called).
 */
export async function checkConnector(
  services: { connectors: RegistryConnectorHost; connectorConfigs: ConnectorConfigStore },
  tenantId: string,
  connector: AnyConnector,
): Promise<ConnectorCheck> {
  let stored: Awaited<ReturnType<ConnectorConfigStore['load']>>;
  try {
    stored = await services.connectorConfigs.load(tenantId, connector.id);
  } catch (error) {
    if (error instanceof ConnectorError) return { ok: false, code: 'secrets_unreadable', message: null };
    throw error;
  }
  if (!stored) return { ok: false, code: 'not_configured', message: null };
  const parsed = connector.config.safeParse(stored.config);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i: { path: PropertyKey[] }) => i.path.join('.') || '(config)');
    return { ok: false, code: 'invalid_config', message: [...new Set(fields)].join(', ') };
  }
  const missing = (connector.secrets ?? []).filter((name) => !stored.secrets[name]);
  if (missing.length) return { ok: false, code: 'missing_secrets', message: missing.join(', ') };
  const health = await services.connectors.health(tenantId, connector);
  if (!health) return { ok: true, code: 'no_check', message: null };
  return { ok: health.ok, code: health.ok ? 'ok' : 'failed', message: health.message ?? null };
}
