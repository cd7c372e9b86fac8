import {
  type ConnectorDefinition,
  ConnectorError,
  type ConnectorLogger,
  DEFAULT_TIMEOUT_MS,
  type InboundMessage,
} from '../../engine/connectors/connector.ts';
import type { ConnectorHost } from '../../engine/runtime/job-runner.ts';
import type { JobRow } from '../../engine/runtime/ports.ts';
import type { ConnectorConfigStore } from './connector-config-store.kysely.ts';

// biome-ignore lint/suspicious/noExplicitAny: the registry holds connectors of every config type
export type AnyConnector = ConnectorDefinition<any>;

/** How long a health check may take before it counts as failed. */
const HEALTH_TIMEOUT_MS = 3_000;

/**
 * Runs connector operations for the job runner: parses the tenant's config and the job input with the
 * connector's schemas, hands it the secrets, and parses what it returns.
 */
export class RegistryConnectorHost implements ConnectorHost {
  private readonly byId: Map<string, AnyConnector>;

  constructor(
    connectors: readonly AnyConnector[],
    private readonly configs: ConnectorConfigStore,
    private readonly log: ConnectorLogger,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.byId = new Map();
    for (const c of connectors) {
      if (this.byId.has(c.id)) throw new Error(`Anbindung ${c.id} ist doppelt registriert`);
      this.byId.set(c.id, c);
    }
  }

  connector(id: string): AnyConnector | undefined {
    return this.byId.get(id);
  }

  list(): AnyConnector[] {
    return [...this.byId.values()];
  }

  describe(connector: string, operation: string) {
    const op = this.byId.get(connector)?.operations[operation];
    return op ? { retry: op.retry, timeoutMs: op.timeoutMs ?? DEFAULT_TIMEOUT_MS } : undefined;
  }

  /** Parsed config and secret lookup of a tenant's connector; a ConnectorError when it is not configured. */
  async settings(tenantId: string, connector: AnyConnector) {
    const stored = await this.configs.load(tenantId, connector.id);
    const parsed = connector.config.safeParse(stored?.config ?? {});
    if (!parsed.success) {
      throw new ConnectorError(
        'not_configured',
        `Anbindung ${connector.id} ist für diesen Mandanten nicht eingerichtet`,
        false,
      );
    }
    const secrets = stored?.secrets ?? {};
    return { config: parsed.data, secret: (name: string) => secrets[name] };
  }

  /**
   * Runs a connector's health check for a tenant, ended after a few seconds; undefined when the connector has no
   * check or the tenant has not configured it.
   */
  async health(tenantId: string, connector: AnyConnector): Promise<{ ok: boolean; message?: string } | undefined> {
    if (!connector.health) return undefined;
    let settings: Awaited<ReturnType<RegistryConnectorHost['settings']>>;
    try {
      settings = await this.settings(tenantId, connector);
    } catch {
      return undefined;
    }
    const signal = AbortSignal.timeout(HEALTH_TIMEOUT_MS);
    // A check that ignores its signal is given up on all the same.
    const late = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    try {
      return await Promise.race([
        connector.health({
          signal,
          tenantId,
          config: settings.config,
          secret: settings.secret,
          fetch: this.fetchImpl,
          log: this.log,
        }),
        late,
      ]);
    } catch {
      return { ok: false, message: 'Die Prüfung der Anbindung ist gescheitert oder dauerte zu lange.' };
    }
  }

  /**
   * Hands an inbound request to the connector's webhook with the tenant's config and secrets; throws ConnectorError
   * (`unknown_connector`, `not_configured`, or what the connector rejects).
   */
  async receive(
    tenantId: string,
    connectorId: string,
    request: { headers: Record<string, string>; body: string },
  ): Promise<InboundMessage> {
    const connector = this.byId.get(connectorId);
    if (!connector?.webhook) {
      throw new ConnectorError('unknown_connector', `Anbindung ${connectorId} nimmt keine Nachrichten an`, false);
    }
    const { config, secret } = await this.settings(tenantId, connector);
    return connector.webhook(request, { tenantId, config, secret, fetch: this.fetchImpl, log: this.log });
  }

  async invoke(job: JobRow, signal: AbortSignal): Promise<unknown> {
    const connector = this.byId.get(job.connector);
    const op = connector?.operations[job.operation];
    if (!connector || !op)
      throw new ConnectorError('unknown_connector', `${job.connector}/${job.operation} fehlt`, false);
    const { config, secret } = await this.settings(job.tenantId, connector);
    const input = op.input.safeParse(job.input);
    if (!input.success) {
      const fields = input.error.issues.map((i: { path: PropertyKey[] }) => i.path.join('.')).join(', ');
      throw new ConnectorError('invalid_input', `Eingabe passt nicht zur Operation (${fields})`, false);
    }
    const output = await op.run(input.data, {
      signal,
      attempt: job.attempts,
      idempotencyKey: job.idempotencyKey,
      tenantId: job.tenantId,
      caseId: job.caseId,
      config,
      secret,
      fetch: this.fetchImpl,
      log: this.log,
    });
    const parsed = op.output.safeParse(output);
    if (!parsed.success)
      throw new ConnectorError('invalid_output', 'Antwort der Anbindung hat nicht die erwartete Form', false);
    return parsed.data;
  }
}
