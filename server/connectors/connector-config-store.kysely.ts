import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ConnectorError } from '../../engine/connectors/connector.ts';
import type { DB } from '../store/schema.ts';
import type { SecretBox } from './secret-box.ts';

/** A tenant's configuration of one connector; secrets stay sealed until a call needs them. */
export type ConnectorSettings = { config: Record<string, unknown>; secrets: Record<string, string> };

const sealedSecrets = z.record(z.string(), z.string());

/**
 * How long a process keeps a tenant's opened connector settings before it reads them again. A save in the same
 * process takes effect at once; another server process on the same database sees it after at most this long.
 */
export const CONNECTOR_SETTINGS_TTL_MS = 5_000;

/**
 * Per-tenant connector configuration and encrypted secrets. Connector calls read their settings through a short
 * cache (see {@link CONNECTOR_SETTINGS_TTL_MS}), so a busy runner neither queries nor decrypts on every call.
 */
export class ConnectorConfigStore {
  private readonly opened = new Map<string, { settings: ConnectorSettings | undefined; until: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly box: SecretBox,
  ) {}

  /** Saves the config; secrets given replace the stored ones of the same name, others are kept. */
  async save(
    tenantId: string,
    connectorId: string,
    config: Record<string, unknown>,
    secrets: Record<string, string>,
    now: Date,
  ) {
    const existing = await this.sealed(tenantId, connectorId);
    const merged = { ...existing };
    for (const [name, value] of Object.entries(secrets)) merged[name] = this.box.seal(value);
    await this.db
      .insertInto('connectorConfigs')
      .values({
        tenantId,
        connectorId,
        config: JSON.stringify(config),
        secrets: JSON.stringify(merged),
        updatedAt: now.getTime(),
      })
      .onConflict((oc) =>
        oc.columns(['tenantId', 'connectorId']).doUpdateSet({
          config: JSON.stringify(config),
          secrets: JSON.stringify(merged),
          updatedAt: now.getTime(),
        }),
      )
      .execute();
    this.opened.delete(`${tenantId} ${connectorId}`);
  }

  /** Drops the cached settings of a tenant whose configurations were written elsewhere (a sandbox's copies). */
  forget(tenantId: string): void {
    for (const key of this.opened.keys()) if (key.startsWith(`${tenantId} `)) this.opened.delete(key);
  }

  /** The config and the names (never the values) of the stored secrets. */
  async describe(tenantId: string, connectorId: string) {
    const row = await this.row(tenantId, connectorId);
    if (!row) return undefined;
    return {
      config: JSON.parse(row.config) as Record<string, unknown>,
      secretNames: Object.keys(sealedSecrets.parse(JSON.parse(row.secrets))),
    };
  }

  /** Config and opened secrets for a connector call (cached briefly; treat the result as read-only). */
  async load(tenantId: string, connectorId: string): Promise<ConnectorSettings | undefined> {
    const key = `${tenantId} ${connectorId}`;
    const cached = this.opened.get(key);
    if (cached && cached.until > performance.now()) return cached.settings;
    const settings = await this.read(tenantId, connectorId);
    this.opened.set(key, { settings, until: performance.now() + CONNECTOR_SETTINGS_TTL_MS });
    return settings;
  }

  private async read(tenantId: string, connectorId: string): Promise<ConnectorSettings | undefined> {
    const row = await this.row(tenantId, connectorId);
    if (!row) return undefined;
    const secrets: Record<string, string> = {};
    try {
      for (const [name, sealed] of Object.entries(sealedSecrets.parse(JSON.parse(row.secrets))))
        secrets[name] = this.box.open(sealed);
    } catch {
      throw new ConnectorError(
        'secrets_unreadable',
        'Die Geheimnisse dieser Anbindung lassen sich mit SECRETS_KEY nicht öffnen (alter Schlüssel entfernt?)',
        false,
      );
    }
    return { config: JSON.parse(row.config) as Record<string, unknown>, secrets };
  }

  /**
   * Key rotation: re-seals every secret not sealed with the first key of `SECRETS_KEY` (the old keys must still be
   * listed after it). A row changed meanwhile (an admin saved new secrets) is left alone; a row no listed key opens
   * is counted as unreadable (its calls fail with `secrets_unreadable` until an admin enters the secrets again).
   */
  async resealAll(now: Date): Promise<{ resealed: number; unreadable: number }> {
    const found = await this.db.selectFrom('connectorConfigs').selectAll().execute();
    let resealed = 0;
    let unreadable = 0;
    for (const row of found) {
      const sealed = sealedSecrets.parse(JSON.parse(row.secrets));
      if (Object.values(sealed).every((value) => this.box.isCurrent(value))) continue;
      let fresh: Record<string, string>;
      try {
        fresh = Object.fromEntries(
          Object.entries(sealed).map(([name, value]) => [name, this.box.seal(this.box.open(value))]),
        );
      } catch {
        unreadable += 1;
        continue;
      }
      const result = await this.db
        .updateTable('connectorConfigs')
        .set({ secrets: JSON.stringify(fresh), updatedAt: now.getTime() })
        .where('tenantId', '=', row.tenantId)
        .where('connectorId', '=', row.connectorId)
        .where('secrets', '=', row.secrets)
        .executeTakeFirst();
      resealed += Number(result.numUpdatedRows);
    }
    return { resealed, unreadable };
  }

  private async sealed(tenantId: string, connectorId: string): Promise<Record<string, string>> {
    const row = await this.row(tenantId, connectorId);
    return row ? sealedSecrets.parse(JSON.parse(row.secrets)) : {};
  }

  private row(tenantId: string, connectorId: string) {
    return this.db
      .selectFrom('connectorConfigs')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('connectorId', '=', connectorId)
      .executeTakeFirst();
  }
}
