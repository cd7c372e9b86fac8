import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { ConcurrencyConflictError } from '../../engine/runtime/case-engine.ts';
import type {
  CaseRow,
  EngineStore,
  EngineTx,
  HistoryRow,
  JobRow,
  TaskRow,
  TimerRow,
} from '../../engine/runtime/ports.ts';
import type { Database } from './database.ts';
import { SqliteEngineTx, SqliteStatements } from './engine-tx.sqlite.ts';
import { GroupCommit, type GroupCommitOptions } from './group-commit.sqlite.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';
import { WriteBuffer } from './write-buffer.postgres.ts';

function caseValues(row: CaseRow) {
  return {
    ...row,
    snapshot: JSON.stringify(row.snapshot),
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  };
}

/** The engine's transaction on Postgres; the case row is read FOR UPDATE (the lock every step takes first). */
class KyselyEngineTx implements EngineTx {
  /** Writes whose outcome the engine does not read, sent together (see {@link WriteBuffer}). */
  readonly buffer: WriteBuffer;
  /** Case rows this transaction locked (FOR UPDATE), with the version it last read or wrote. */
  private readonly locked = new Map<string, number>();

  constructor(private readonly tx: Transaction<DB>) {
    this.buffer = new WriteBuffer(tx);
  }

  async getCase(tenantId: string, caseId: string) {
    await this.buffer.before(['cases']);
    const r = await this.tx
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', caseId)
      .where('tenantId', '=', tenantId)
      .forUpdate()
      .executeTakeFirst();
    if (!r) return undefined;
    const row = rows.case(r);
    this.locked.set(row.id, row.version);
    return row;
  }

  async insertCase(row: CaseRow) {
    await this.buffer.insert('cases', this.tx.insertInto('cases').values(caseValues(row)));
  }

