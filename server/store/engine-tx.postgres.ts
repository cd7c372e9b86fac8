import type { Selectable } from 'kysely';
import type pg from 'pg';
import type { CaseRow, EngineTx, HistoryRow, JobRow, TaskRow, TimerRow } from '../../engine/runtime/ports.ts';
import {
  completeTaskValues,
  encode,
  engineStatements,
  finishJobSql,
  HISTORY_ROWS_PER_INSERT,
  historyInsertSql,
  insertValues,
  type JobPatch,
  jobPatchColumns,
  updateCaseValues,
} from './engine-sql.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';
import { WriteBuffer } from './write-buffer.postgres.ts';

const placeholder = (n: number) => `$${n}`;
const SQL = engineStatements(placeholder);
/** The lock every step takes first: the case row, before its tasks, jobs and timers (no deadlocks). */
const GET_CASE_FOR_UPDATE = `${SQL.getCase} for update`;
const historyInserts: string[] = [];
const finishJobs = new Map<string, string>();

/** Prepared statements get names up to this many distinct texts (fixed statements and the buffer's joined writes). */
const MOST_NAMED = 500;
const names = new Map<string, string>();

/** The name of `sql` as a prepared statement; undefined once {@link MOST_NAMED} texts have one. */
function statementName(sql: string): string | undefined {
  let name = names.get(sql);
  if (!name && names.size < MOST_NAMED) {
    name = `engine_${names.size + 1}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * The engine's transaction on Postgres: the statements of `engine-sql.ts` as named prepared statements on the
 * step's pooled connection, so Postgres parses and plans each once per connection (Kysely's query builder compiled
 * every statement anew, and unnamed statements are planned on every run). Writes whose outcome the engine does not
 * read go through the {@link WriteBuffer}.
 */
export class PostgresEngineTx implements EngineTx {
  /** Writes whose outcome the engine does not read, sent together (see {@link WriteBuffer}). */
  readonly buffer: WriteBuffer;
  /** Case rows this transaction locked (FOR UPDATE), with the version it last read or wrote. */
  private readonly locked = new Map<string, number>();

  /** `client` has begun the step's transaction; the caller commits it after flushing {@link buffer}. */
  constructor(private readonly client: pg.PoolClient) {
    this.buffer = new WriteBuffer((sql, values) => this.query(sql, values));
  }

  private query<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const name = statementName(sql);
    return this.client.query<R>(name ? { name, text: sql, values } : { text: sql, values });
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<R[]> {
    return (await this.query<R>(sql, values)).rows;
  }

  /** Runs an UPDATE at once; resolves with the number of rows it changed. */
  private async changed(sql: string, values: unknown[]): Promise<number> {
    return (await this.query(sql, values)).rowCount ?? 0;
  }

  async getCase(tenantId: string, caseId: string) {
    await this.buffer.before(['cases']);
    const [r] = await this.rows<Selectable<DB['cases']>>(GET_CASE_FOR_UPDATE, [caseId, tenantId]);
    if (!r) return undefined;
    const row = rows.case(r);
    this.locked.set(row.id, row.version);
    return row;
  }

  async insertCase(row: CaseRow) {
    this.buffer.insert('cases', { sql: SQL.insertCase, values: insertValues('cases', [encode.case(row)]) });
  }

  async updateCase(row: CaseRow, expectedVersion: number) {
    const values = updateCaseValues(row, expectedVersion);
    if (this.locked.get(row.id) === expectedVersion) {
      // This transaction holds the row's lock since it read that version: nobody else can have changed it, so the
      // version check cannot fail and the update joins the buffered writes.
      this.locked.set(row.id, row.version);
      await this.buffer.update('cases', { sql: SQL.updateCase, values });
      return true;
    }
    await this.buffer.before(['cases']);
    return (await this.changed(SQL.updateCase, values)) === 1;
  }

  async nextCaseSequence(tenantId: string, prefix: string, year: number) {
    const [r] = await this.rows<{ value: number }>(SQL.nextCaseSequence, [tenantId, prefix, year]);
    return Number(r!.value);
  }

  async getTask(tenantId: string, taskId: string) {
    await this.buffer.before(['tasks']);
    const [r] = await this.rows<Selectable<DB['tasks']>>(SQL.getTask, [taskId, tenantId]);
    return r ? rows.task(r) : undefined;
  }

  async insertTask(row: TaskRow) {
    this.buffer.insert('tasks', { sql: SQL.insertTask, values: insertValues('tasks', [encode.task(row)]) });
  }

  async completeTask(taskId: string, patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date }) {
    await this.buffer.before(['tasks']);
    return (await this.changed(SQL.completeTask, completeTaskValues(taskId, patch))) === 1;
  }

  async cancelOpenTasks(caseId: string, state: string, at: Date) {
    await this.buffer.update('tasks', { sql: SQL.cancelOpenTasks, values: [at.getTime(), caseId, state] });
  }

  async insertJob(row: JobRow) {
    this.buffer.insert('jobs', { sql: SQL.insertJob, values: insertValues('jobs', [encode.job(row)]) });
  }

  async finishJob(jobId: string, leaseToken: string, patch: JobPatch) {
    await this.buffer.before(['jobs']);
    const { columns, values } = jobPatchColumns(patch, Date.now());
    return (await this.changed(finishJobSql(columns, placeholder, finishJobs), [...values, jobId, leaseToken])) === 1;
  }

  async insertTimer(row: TimerRow) {
    this.buffer.insert('timers', { sql: SQL.insertTimer, values: insertValues('timers', [encode.timer(row)]) });
  }

  async cancelTimers(caseId: string, state: string) {
    await this.buffer.update('timers', { sql: SQL.cancelTimers, values: [caseId, state] });
  }

  async fireTimer(timerId: string) {
    await this.buffer.before(['timers']);
    return (await this.changed(SQL.fireTimer, [timerId])) === 1;
  }

  async appendHistory(entries: HistoryRow[]) {
    for (let from = 0; from < entries.length; from += HISTORY_ROWS_PER_INSERT) {
      const chunk = entries.slice(from, from + HISTORY_ROWS_PER_INSERT);
      const sql = historyInsertSql(chunk.length, placeholder, historyInserts);
      this.buffer.insert('history', { sql, values: insertValues('history', chunk.map(encode.history)) });
    }
  }

  async cancelCaseWork(caseId: string, at: Date) {
    await this.buffer.before(['tasks', 'timers', 'jobs']);
    await this.changed(SQL.cancelTasksOfCase, [at.getTime(), caseId]);
    await this.changed(SQL.cancelTimersOfCase, [caseId]);
    await this.changed(SQL.cancelJobsOfCase, [at.getTime(), caseId]);
  }
}
