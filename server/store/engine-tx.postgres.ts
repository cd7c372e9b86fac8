import type { Selectable } from 'kysely';
import type pg from 'pg';
import type { CaseRow, EngineTx, HistoryRow, JobRow, TaskRow, TimerRow } from '../../engine/runtime/ports.ts';
import { engineStatements, type JobPatch, type Statement } from './engine-sql.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';
import { WriteBuffer } from './write-buffer.postgres.ts';

/** The case row is read FOR UPDATE: the lock every step takes first, before its tasks, jobs and timers (no deadlocks). */
const SQL = engineStatements((n) => `$${n}`, ' for update');

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
    this.buffer = new WriteBuffer((statement) => this.query(statement));
  }

  private query<R extends pg.QueryResultRow>({ sql, values }: Statement): Promise<pg.QueryResult<R>> {
    const name = statementName(sql);
    return this.client.query<R>(name ? { name, text: sql, values } : { text: sql, values });
  }

  private async rows<R extends pg.QueryResultRow>(statement: Statement): Promise<R[]> {
    return (await this.query<R>(statement)).rows;
  }

  /** Runs a write at once; resolves with the number of rows it changed. */
  private async changed(statement: Statement): Promise<number> {
    return (await this.query(statement)).rowCount ?? 0;
  }

  async getCase(tenantId: string, caseId: string) {
    await this.buffer.before(['cases']);
    const [r] = await this.rows<Selectable<DB['cases']>>(SQL.getCase(caseId, tenantId));
    if (!r) return undefined;
    const row = rows.case(r);
    this.locked.set(row.id, row.version);
    return row;
  }

  async insertCase(row: CaseRow) {
    this.buffer.insert('cases', SQL.insertCase(row));
  }

  async updateCase(row: CaseRow, expectedVersion: number) {
    const update = SQL.updateCase(row, expectedVersion);
    if (this.locked.get(row.id) === expectedVersion) {
      // This transaction holds the row's lock since it read that version: nobody else can have changed it, so the
      // version check cannot fail and the update joins the buffered writes.
      this.locked.set(row.id, row.version);
      await this.buffer.update('cases', update);
      return true;
    }
    await this.buffer.before(['cases']);
    return (await this.changed(update)) === 1;
  }

  async nextCaseSequence(tenantId: string, prefix: string, year: number) {
    const [r] = await this.rows<{ value: number }>(SQL.nextCaseSequence(tenantId, prefix, year));
    return Number(r?.value);
  }

  async getTask(tenantId: string, taskId: string) {
    await this.buffer.before(['tasks']);
    const [r] = await this.rows<Selectable<DB['tasks']>>(SQL.getTask(taskId, tenantId));
    return r ? rows.task(r) : undefined;
  }

  async insertTask(row: TaskRow) {
    this.buffer.insert('tasks', SQL.insertTask(row));
  }

  async completeTask(taskId: string, patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date }) {
    await this.buffer.before(['tasks']);
    return (await this.changed(SQL.completeTask(taskId, patch))) === 1;
  }

  async cancelOpenTasks(caseId: string, state: string, at: Date) {
    await this.buffer.update('tasks', SQL.cancelOpenTasks(caseId, state, at));
  }

  async insertJob(row: JobRow) {
    this.buffer.insert('jobs', SQL.insertJob(row));
  }

  async finishJob(jobId: string, leaseToken: string, patch: JobPatch) {
    await this.buffer.before(['jobs']);
    return (await this.changed(SQL.finishJob(jobId, leaseToken, patch))) === 1;
  }

  async insertTimer(row: TimerRow) {
    this.buffer.insert('timers', SQL.insertTimer(row));
  }

  async cancelTimers(caseId: string, state: string) {
    await this.buffer.update('timers', SQL.cancelTimers(caseId, state));
  }

  async fireTimer(timerId: string) {
    await this.buffer.before(['timers']);
    return (await this.changed(SQL.fireTimer(timerId))) === 1;
  }

  async appendHistory(entries: HistoryRow[]) {
    for (const statement of SQL.appendHistory(entries)) this.buffer.insert('history', statement);
  }

  async cancelCaseWork(caseId: string, at: Date) {
    await this.buffer.before(['tasks', 'timers', 'jobs']);
    for (const statement of SQL.cancelCaseWork(caseId, at)) await this.changed(statement);
  }
}
