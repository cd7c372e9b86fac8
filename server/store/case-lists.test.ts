import type SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectsUnderTest, openFreshDatabase } from '../../test/support/dialects.ts';
import { processIds } from '../ids.ts';
import { AdminStore } from './admin-store.kysely.ts';
import { CaseQueries } from './case-queries.kysely.ts';
import { type Database, migrate } from './database.ts';
import { IdentityStore } from './identity-store.kysely.ts';

const at = new Date('2026-03-02T09:00:00Z').getTime();

/**
 * Cases as the engine writes them, with time-ordered ids: every third one in another tenant, odd ones of another
 * procedure, every fourth one done, every seventh active one in a rare state.
 */
async function seedCases(database: Database, count: number): Promise<string[]> {
  const identity = new IdentityStore(database.db, () => 'unused');
  await identity.ensureTenant('t1', 'Musterstadt', 'NW', new Date(at));
  await identity.ensureTenant('t2', 'Nachbarstadt', 'NW', new Date(at));
  const ids = processIds();
  const created: string[] = [];
  for (let n = 0; n < count; n++) {
    const id = ids.id();
    created.push(id);
    await database.db
      .insertInto('cases')
      .values({
        id,
        tenantId: n % 3 === 2 ? 't2' : 't1',
        procedureKey: n % 2 ? 'anmeldung' : 'geburtsurkunde',
        procedureVersion: 1,
        caseNumber: `GEB-2026-${String(n).padStart(6, '0')}`,
        trackingCode: `TRACK${String(n).padStart(6, '0')}`,
        state: n % 4 === 3 ? 'ausgestellt' : n % 7 === 0 ? 'klaerung' : 'pruefung',
        status: n % 4 === 3 ? 'done' : 'active',
        publicStatus: null,
        outcome: null,
        snapshot: '{}',
        version: 1,
        // Receipt times as a clock that stepped back would leave them: lists follow the ids.
        createdAt: at - (n % 5) * 1000,
        updatedAt: at,
      })
      .execute();
  }
  return created;
}

/** The query plans of the statements `run` reads with, each explained with the values it was run with. */
async function plansOf(sqlite: SQLite.Database, run: () => Promise<unknown>): Promise<string[][]> {
  const prepare = sqlite.prepare.bind(sqlite);
  const read: { source: string; values: unknown[] }[] = [];
  sqlite.prepare = ((source: string) => {
    const statement = prepare(source);
    const all = statement.all.bind(statement);
    statement.all = ((...values: unknown[]) => {
      read.push({ source, values });
      return all(...values);
    }) as typeof statement.all;
    return statement;
  }) as typeof sqlite.prepare;
  try {
    await run();
  } finally {
    sqlite.prepare = prepare;
  }
  return read.map(({ source, values }) =>
    (prepare(`explain query plan ${source}`).all(...values) as { detail: string }[]).map((p) => p.detail),
  );
}

describe.each(dialectsUnderTest())('case lists on $name', (dialect) => {
  let done: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await done?.();
  });

  async function open(): Promise<Database> {
    const fresh = await openFreshDatabase(dialect);
    done = fresh.close;
    await migrate(fresh.database.db);
    return fresh.database;
  }

  it('lists the tenant’s cases newest first by their time-ordered ids, filtered and paged', async () => {
    const database = await open();
    const created = await seedCases(database, 40);
    const admin = new AdminStore(database.db, () => 'unused');
    const queries = new CaseQueries(database.db);
    const newest = (keep: (n: number) => boolean) => created.filter((_, n) => n % 3 !== 2 && keep(n)).reverse();
    const page = { limit: 50, offset: 0 };

    const first = await admin.cases({ tenantId: 't1', limit: 7, offset: 0 });
    const second = await admin.cases({ tenantId: 't1', limit: 7, offset: 7 });
    expect([...first, ...second].map((c) => c.id)).toEqual(newest(() => true).slice(0, 14));
    expect((await admin.cases({ tenantId: 't1', status: 'done', ...page })).map((c) => c.id)).toEqual(
      newest((n) => n % 4 === 3),
    );
    const rare = { procedure: 'geburtsurkunde', state: 'klaerung' };
    const rareOnes = newest((n) => n % 2 === 0 && n % 4 !== 3 && n % 7 === 0);
    expect(rareOnes.length).toBeGreaterThan(1);
    expect((await admin.cases({ tenantId: 't1', ...rare, ...page })).map((c) => c.id)).toEqual(rareOnes);
    expect((await queries.cases({ tenantId: 't1', ...rare, ...page })).map((c) => c.id)).toEqual(rareOnes);
    expect((await queries.cases({ tenantId: 't1', ...page })).map((c) => c.id)).toEqual(newest(() => true));
    expect((await admin.cases({ tenantId: 't2', ...page })).every((c) => c.tenantId === 't2')).toBe(true);

    expect(await queries.countRunningCases('t1')).toEqual({
      anmeldung: newest((n) => n % 2 === 1 && n % 4 !== 3).length,
      geburtsurkunde: newest((n) => n % 2 === 0 && n % 4 !== 3).length,
    });
  });
});

describe('case lists on sqlite: query plans', () => {
  let done: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await done?.();
  });

  it('reads a page of cases in id order without sorting the tenant’s cases', async () => {
    const fresh = await openFreshDatabase(dialectsUnderTest().find((d) => d.name === 'sqlite')!);
    done = fresh.close;
    const { database } = fresh;
    await migrate(database.db);
    await seedCases(database, 10);
    const sqlite = database.sqlite!;
    const admin = new AdminStore(database.db, () => 'unused');
    const queries = new CaseQueries(database.db);
    const page = { limit: 50, offset: 0 };

    const byTenant = ['SEARCH cases USING INDEX cases_by_tenant (tenant_id=?)'];
    const byState = ['SEARCH cases USING INDEX cases_by_procedure (tenant_id=? AND procedure_key=? AND state=?)'];
    const rare = { procedure: 'geburtsurkunde', state: 'klaerung' };
    expect(await plansOf(sqlite, () => admin.cases({ tenantId: 't1', ...page }))).toEqual([byTenant]);
    expect(await plansOf(sqlite, () => admin.cases({ tenantId: 't1', status: 'active', ...page }))).toEqual([byTenant]);
    expect(await plansOf(sqlite, () => admin.cases({ tenantId: 't1', ...rare, ...page }))).toEqual([byState]);
    expect(await plansOf(sqlite, () => queries.cases({ tenantId: 't1', ...page }))).toEqual([byTenant]);
    expect(await plansOf(sqlite, () => queries.cases({ tenantId: 't1', ...rare, ...page }))).toEqual([byState]);
    // Running cases are counted from the index of active cases alone.
    expect(await plansOf(sqlite, () => queries.countRunningCases('t1'))).toEqual([
      ['SEARCH cases USING COVERING INDEX cases_active (tenant_id=?)'],
    ]);
  });
});
