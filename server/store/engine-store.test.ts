import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRow, JobRow } from '../../engine/runtime/ports.ts';
import { dialectsUnderTest, openFreshDatabase } from '../../test/support/dialects.ts';
import { type Database, migrate, openDatabase, openSqlite } from './database.ts';
import { engineStatements } from './engine-sql.ts';
import { KyselyEngineStore } from './engine-store.kysely.ts';
import { IdentityStore } from './identity-store.kysely.ts';

let n = 0;
const id = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
const now = new Date('2026-03-02T09:00:00Z');

function caseRow(caseId: string): CaseRow {
  return {
    id: caseId,
    tenantId: 't1',
    procedureKey: 'probe',
    procedureVersion: 1,
    caseNumber: `PRB-2026-${caseId.slice(-6)}`,
    trackingCode: `TRK${caseId.slice(-9)}`,
    state: 'a',
    status: 'active',
    publicStatus: 'Eingegangen',
    outcome: null,
    snapshot: { value: 'a', context: { vars: { x: 1 }, visits: { a: 1 } }, status: 'active' },
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function jobRow(caseId: string, key: string): JobRow {
  return {
    id: id(),
    tenantId: 't1',
    caseId,
    state: 'a',
    connector: 'c@1',
    operation: 'op',
    input: { a: 1 },
    idempotencyKey: key,
    status: 'pending',
    attempts: 0,
    retry: { maxAttempts: 3, initialDelay: 'PT1S', maxDelay: 'PT1M', factor: 2 },
    nextRunAt: now,
    leaseToken: null,
    leaseUntil: null,
    leaseExpired: false,
    lastError: null,
    result: null,
    createdAt: now,
    updatedAt: now,
  };
}

describe.each(dialectsUnderTest())('engine store on $name', (dialect) => {
  let database: Database;
  let url: string;
  let close: () => Promise<void>;
  let store: KyselyEngineStore;

  beforeAll(async () => {
    ({ database, url, close } = await openFreshDatabase(dialect));
    await migrate(database.db);
    await migrate(database.db);
    await new IdentityStore(database.db, id).ensureTenant('t1', 'Test', 'NW', now);
    store = new KyselyEngineStore(database);
  });
  afterAll(async () => {
    await close();
  });

  it('writes a case with optimistic versioning: a stale version loses', async () => {
    const row = caseRow(id());
    await store.write((tx) => tx.insertCase(row));
    const next = { ...row, state: 'b', version: 2 };
    expect(await store.write((tx) => tx.updateCase(next, 1))).toBe(true);
    expect(await store.write((tx) => tx.updateCase({ ...row, state: 'c', version: 2 }, 1))).toBe(false);
    const stored = await store.write((tx) => tx.getCase('t1', row.id));
    expect(stored).toMatchObject({ state: 'b', version: 2, snapshot: row.snapshot, createdAt: now });
    expect(await store.write((tx) => tx.getCase('other-tenant', row.id))).toBeUndefined();
  });

  it('ends a case once: an ended case takes no further update, and a step that keeps it active leaves its status', async () => {
    const row = caseRow(id());
    await store.write((tx) => tx.insertCase(row));
    expect(await store.write((tx) => tx.updateCase({ ...row, state: 'b', version: 2 }, 1))).toBe(true);
    expect(await store.write((tx) => tx.getCase('t1', row.id))).toMatchObject({ state: 'b', status: 'active' });
    const ended = { ...row, state: 'z', status: 'done' as const, outcome: 'ok', version: 3 };
    expect(await store.write((tx) => tx.updateCase(ended, 2))).toBe(true);
    expect(await store.write((tx) => tx.getCase('t1', row.id))).toMatchObject({ state: 'z', status: 'done' });
    // The version matches, but the case has ended: neither a step nor a second end changes it.
    expect(await store.write((tx) => tx.updateCase({ ...row, state: 'c', version: 4 }, 3))).toBe(false);
    expect(await store.write((tx) => tx.updateCase({ ...ended, status: 'cancelled', version: 4 }, 3))).toBe(false);
    expect(await store.write((tx) => tx.getCase('t1', row.id))).toMatchObject({
      state: 'z',
      status: 'done',
      version: 3,
    });
    if (database.sqlite) {
      // A step's update writes no entry of the index of active cases; only the end of the case removes one.
      const root = database.sqlite.prepare(`select rootpage from sqlite_schema where name = 'cases_active'`).pluck();
      const writesActiveIndex = (row: CaseRow) => {
        const { sql: text, values } = engineStatements(() => '?').updateCase(row, 1);
        const program = database.sqlite!.prepare(`explain ${text}`).all(...values) as { opcode: string; p2: number }[];
        return program.some((op) => op.opcode === 'OpenWrite' && op.p2 === root.get());
      };
      expect(writesActiveIndex({ ...row, state: 'b', version: 2 })).toBe(false);
      expect(writesActiveIndex({ ...ended, version: 2 })).toBe(true);
    }
  });

  it('updates a case it read in the same step (twice), and the step’s later reads see the update', async () => {
    const row = caseRow(id());
    await store.write((tx) => tx.insertCase(row));
    const seen = await store.write(async (tx) => {
      const read = await tx.getCase('t1', row.id);
      const b = { ...read!, state: 'b', version: 2 };
      const first = await tx.updateCase(b, 1);
      const second = await tx.updateCase({ ...b, state: 'c', version: 3 }, 2);
      // The version this step already moved past loses, also inside the step.
      const stale = await tx.updateCase({ ...b, state: 'x', version: 3 }, 1);
      return { first, second, stale, after: await tx.getCase('t1', row.id) };
    });
    expect(seen).toMatchObject({ first: true, second: true, stale: false, after: { state: 'c', version: 3 } });
    expect(await store.write((tx) => tx.getCase('t1', row.id))).toMatchObject({ state: 'c', version: 3 });
    // A step that read an older version than the stored one loses (the version read, not only the lock, decides).
    expect(await store.write((tx) => tx.updateCase({ ...row, state: 'y', version: 3 }, 2))).toBe(false);
  });

  it('rolls back everything a failing transaction wrote', async () => {
    const row = caseRow(id());
    await expect(
      store.write(async (tx) => {
        await tx.insertCase(row);
        await tx.insertJob(jobRow(row.id, `${row.id}:a:1`));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.write((tx) => tx.getCase('t1', row.id))).toBeUndefined();
  });

  it('keeps the order of a step’s writes: reads and updates see what the step wrote before them', async () => {
    const row = caseRow(id());
    const task = {
      id: id(),
      tenantId: 't1',
      caseId: row.id,
      state: 'review',
      title: 'Prüfen',
      groupName: 'team',
      assignee: 'anna',
      status: 'open' as const,
      outcome: null,
      data: null,
      dueAt: null,
      createdAt: now,
      completedAt: null,
      completedBy: null,
    };
    const seen = await store.write(async (tx) => {
      await tx.insertCase(row);
      await tx.insertTask(task);
      await tx.appendHistory([]);
      const read = await tx.getTask('t1', task.id);
      const unread = { ...task, id: id() };
      await tx.insertTask(unread);
      await tx.cancelOpenTasks(row.id, 'review', now);
      const later = { ...task, id: id() };
      await tx.insertTask(later);
      return {
        read,
        afterCancel: await tx.getTask('t1', task.id),
        unread: await tx.getTask('t1', unread.id),
        later: await tx.getTask('t1', later.id),
        caseRow: await tx.getCase('t1', row.id),
      };
    });
    expect(seen.read?.status).toBe('open');
    expect(seen.afterCancel?.status).toBe('cancelled');
    expect(seen.unread?.status).toBe('cancelled');
    expect(seen.later?.status).toBe('open');
    expect(seen.caseRow?.id).toBe(row.id);
    // A failing write that was waiting to be sent still fails the step, and nothing of it stays.
    const other = caseRow(id());
    await expect(
      store.write(async (tx) => {
        await tx.insertCase(other);
        await tx.insertJob(jobRow(other.id, `${other.id}:a:1`));
        await tx.insertJob(jobRow(other.id, `${other.id}:a:1`));
      }),
    ).rejects.toThrow();
    expect(await store.write((tx) => tx.getCase('t1', other.id))).toBeUndefined();
  });

  it('numbers cases per tenant, prefix and year without gaps', async () => {
    const seqs = [];
    for (let i = 0; i < 3; i++) seqs.push(await store.write((tx) => tx.nextCaseSequence('t1', 'SEQ', 2026)));
    expect(seqs).toEqual([1, 2, 3]);
    expect(await store.write((tx) => tx.nextCaseSequence('t1', 'SEQ', 2027))).toBe(1);
  });

  // Postgres only (SQLite has no server that could end a session).
  if (dialect.name === 'postgres') {
    it('fails a step whose connection Postgres ended, and runs the next steps on sound connections', async () => {
      const row = caseRow(id());
      await store.write((tx) => tx.insertCase(row));
      await expect(
        store.write(async (tx) => {
          await tx.getCase('t1', row.id);
          // An administrator (or a restart) ends every other session of the database, the step's among them.
          await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid()`.execute(database.db);
          return tx.updateCase({ ...row, state: 'b', version: 2 }, 1);
        }),
      ).rejects.toThrow();
      for (let n = 0; n < 12; n++) {
        expect(await store.write((tx) => tx.getCase('t1', row.id))).toMatchObject({ state: 'a', version: 1 });
      }
      expect(await store.write((tx) => tx.updateCase({ ...row, state: 'b', version: 2 }, 1))).toBe(true);
    });
  }

  it('claims a job once, fences a runner whose lease ran out, and takes its job over', async () => {
    const row = caseRow(id());
    const job = jobRow(row.id, `${row.id}:a:1`);
    await store.write(async (tx) => {
      await tx.insertCase(row);
      await tx.insertJob(job);
    });
    let token = 0;
    const lease = () => `lease-${++token}`;
    const first = await store.claimJobs(now, lease, new Date(now.getTime() + 1000), 10);
    expect(first.map((j) => j.id)).toContain(job.id);
    const claimed = first.find((j) => j.id === job.id)!;
    expect(claimed).toMatchObject({ status: 'running', attempts: 1, leaseExpired: false });
    expect((await store.claimJobs(now, lease, new Date(now.getTime() + 1000), 10)).map((j) => j.id)).not.toContain(
      job.id,
    );

    const later = new Date(now.getTime() + 5000);
    const takeover = (await store.claimJobs(later, lease, new Date(later.getTime() + 1000), 10)).find(
      (j) => j.id === job.id,
    )!;
    expect(takeover).toMatchObject({ attempts: 2, leaseExpired: true });
    expect(takeover.leaseToken).not.toBe(claimed.leaseToken);

    expect(await store.write((tx) => tx.finishJob(job.id, claimed.leaseToken!, { status: 'done' }))).toBe(false);
    expect(
      await store.write((tx) => tx.finishJob(job.id, takeover.leaseToken!, { status: 'done', result: { ok: 1 } })),
    ).toBe(true);
  });

  it('claims each of 600 jobs once while two connections (as two processes) claim in batches at the same time', async () => {
    const other = openDatabase({ url });
    const stores = [store, new KyselyEngineStore(other)];
    const row = caseRow(id());
    const keys = Array.from({ length: 600 }, (_, n) => `${row.id}:batch:${n}`);
    await store.write(async (tx) => {
      await tx.insertCase(row);
      for (const key of keys) await tx.insertJob(jobRow(row.id, key));
    });
    const claimedBy = new Map<string, string[]>();
    let token = 0;
    const runner = async (n: number) => {
      for (let round = 0; round < 200; round++) {
        const batch = await stores[n]!.claimJobs(now, () => `r${n}-${++token}`, new Date(now.getTime() + 60_000), 16);
        if (batch.length === 0) return;
        for (const job of batch)
          claimedBy.set(job.idempotencyKey, [...(claimedBy.get(job.idempotencyKey) ?? []), job.leaseToken!]);
      }
    };
    await Promise.all([runner(0), runner(1), runner(0), runner(1)]);
    await other.close();
    const mine = keys.map((key) => claimedBy.get(key) ?? []);
    expect(mine.filter((tokens) => tokens.length !== 1)).toEqual([]);
    expect(new Set(mine.flat()).size).toBe(keys.length);
  });

  it('fires a timer only once and cancels pending timers of a state', async () => {
    const row = caseRow(id());
    const timer = {
      id: id(),
      tenantId: 't1',
      caseId: row.id,
      state: 'a',
      visit: 1,
      dueAt: now,
      status: 'pending' as const,
    };
    const other = { ...timer, id: id(), state: 'b' };
    await store.write(async (tx) => {
      await tx.insertCase(row);
      await tx.insertTimer(timer);
      await tx.insertTimer(other);
      await tx.cancelTimers(row.id, 'b');
    });
    const due = await store.dueTimers(now, 100);
    expect(due.map((t) => t.id)).toContain(timer.id);
    expect(due.map((t) => t.id)).not.toContain(other.id);
    const results = await Promise.all([
      store.write((tx) => tx.fireTimer(timer.id)),
      store.write((tx) => tx.fireTimer(timer.id)),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('completes a task only while it is open and held by the completer', async () => {
    const row = caseRow(id());
    const task = {
      id: id(),
      tenantId: 't1',
      caseId: row.id,
      state: 'a',
      title: 'Prüfen',
      groupName: 'team',
      assignee: 'anna',
      status: 'open' as const,
      outcome: null,
      data: null,
      dueAt: null,
      createdAt: now,
      completedAt: null,
      completedBy: null,
    };
    await store.write(async (tx) => {
      await tx.insertCase(row);
      await tx.insertTask(task);
    });
    const patch = { outcome: 'done', data: { note: 'x' }, at: now };
    expect(await store.write((tx) => tx.completeTask(task.id, { ...patch, by: 'bernd' }))).toBe(false);
    expect(await store.write((tx) => tx.completeTask(task.id, { ...patch, by: 'anna' }))).toBe(true);
    expect(await store.write((tx) => tx.completeTask(task.id, { ...patch, by: 'anna' }))).toBe(false);
    expect(await store.write((tx) => tx.getTask('t1', task.id))).toMatchObject({
      status: 'done',
      data: { note: 'x' },
      completedBy: 'anna',
    });
  });
});

describe('SQLite pragmas', () => {
  it('sets synchronous=FULL on every open, also when reopening an existing WAL database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pragma-'));
    const file = join(dir, 'p.db');
    for (let i = 0; i < 2; i++) {
      const db = openSqlite(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      db.exec('create table if not exists t (x)');
      db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
