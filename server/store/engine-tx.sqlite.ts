import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { CaseRow, EngineTx, HistoryRow, JobRow, TaskRow, TimerRow } from '../../engine/runtime/ports.ts';
import { type Statement as EngineStatement, engineStatements, type JobPatch, SELECT } from './engine-sql.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';

type Statement = SQLite.Statement;

const SQL = engineStatements(() => '?');

/**
 * Due pending jobs first, then running jobs whose lease ran out; both are ranges of `jobs_due` (status, next run):
 * the running jobs are only those runners hold at the moment.
 */
const ELIGIBLE = `((status = 'pending' and next_run_at <= @now) or (status = 'running' and lease_until < @now))`;

const CLAIM = `update jobs set lease_expired = case when status = 'running' then 1 else 0 end, status = 'running',
  lease_token = @leaseToken, lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @now
  where id = @id and ${ELIGIBLE} returning ${SELECT.jobs}`;
const DUE_TIMERS = `select ${SELECT.timers} from timers where status = 'pending' and due_at <= @now
  order by due_at limit @limit`;

/**
 * The SQLite statements of the engine's hot path, prepared once per connection. better-sqlite3 runs them
 * synchronously; the group commit wraps each engine step in a savepoint of a shared transaction.
 */
export class SqliteStatements {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly sqlite: SQLite.Database) {}

  /** The prepared statement for `sql`, prepared on first use. */
  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  /** True when a claim would find a job (a read, no transaction): idle polls then take no write lock. */
  hasDueJobs(now: number): boolean {
    const due = this.get(
      `select 1 from jobs where status = 'pending' and next_run_at <= @now
       union all select 1 from jobs where status = 'running' and lease_until < @now limit 1`,
    ).get({ now });
    return due !== undefined;
  }

  /** Claims up to `limit` due jobs with fresh lease tokens; call inside a write transaction. */
  claimJobs(now: number, leaseToken: () => string, leaseUntil: number, limit: number): JobRow[] {
    const pending = this.get(
      `select id from jobs where status = 'pending' and next_run_at <= @now order by next_run_at limit @limit`,
    ).all({ now, limit }) as { id: string }[];
    const expired =
      pending.length < limit
        ? (this.get(`select id from jobs where status = 'running' and lease_until < @now limit @limit`).all({
            now,
            limit: limit - pending.length,
          }) as { id: string }[])
        : [];
    const claim = this.get(CLAIM);
    const claimed: JobRow[] = [];
    for (const { id } of [...pending, ...expired]) {
      const row = claim.get({ id, now, leaseToken: leaseToken(), leaseUntil }) as Selectable<DB['jobs']> | undefined;
      if (row) claimed.push(rows.job(row));
    }
    return claimed;
  }

  /** Due pending timers, oldest first (index `timers_due`). */
  dueTimers(now: number, limit: number): TimerRow[] {
    const found = this.get(DUE_TIMERS).all({ now, limit }) as Selectable<DB['timers']>[];
    return found.map(rows.timer);
  }
}

/** The engine's transaction on SQLite: every method is one prepared statement on the shared connection. */
export class SqliteEngineTx implements EngineTx {
  constructor(private readonly s: SqliteStatements) {}

  /** Runs a write; the number of rows it changed. */
  private run({ sql, values }: EngineStatement): number {
    return this.s.get(sql).run(values).changes;
  }

  private get<R>({ sql, values }: EngineStatement): R | undefined {
    return this.s.get(sql).get(values) as R | undefined;
  }

  async getCase(tenantId: string, caseId: string) {
    const r = this.get<Selectable<DB['cases']>>(SQL.getCase(caseId, tenantId));
    return r ? rows.case(r) : undefined;
  }

  async insertCase(row: CaseRow) {
    this.run(SQL.insertCase(row));
  }

  async updateCase(row: CaseRow, expectedVersion: number) {
    return this.run(SQL.updateCase(row, expectedVersion)) === 1;
  }

  async nextCaseSequence(tenantId: string, prefix: string, year: number) {
    return Number(this.get<{ value: number }>(SQL.nextCaseSequence(tenantId, prefix, year))?.value);
  }

  async getTask(tenantId: string, taskId: string) {
    const r = this.get<Selectable<DB['tasks']>>(SQL.getTask(taskId, tenantId));
    return r ? rows.task(r) : undefined;
  }

  async insertTask(row: TaskRow) {
    this.run(SQL.insertTask(row));
  }

  async completeTask(taskId: string, patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date }) {
    return this.run(SQL.completeTask(taskId, patch)) === 1;
  }

  async cancelOpenTasks(caseId: string, state: string, at: Date) {
    this.run(SQL.cancelOpenTasks(caseId, state, at));
  }

  async insertJob(row: JobRow) {
    this.run(SQL.insertJob(row));
  }

  async finishJob(jobId: string, leaseToken: string, patch: JobPatch) {
    return this.run(SQL.finishJob(jobId, leaseToken, patch)) === 1;
  }

  async insertTimer(row: TimerRow) {
    this.run(SQL.insertTimer(row));
  }

  async cancelTimers(caseId: string, state: string) {
    this.run(SQL.cancelTimers(caseId, state));
  }

  async fireTimer(timerId: string) {
    return this.run(SQL.fireTimer(timerId)) === 1;
  }

  async appendHistory(entries: HistoryRow[]) {
    for (const statement of SQL.appendHistory(entries)) this.run(statement);
  }

  async cancelCaseWork(caseId: string, at: Date) {
    for (const statement of SQL.cancelCaseWork(caseId, at)) this.run(statement);
  }
}
