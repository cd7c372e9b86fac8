import type { Kysely } from 'kysely';

/**
 * Two indexes every step paid for without a query that needed them (each index a row is in is one more page a
 * commit writes):
 * - `tasks_inbox` (tenant, status, group, due date) is a prefix of `tasks_inbox_order` (002), which serves the
 *   same look-ups and the inbox order;
 * - `jobs_lease` (status, lease end): expired leases are looked for among the running jobs only, which `jobs_due`
 *   (status, next run) finds; running jobs are the few a runner holds at a time.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tasks_inbox').ifExists().execute();
  await db.schema.dropIndex('jobs_lease').ifExists().execute();
}
