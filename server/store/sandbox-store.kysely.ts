import type { Kysely } from 'kysely';
import type { TimerRow } from '../../engine/runtime/ports.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';

/** What a sandbox tenant's id ends with; real tenants may not take such an id (the admin console refuses it). */
export const SANDBOX_SUFFIX = '-sandbox';

/** The id of a tenant's sandbox: `<tenant>-sandbox`. */
export function sandboxIdOf(tenantId: string): string {
  return `${tenantId}${SANDBOX_SUFFIX}`;
}

/** True for a sandbox's id: the public routes answer such a tenant as unknown. */
export function isSandboxId(tenantId: string): boolean {
  return tenantId.endsWith(SANDBOX_SUFFIX);
}

/**
 * The sandbox tenants of the designer's test runs. A sandbox mirrors its tenant's name (with "– Testumgebung"), Land,
 * holidays, groups and connector configurations (secrets copied as sealed), so a test run calls the same outside
 * systems the tenant's own configuration names — the demo counterparts for the demo tenant. It has no users: nobody
 * signs in to it, and only its tenant's process owners reach its cases, through the test-run routes.
 */
export class SandboxStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly newId: () => string,
  ) {}

  /**
   * Creates the tenant's sandbox on first use and brings it up to date with the tenant (name, calendar, groups,
   * connector configurations: the demo counterparts get new addresses on every start) in one transaction. Undefined
   * when the tenant does not exist or a real tenant holds the sandbox's id.
   */
  async ensure(tenantId: string, now: Date): Promise<string | undefined> {
    const id = sandboxIdOf(tenantId);
    return this.db.transaction().execute(async (tx) => {
      const tenant = await tx.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
      if (!tenant || tenant.sandboxOf !== null) return undefined;
      const existing = await tx.selectFrom('tenants').select('sandboxOf').where('id', '=', id).executeTakeFirst();
      if (existing && existing.sandboxOf !== tenantId) return undefined;
      const mirrored = {
        name: `${tenant.name} – Testumgebung`,
        land: tenant.land,
        extraHolidays: tenant.extraHolidays,
      };
      if (existing) await tx.updateTable('tenants').set(mirrored).where('id', '=', id).execute();
      else {
        await tx
          .insertInto('tenants')
          .values({ id, ...mirrored, createdAt: now.getTime(), sandboxOf: tenantId })
          .execute();
      }
      const groups = await tx.selectFrom('groups').select('name').where('tenantId', '=', tenantId).execute();
      for (const { name } of groups) {
        await tx
          .insertInto('groups')
          .values({ id: this.newId(), tenantId: id, name })
          .onConflict((oc) => oc.columns(['tenantId', 'name']).doNothing())
          .execute();
      }
      await tx.deleteFrom('connectorConfigs').where('tenantId', '=', id).execute();
      const configs = await tx.selectFrom('connectorConfigs').selectAll().where('tenantId', '=', tenantId).execute();
      if (configs.length) {
        await tx
          .insertInto('connectorConfigs')
          .values(configs.map((c) => ({ ...c, tenantId: id, updatedAt: now.getTime() })))
          .execute();
      }
      return id;
    });
  }

  /** The case's pending timer of its current state, if any (a test run may let it fire at once). */
  async pendingTimer(tenantId: string, caseId: string, state: string): Promise<TimerRow | undefined> {
    const found = await this.db
      .selectFrom('timers')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('caseId', '=', caseId)
      .where('state', '=', state)
      .where('status', '=', 'pending')
      .orderBy('dueAt')
      .executeTakeFirst();
    return found ? rows.timer(found) : undefined;
  }
}
