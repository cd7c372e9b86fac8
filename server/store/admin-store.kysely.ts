import { hash } from '@node-rs/argon2';
import type { Kysely, Transaction } from 'kysely';
import type { Role } from './identity-store.kysely.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';

/** Why an admin change was refused; the route turns each into a problem naming the field. */
export type AdminRefusal =
  | 'tenant_taken'
  | 'username_taken'
  | 'group_taken'
  | 'unknown_groups'
  | 'user_not_found'
  | 'not_an_incident';

type Refused = { error: AdminRefusal; names?: string[] };

/**
 * The admin console's reads and writes that the identity store and the case queries do not have: tenants, groups,
 * disabling users (which ends their sessions), changing roles and groups, incident input, case search. Every
 * method but the tenant ones is scoped by the caller's tenant; every write is one transaction.
 */
export class AdminStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly newId: () => string,
  ) {}

  async tenants(onlyId?: string) {
    // Sandboxes (the designer's test runs) are no tenants an admin manages.
    let q = this.db
      .selectFrom('tenants')
      .select(['id', 'name', 'land', 'createdAt'])
      .where('sandboxOf', 'is', null)
      .orderBy('id');
    if (onlyId !== undefined) q = q.where('id', '=', onlyId);
    const found = await q.execute();
    return found.map((t) => ({ ...t, createdAt: new Date(t.createdAt).toISOString() }));
  }

  /** Creates a tenant together with its first admin, so the new tenant can be managed at once. */
  async createTenant(input: {
    id: string;
    name: string;
    land: string;
    admin: { username: string; password: string };
    now: Date;
  }): Promise<{ id: string; adminId: string } | Refused> {
    const passwordHash = await hash(input.admin.password, { algorithm: 2 });
    return this.db.transaction().execute(async (tx) => {
      if (await tx.selectFrom('tenants').select('id').where('id', '=', input.id).executeTakeFirst()) {
        return { error: 'tenant_taken' as const };
      }
      if (await this.usernameTaken(tx, input.admin.username)) return { error: 'username_taken' as const };
      const at = input.now.getTime();
      await tx
        .insertInto('tenants')
        .values({ id: input.id, name: input.name, land: input.land, extraHolidays: '[]', createdAt: at })
        .execute();
      const adminId = this.newId();
      await tx
        .insertInto('users')
        .values({
          id: adminId,
          tenantId: input.id,
          username: input.admin.username,
          passwordHash,
          roles: JSON.stringify(['admin'] satisfies Role[]),
          disabled: 0,
          createdAt: at,
        })
        .execute();
      return { id: input.id, adminId };
    });
  }

  /** The tenant's groups with how many users are members. */
  async groups(tenantId: string) {
    const found = await this.db
      .selectFrom('groups')
      .leftJoin('userGroups', 'userGroups.groupId', 'groups.id')
      .select(['groups.id', 'groups.name', (eb) => eb.fn.count<number>('userGroups.userId').as('members')])
      .where('groups.tenantId', '=', tenantId)
      .groupBy(['groups.id', 'groups.name'])
      .orderBy('groups.name')
      .execute();
    return found.map((g) => ({ id: g.id, name: g.name, members: Number(g.members) }));
  }

  async createGroup(tenantId: string, name: string): Promise<{ id: string } | Refused> {
    return this.db.transaction().execute(async (tx) => {
      const taken = await tx
        .selectFrom('groups')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (taken) return { error: 'group_taken' as const };
      const id = this.newId();
      await tx.insertInto('groups').values({ id, tenantId, name }).execute();
      return { id };
    });
  }

  /** Disables or enables a user of the tenant; disabling also deletes every session of theirs (signs them out). */
  async setDisabled(tenantId: string, userId: string, disabled: boolean): Promise<Refused | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('users')
        .set({ disabled: disabled ? 1 : 0 })
        .where('tenantId', '=', tenantId)
        .where('id', '=', userId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { error: 'user_not_found' as const };
      if (disabled) await tx.deleteFrom('sessions').where('userId', '=', userId).execute();
      return undefined;
    });
  }

  /** Replaces a user's roles and group memberships; the groups must exist in the tenant. */
  async setAccess(tenantId: string, userId: string, roles: Role[], groups: string[]): Promise<Refused | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const user = await tx
        .selectFrom('users')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!user) return { error: 'user_not_found' as const };
      const wanted = [...new Set(groups)];
      const found = wanted.length
        ? await tx
            .selectFrom('groups')
            .select(['id', 'name'])
            .where('tenantId', '=', tenantId)
            .where('name', 'in', wanted)
            .execute()
        : [];
      const missing = wanted.filter((name) => !found.some((g) => g.name === name));
      if (missing.length) return { error: 'unknown_groups' as const, names: missing };
      await tx
        .updateTable('users')
        .set({ roles: JSON.stringify(roles) })
        .where('id', '=', userId)
        .execute();
      await tx.deleteFrom('userGroups').where('userId', '=', userId).execute();
      if (found.length) {
        await tx
          .insertInto('userGroups')
          .values(found.map((g) => ({ userId, groupId: g.id })))
          .execute();
      }
      return undefined;
    });
  }

  /** One incident (a job left failed after all attempts) with the input it was called with. */
  async incident(tenantId: string, jobId: string) {
    const r = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', jobId)
      .where('status', '=', 'incident')
      .executeTakeFirst();
    return r ? rows.job(r) : undefined;
  }

  /**
   * Puts incidents back into the queue with fresh attempts, optionally with a corrected input (then a history entry
   * records who changed it; never the input itself). Returns the ids it requeued; ids that are no incident of the
   * tenant (any more) are left out.
   */
  async retryIncidents(input: {
    tenantId: string;
    jobIds: string[];
    newInput?: Record<string, unknown>;
    actor: string;
    now: Date;
  }): Promise<string[]> {
    const at = input.now.getTime();
    return this.db.transaction().execute(async (tx) => {
      const retried: string[] = [];
      for (const jobId of new Set(input.jobIds)) {
        const job = await tx
          .selectFrom('jobs')
          .select(['caseId', 'state', 'connector', 'operation'])
          .where('tenantId', '=', input.tenantId)
          .where('id', '=', jobId)
          .where('status', '=', 'incident')
          .executeTakeFirst();
        if (!job) continue;
        await tx
          .updateTable('jobs')
          .set({
            status: 'pending',
            attempts: 0,
            nextRunAt: at,
            leaseToken: null,
            leaseUntil: null,
            leaseExpired: 0,
            updatedAt: at,
            ...(input.newInput ? { input: JSON.stringify(input.newInput) } : {}),
          })
          .where('id', '=', jobId)
          .where('status', '=', 'incident')
          .execute();
        if (input.newInput) {
          await tx
            .insertInto('history')
            .values({
              id: this.newId(),
              tenantId: input.tenantId,
              caseId: job.caseId,
              at,
              kind: 'incident-input',
              fromState: job.state,
              toState: null,
              event: null,
              actor: input.actor,
              publicStatus: null,
              detail: JSON.stringify({ jobId, connector: job.connector, operation: job.operation }),
            })
            .execute();
        }
        retried.push(jobId);
      }
      return retried;
    });
  }

  /**
   * Cases of the tenant by case number (prefix, case-insensitive), procedure, state and status; newest first. Case
   * ids are time-ordered (UUIDv7), so newest first is id order, which the case indexes end in (migration 008): a
   * page reads about its own rows instead of sorting all the tenant's cases.
   */
  async cases(f: {
    tenantId: string;
    number?: string;
    procedure?: string;
    state?: string;
    status?: string;
    limit: number;
    offset: number;
  }) {
    let q = this.db.selectFrom('cases').selectAll().where('tenantId', '=', f.tenantId);
    if (f.number) q = q.where('caseNumber', 'like', `${f.number.toUpperCase().replace(/[%_\\]/g, '')}%`);
    if (f.procedure) q = q.where('procedureKey', '=', f.procedure);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.status) q = q.where('status', '=', f.status);
    const found = await q.orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
    return found.map(rows.case);
  }

  private async usernameTaken(tx: Transaction<DB>, username: string): Promise<boolean> {
    return (
      (await tx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) !== undefined
    );
  }
}
