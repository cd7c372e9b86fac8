import type { Kysely } from 'kysely';

/**
 * The tenant's contact for feedback on barriers and the date its accessibility statement was prepared or last
 * reviewed (BITV 2.0 § 7). Null until the tenant's admin enters them; the address is a JSON array of lines.
 * One column per statement: SQLite adds only one column per ALTER TABLE.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['contact_email', 'contact_phone', 'contact_address', 'statement_reviewed_on']) {
    await db.schema.alterTable('tenants').addColumn(column, 'text').execute();
  }
}
