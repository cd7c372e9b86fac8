import type { Kysely } from 'kysely';

/**
 * The caseworker inbox: follow-up dates (Wiedervorlage: a task leaves "Meine Aufgaben" until the date) and
 * internal notes on a case (never shown to the citizen). Both rows carry `tenant_id`, and every query filters
 * by it. Paging of the queues uses the indexes of 002 (`tasks_inbox_order`, `tasks_by_assignee`).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task_follow_ups')
    .addColumn('task_id', 'text', (c) => c.primaryKey().references('tasks.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('case_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('task_id', 'text')
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_notes_by_case').on('case_notes').columns(['tenant_id', 'case_id', 'id']).execute();
}
