import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * The case history is written by every step (about ten rows per case) and only ever read by case, in id order. Its
 * key becomes (case id, id), which is that order, so the separate index `history_by_case` goes:
 * - SQLite: the table is rebuilt as a WITHOUT ROWID table clustered on that key, so a row is one b-tree entry
 *   instead of three (rowid table, primary key index, `history_by_case`). The rebuild runs in one transaction.
 * - Postgres: the primary key becomes (case id, id), and the heap keeps one index instead of two.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current table types
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    await sql`alter table history drop constraint history_pkey, add constraint history_pkey primary key (case_id, id)`.execute(
      db,
    );
    await db.schema.dropIndex('history_by_case').ifExists().execute();
    return;
  }
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('history_keyed')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_state', 'text')
      .addColumn('to_state', 'text')
      .addColumn('event', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('public_status', 'text')
      .addColumn('detail', 'text')
      .addPrimaryKeyConstraint('history_pkey', ['case_id', 'id'])
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into history_keyed (id, tenant_id, case_id, at, kind, from_state, to_state, event, actor,
      public_status, detail)
      select id, tenant_id, case_id, at, kind, from_state, to_state, event, actor, public_status, detail from history`.execute(
      trx,
    );
    await trx.schema.dropTable('history').execute();
    await trx.schema.alterTable('history_keyed').renameTo('history').execute();
  });
}
