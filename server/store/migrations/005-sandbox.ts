import type { Kysely } from 'kysely';

/**
 * Sandbox tenants for the designer's test runs: `sandbox_of` names the tenant a sandbox belongs to (null for every
 * real tenant). Sign-in, the public routes and the admin console's tenant list skip rows where it is set.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tenants')
    .addColumn('sandbox_of', 'text', (c) => c.references('tenants.id'))
    .execute();
}
