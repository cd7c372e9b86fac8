import type { Kysely } from 'kysely';

/**
 * The tenant's contact for feedback on barriers and the date its accessibility statement was prepared or last
 * reviewed (BITV 2.0 § 7). Null until the tenant's admin enters them; the address is a JSON array of lines.
 * One column per statement: SQLite adds only one column per ALTER TABLE.
 *
 * The inbox sorts by receipt, case number or procedure through `cases_sort_keys`: it covers those columns by case id,
 * so sorting the open tasks never reads the case rows with their snapshots. The columns never change after the
 * case starts: the index costs a write when a case starts, not on the engine's later updates of the case row.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['contact_email', 'contact_phone', 'contact_address', 'statement_reviewed_on']) {
    await db.schema.alterTable('tenants').addColumn(column, 'text').execute();
  }
  await db.schema
    .createIndex('cases_sort_keys')
    .on('cases')
    .columns(['id', 'created_at', 'case_number', 'procedure_key'])
    .execute();
}
