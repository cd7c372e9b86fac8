import { type Kysely, sql } from 'kysely';

/**
 * Case lists read a page, not the tenant's cases. Lists are newest first, and case ids are time-ordered (UUIDv7),
 * so an index that ends in the id gives that order for an equality filter before it:
 * - `cases_by_tenant` (tenant, id): the unfiltered list and lists by status read the tenant's cases newest first
 *   and stop after the page. The entry is written once, when the case starts.
 * - `cases_by_procedure` gains the id after (tenant, procedure, state): a list by procedure and state reads just
 *   its page, however rare the state. The entry already changed with every state change; the id adds no write.
 * - `cases_active` (tenant, procedure) holds the active cases only: the running cases per procedure are counted
 *   from it without reading the finished ones. The entry is written when a case starts and removed when it ends.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_by_tenant').on('cases').columns(['tenant_id', 'id']).execute();
  await db.schema.dropIndex('cases_by_procedure').execute();
  await db.schema
    .createIndex('cases_by_procedure')
    .on('cases')
    .columns(['tenant_id', 'procedure_key', 'state', 'id'])
    .execute();
  await db.schema
    .createIndex('cases_active')
    .on('cases')
    .columns(['tenant_id', 'procedure_key'])
    .where(sql.ref('status'), '=', sql.lit('active'))
    .execute();
}
