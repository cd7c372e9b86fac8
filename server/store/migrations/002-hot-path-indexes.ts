import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the hot paths, so none of them reads more rows than it returns:
 * - the inbox orders open tasks of a group by due date (nulls last), then id; the expression index gives that
 *   order directly, so a page reads only its rows (see `CaseQueries.tasks`);
 * - "my tasks" finds the tasks a user holds or completed without reading the tenant's open tasks;
 * - expired job leases are found by `lease_until`.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('tasks_inbox_order')
    .on('tasks')
    .expression(sql`tenant_id, status, group_name, (coalesce(due_at, 9007199254740991)), id`)
    .execute();
  await db.schema.createIndex('tasks_by_assignee').on('tasks').columns(['tenant_id', 'assignee', 'status']).execute();
  await db.schema.createIndex('tasks_by_completer').on('tasks').columns(['tenant_id', 'completed_by']).execute();
  await db.schema.createIndex('jobs_lease').on('jobs').columns(['status', 'lease_until']).execute();
}
