import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectsUnderTest, openFreshDatabase } from '../../../test/support/dialects.ts';
import { CaseQueries } from '../case-queries.kysely.ts';
import { type Database, migrate, migrations } from '../database.ts';
import { IdentityStore } from '../identity-store.kysely.ts';

const at = new Date('2026-03-02T09:00:00Z').getTime();
const caseIds = ['01900000-0000-7000-8000-000000000001', '01900000-0000-7000-8000-000000000002'];

/** The schema as the release before 007 left it, with two cases and their history written into it. */
async function schemaBefore007(database: Database): Promise<void> {
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '007'));
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => before } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  await new IdentityStore(database.db, () => 'unused').ensureTenant('t1', 'Test', 'NW', new Date(at));
  for (const [n, caseId] of caseIds.entries()) {
    await database.db
      .insertInto('cases')
      .values({
        id: caseId,
        tenantId: 't1',
        procedureKey: 'probe',
        procedureVersion: 1,
        caseNumber: `PRB-2026-00000${n}`,
        trackingCode: `TRACKING000${n}`,
        state: 'b',
        status: 'active',
        publicStatus: 'In Bearbeitung',
        outcome: null,
        snapshot: '{}',
        version: 2,
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    // Written newest first: the order a case's history is read in comes from the ids, not from the insert order.
    for (const i of [3, 2, 1]) {
      await database.db
        .insertInto('history')
        .values({
          id: `${caseId.slice(0, -2)}${i}${n}`,
          tenantId: 't1',
          caseId,
          at: at + i,
          kind: i === 1 ? 'started' : 'transition',
          fromState: i === 1 ? null : 'a',
          toState: i === 1 ? 'a' : 'b',
          event: i === 1 ? 'start' : `e${i}`,
          actor: 'citizen',
          publicStatus: i === 3 ? 'In Bearbeitung' : null,
          detail: i === 2 ? JSON.stringify({ taskId: `task-${n}` }) : null,
        })
        .execute();
    }
  }
}

async function historyOf(database: Database, caseId: string) {
  return (await new CaseQueries(database.db).history('t1', caseId)).map((h) => ({
    id: h.id,
    kind: h.kind,
    event: h.event,
    publicStatus: h.publicStatus,
    detail: h.detail,
  }));
}

describe.each(dialectsUnderTest())('migration 007 (history keyed by case) on $name', (dialect) => {
  let done: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await done?.();
  });

  it('keeps every history row with its fields and order, and reads a case’s history by the new key', async () => {
    const { database, close } = await openFreshDatabase(dialect);
    done = close;
    await schemaBefore007(database);
    const before = await Promise.all(caseIds.map((caseId) => historyOf(database, caseId)));
    expect(before[0]?.map((h) => h.kind)).toEqual(['started', 'transition', 'transition']);

    await migrate(database.db);

    const after = await Promise.all(caseIds.map((caseId) => historyOf(database, caseId)));
    expect(after).toEqual(before);
    expect(after[1]?.[1]).toMatchObject({ event: 'e2', detail: { taskId: 'task-1' } });

    if (database.dialect === 'sqlite') {
      const sqlite = database.sqlite!;
      expect(sqlite.prepare(`select wr from pragma_table_list where name = 'history'`).get()).toEqual({ wr: 1 });
      expect(sqlite.prepare(`select name from pragma_index_list('history')`).all()).toEqual([
        { name: 'sqlite_autoindex_history_1' },
      ]);
      const plan = sqlite
        .prepare(`explain query plan select * from history where tenant_id = ? and case_id = ? order by id`)
        .all('t1', caseIds[0]) as { detail: string }[];
      expect(plan.map((p) => p.detail)).toEqual(['SEARCH history USING PRIMARY KEY (case_id=?)']);
      // The foreign key to the case stays.
      expect(() =>
        sqlite
          .prepare(
            `insert into history (id, tenant_id, case_id, at, kind, actor) values ('x', 't1', 'nope', 1, 'k', 'a')`,
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } else {
      const indexes = await sql<{ indexname: string; indexdef: string }>`
        select indexname, indexdef from pg_indexes where tablename = 'history'`.execute(database.db);
      expect(indexes.rows.map((i) => i.indexname)).toEqual(['history_pkey']);
      expect(indexes.rows[0]?.indexdef).toMatch(/\(case_id, id\)$/);
    }
  });
});
