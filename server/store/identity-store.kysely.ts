import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from './schema.ts';

export const ROLES = ['citizen', 'caseworker', 'process-owner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A signed-in staff member as every route sees them. */
export type Principal = { userId: string; username: string; tenantId: string; roles: Role[]; groups: string[] };

/**
 * Where citizens report barriers (BITV 2.0 § 7: e-mail, phone, postal address) and when the tenant prepared or last
 * reviewed its accessibility statement (`YYYY-MM-DD`).
 */
export type TenantContact = { email: string; phone: string; address: string[]; reviewedOn: string };

const rolesSchema = z.array(z.enum(ROLES));
const SESSION_HOURS = 12;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Tenants, users, groups and sessions. Passwords are Argon2id hashes; session tokens are stored hashed. */
export class IdentityStore {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly newId: () => string,
  ) {}

  async ensureTenant(id: string, name: string, land: string, now: Date): Promise<void> {
    await this.db
      .insertInto('tenants')
      .values({ id, name, land, extraHolidays: '[]', createdAt: now.getTime() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async tenant(id: string) {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const { contactEmail, contactPhone, contactAddress, statementReviewedOn, ...rest } = row;
    const contact: TenantContact | null =
      contactEmail !== null && contactPhone !== null && contactAddress !== null && statementReviewedOn !== null
        ? {
            email: contactEmail,
            phone: contactPhone,
            address: z.array(z.string()).parse(JSON.parse(contactAddress)),
            reviewedOn: statementReviewedOn,
          }
        : null;
    return { ...rest, extraHolidays: z.array(z.string()).parse(JSON.parse(rest.extraHolidays)), contact };
  }

  /** Replaces the tenant's contact for accessibility feedback; false when the tenant does not exist. */
  async setTenantContact(id: string, contact: TenantContact): Promise<boolean> {
    const result = await this.db
      .updateTable('tenants')
      .set({
        contactEmail: contact.email,
        contactPhone: contact.phone,
        contactAddress: JSON.stringify(contact.address),
        statementReviewedOn: contact.reviewedOn,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.db.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
    return row === undefined;
  }

  /** Creates a user; groups that do not exist yet are created in the user's tenant. */
  async createUser(input: {
    tenantId: string;
    username: string;
    password: string;
    roles: Role[];
    groups: string[];
    now: Date;
  }): Promise<{ id: string } | { error: 'username_taken' }> {
    const passwordHash = await hash(input.password, { algorithm: 2 });
    return this.db.transaction().execute(async (tx) => {
      const taken = await tx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
      if (taken) return { error: 'username_taken' as const };
      const id = this.newId();
      await tx
        .insertInto('users')
        .values({
          id,
          tenantId: input.tenantId,
          username: input.username,
          passwordHash,
          roles: JSON.stringify(input.roles),
          disabled: 0,
          createdAt: input.now.getTime(),
        })
        .execute();
      for (const name of new Set(input.groups)) {
        await tx
          .insertInto('groups')
          .values({ id: this.newId(), tenantId: input.tenantId, name })
          .onConflict((oc) => oc.columns(['tenantId', 'name']).doNothing())
          .execute();
        const group = await tx
          .selectFrom('groups')
          .select('id')
          .where('tenantId', '=', input.tenantId)
          .where('name', '=', name)
          .executeTakeFirstOrThrow();
        await tx.insertInto('userGroups').values({ userId: id, groupId: group.id }).execute();
      }
      return { id };
    });
  }

  async listUsers(tenantId: string) {
    const users = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'roles', 'disabled', 'createdAt'])
      .where('tenantId', '=', tenantId)
      .orderBy('username')
      .execute();
    const memberships = await this.db
      .selectFrom('userGroups')
      .innerJoin('groups', 'groups.id', 'userGroups.groupId')
      .select(['userGroups.userId', 'groups.name'])
      .where('groups.tenantId', '=', tenantId)
      .execute();
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      roles: rolesSchema.parse(JSON.parse(u.roles)),
      groups: memberships.filter((m) => m.userId === u.id).map((m) => m.name),
      disabled: u.disabled === 1,
      createdAt: new Date(u.createdAt).toISOString(),
    }));
  }

  async groupNames(tenantId: string): Promise<string[]> {
    const found = await this.db.selectFrom('groups').select('name').where('tenantId', '=', tenantId).execute();
    return found.map((g) => g.name);
  }

  /** Checks the password and opens a session; undefined for unknown users, wrong passwords and disabled users. */
  async login(
    username: string,
    password: string,
    now: Date,
  ): Promise<{ token: string; principal: Principal } | undefined> {
    const user = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    if (!user || user.disabled === 1) {
      // Spend the same time as a real check so response times do not reveal which usernames exist.
      this.dummyHash ??= hash(randomBytes(16).toString('hex'), { algorithm: 2 });
      await verify(await this.dummyHash, password);
      return undefined;
    }
    if (!(await verify(user.passwordHash, password).catch(() => false))) return undefined;
    const token = randomBytes(32).toString('base64url');
    await this.db
      .insertInto('sessions')
      .values({
        tokenHash: tokenHash(token),
        userId: user.id,
        tenantId: user.tenantId,
        expiresAt: now.getTime() + SESSION_HOURS * 3_600_000,
      })
      .execute();
    const principal = await this.principal(user.id);
    return principal ? { token, principal } : undefined;
  }

  /** The principal behind a bearer token, or undefined when the session is unknown, expired or the user disabled. */
  async authenticate(token: string, now: Date): Promise<Principal | undefined> {
    const session = await this.db
      .selectFrom('sessions')
      .select(['userId', 'expiresAt'])
      .where('tokenHash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!session || session.expiresAt < now.getTime()) return undefined;
    return this.principal(session.userId);
  }

  /** Ends the session behind a token (sign-out); unknown tokens change nothing. */
  async logout(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('tokenHash', '=', tokenHash(token)).execute();
  }

  private async principal(userId: string): Promise<Principal | undefined> {
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user || user.disabled === 1) return undefined;
    const groups = await this.db
      .selectFrom('userGroups')
      .innerJoin('groups', 'groups.id', 'userGroups.groupId')
      .select('groups.name')
      .where('userGroups.userId', '=', userId)
      .execute();
    return {
      userId: user.id,
      username: user.username,
      tenantId: user.tenantId,
      roles: rolesSchema.parse(JSON.parse(user.roles)),
      groups: groups.map((g) => g.name),
    };
  }
}