  async updateCase(row: CaseRow, expectedVersion: number) {
    const { id, tenantId, ...values } = caseValues(row);
    const update = this.tx
      .updateTable('cases')
      .set({
        state: values.state,
        status: values.status,
        publicStatus: values.publicStatus,
        outcome: values.outcome,
        snapshot: values.snapshot,
        version: values.version,
        updatedAt: values.updatedAt,
      })
      .where('id', '=', id)
      .where('tenantId', '=', tenantId)
      .where('version', '=', expectedVersion);
    if (this.locked.get(id) === expectedVersion) {
      // This transaction holds the row's lock since it read that version: nobody else can have changed it, so the
      // version check cannot fail and the update joins the buffered writes.
      this.locked.set(id, row.version);
      await this.buffer.update(['cases'], update);
      return true;
    }
    await this.buffer.before(['cases']);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async nextCaseSequence(tenantId: string, prefix: string, year: number) {
    await this.buffer.before(['caseSequences']);
    const r = await this.tx
      .insertInto('caseSequences')
      .values({ tenantId, prefix, year, value: 1 })
      .onConflict((oc) =>
        oc.columns(['tenantId', 'prefix', 'year']).doUpdateSet({ value: sql`case_sequences.value + 1` }),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(r.value);
  }

  async getTask(tenantId: string, taskId: string) {
    await this.buffer.before(['tasks']);
    const r = await this.tx
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where('tenantId', '=', tenantId)
      .executeTakeFirst();
    return r ? rows.task(r) : undefined;
  }

  async insertTask(row: TaskRow) {
    await this.buffer.insert(
      'tasks',
      this.tx.insertInto('tasks').values({
        ...row,
        data: row.data === null ? null : JSON.stringify(row.data),
        dueAt: row.dueAt?.getTime() ?? null,
        createdAt: row.createdAt.getTime(),
        completedAt: row.completedAt?.getTime() ?? null,
      }),
    );
  }

  async completeTask(taskId: string, patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date }) {
    await this.buffer.before(['tasks']);
    const result = await this.tx
      .updateTable('tasks')
      .set({
        status: 'done',
        outcome: patch.outcome,
        data: JSON.stringify(patch.data),
        completedAt: patch.at.getTime(),
        completedBy: patch.by,
      })
      .where('id', '=', taskId)
      .where('status', '=', 'open')
      .where('assignee', '=', patch.by)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async cancelOpenTasks(caseId: string, state: string, at: Date) {
    await this.buffer.update(
      ['tasks'],
      this.tx
        .updateTable('tasks')
        .set({ status: 'cancelled', completedAt: at.getTime() })
        .where('caseId', '=', caseId)
        .where('state', '=', state)
        .where('status', '=', 'open'),
    );
  }

  async insertJob(row: JobRow) {
    await this.buffer.insert(
      'jobs',
      this.tx.insertInto('jobs').values({
        ...row,
        input: JSON.stringify(row.input),
        retry: JSON.stringify(row.retry),
        nextRunAt: row.nextRunAt.getTime(),
        leaseUntil: row.leaseUntil?.getTime() ?? null,
        leaseExpired: row.leaseExpired ? 1 : 0,
        result: row.result === null ? null : JSON.stringify(row.result),
        createdAt: row.createdAt.getTime(),
        updatedAt: row.updatedAt.getTime(),
      }),
    );
  }

  async finishJob(
    jobId: string,
    leaseToken: string,
    patch: Partial<Pick<JobRow, 'status' | 'nextRunAt' | 'lastError' | 'result' | 'leaseToken' | 'leaseUntil'>>,
  ) {
    await this.buffer.before(['jobs']);
    const result = await this.tx
      .updateTable('jobs')
      .set({
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.nextRunAt ? { nextRunAt: patch.nextRunAt.getTime() } : {}),
        ...('lastError' in patch ? { lastError: patch.lastError ?? null } : {}),
        ...('result' in patch ? { result: patch.result === undefined ? null : JSON.stringify(patch.result) } : {}),
        ...('leaseToken' in patch ? { leaseToken: patch.leaseToken ?? null } : {}),
        ...('leaseUntil' in patch ? { leaseUntil: patch.leaseUntil?.getTime() ?? null } : {}),
        updatedAt: Date.now(),
      })
      .where('id', '=', jobId)
      .where('leaseToken', '=', leaseToken)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertTimer(row: TimerRow) {
    await this.buffer.insert('timers', this.tx.insertInto('timers').values({ ...row, dueAt: row.dueAt.getTime() }));
  }

  async cancelTimers(caseId: string, state: string) {
    await this.buffer.update(
      ['timers'],
      this.tx
        .updateTable('timers')
        .set({ status: 'cancelled' })
        .where('caseId', '=', caseId)
        .where('state', '=', state)
        .where('status', '=', 'pending'),
    );
  }

  async fireTimer(timerId: string) {
    await this.buffer.before(['timers']);
    const result = await this.tx
      .updateTable('timers')
      .set({ status: 'fired' })
      .where('id', '=', timerId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async appendHistory(entries: HistoryRow[]) {
    if (entries.length === 0) return;
    await this.buffer.insert(
      'history',
      this.tx.insertInto('history').values(
        entries.map((h) => ({
          ...h,
          at: h.at.getTime(),
          detail: h.detail === null ? null : JSON.stringify(h.detail),
        })),
      ),
    );
  }

  async cancelCaseWork(caseId: string, at: Date) {
    await this.buffer.before(['tasks', 'timers', 'jobs']);
    await this.tx
      .updateTable('tasks')
      .set({ status: 'cancelled', completedAt: at.getTime() })
      .where('caseId', '=', caseId)
      .where('status', '=', 'open')
      .execute();
    await this.tx
      .updateTable('timers')
      .set({ status: 'cancelled' })
      .where('caseId', '=', caseId)
      .where('status', '=', 'pending')
      .execute();
    await this.tx
      .updateTable('jobs')
      .set({ status: 'cancelled', leaseToken: null, leaseUntil: null, updatedAt: at.getTime() })
      .where('caseId', '=', caseId)
      .where('status', 'in', ['pending', 'running', 'incident'])
      .execute();
  }
}

/** Settings of the engine store; only SQLite has any (Postgres commits each step in its own transaction). */
export type EngineStoreOptions = { groupCommit?: GroupCommitOptions };

/**
 * The engine's store on the server database.
 *
 * Postgres: one Kysely transaction per step. A job claim is one statement for the whole batch, the canonical shape
 * for `limit` rows: `UPDATE … WHERE id = <picked> AND <still eligible> RETURNING *`, the ids picked by
 * `SELECT … FOR UPDATE SKIP LOCKED LIMIT n` (materialized once), each with a lease token of its own.
 *
 * SQLite: prepared statements on the one connection, and group commit: steps that arrive together share one
 * transaction and one flush, each in its own savepoint (see {@link GroupCommit}). Job claims are one write of
 * the group too. SQLite has one writer at a time, so the claim needs no lock clause.
 */
export class KyselyEngineStore implements EngineStore {
  private readonly db: Kysely<DB>;
  private readonly sqlite: { statements: SqliteStatements; commits: GroupCommit<EngineTx> } | undefined;

  constructor(database: Database, options: EngineStoreOptions = {}) {
    this.db = database.db;
    if (database.dialect === 'sqlite') {
      if (!database.sqlite) throw new Error('SQLite database without its connection');
      const statements = new SqliteStatements(database.sqlite);
      const exclusive = <T>(fn: () => Promise<T>) => this.db.connection().execute(fn);
      this.sqlite = {
        statements,
        commits: new GroupCommit<EngineTx>(
          database.sqlite,
          new SqliteEngineTx(statements),
          exclusive,
          options.groupCommit,
        ),
      };
    }
  }

  async write<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    if (this.sqlite) return this.sqlite.commits.write(fn);
    try {
      return await this.db.transaction().execute(async (tx) => {
        const engineTx = new KyselyEngineTx(tx);
        const result = await fn(engineTx);
        await engineTx.buffer.flush();
        return result;
      });
    } catch (error) {
      // Postgres aborts one side of a deadlock or serialization conflict; the engine retries the step afresh.
      const code = (error as { code?: unknown }).code;
      if (code === '40P01' || code === '40001') throw new ConcurrencyConflictError('Gleichzeitige Änderung');
      throw error;
    }
  }

  async claimJobs(now: Date, leaseToken: () => string, leaseUntil: Date, limit: number): Promise<JobRow[]> {
    const sqlite = this.sqlite;
    if (sqlite) {
      const due = await this.db.connection().execute(async () => sqlite.statements.hasDueJobs(now.getTime()));
      if (!due) return [];
      return sqlite.commits.write(async () =>
        sqlite.statements.claimJobs(now.getTime(), leaseToken, leaseUntil.getTime(), limit),
      );
    }
    const nowMs = now.getTime();
    const tokens = Array.from({ length: limit }, () => leaseToken());
    const eligible = sql`((jobs.status = 'pending' and jobs.next_run_at <= ${nowMs})
      or (jobs.status = 'running' and jobs.lease_until < ${nowMs}))`;
    const claimed = await sql<Selectable<DB['jobs']>>`
      with picked as materialized (
        select id, row_number() over () as n
        from (select id from jobs where ${eligible} order by next_run_at limit ${limit} for update skip locked) due
      ),
      tokens as (select token, n from unnest(${tokens}::text[]) with ordinality as t(token, n))
      update jobs
      set lease_expired = case when jobs.status = 'running' then 1 else 0 end, status = 'running',
          lease_token = tokens.token, lease_until = ${leaseUntil.getTime()}, attempts = jobs.attempts + 1,
          updated_at = ${nowMs}
      from picked join tokens on tokens.n = picked.n
      where jobs.id = picked.id and ${eligible}
      returning jobs.*`.execute(this.db);
    return claimed.rows.map(rows.job);
  }

  async dueTimers(now: Date, limit: number): Promise<TimerRow[]> {
    const sqlite = this.sqlite;
    if (sqlite) return this.db.connection().execute(async () => sqlite.statements.dueTimers(now.getTime(), limit));
    const found = await this.db
      .selectFrom('timers')
      .selectAll()
      .where('status', '=', 'pending')
      .where('dueAt', '<=', now.getTime())
      .orderBy('dueAt')
      .limit(limit)
      .execute();
    return found.map(rows.timer);
  }
}
