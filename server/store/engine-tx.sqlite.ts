import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { CaseRow, EngineTx, HistoryRow, JobRow, TaskRow, TimerRow } from '../../engine/runtime/ports.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';

type Table = keyof DB;
type Statement = SQLite.Statement;
type JobPatch = Partial<Pick<JobRow, 'status' | 'nextRunAt' | 'lastError' | 'result' | 'leaseToken' | 'leaseUntil'>>;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const COLUMNS = {
  cases: [
    'id',
    'tenantId',
    'procedureKey',
    'procedureVersion',
    'caseNumber',
    'trackingCode',
    'state',
    'status',
    'publicStatus',
    'outcome',
    'snapshot',
    'version',
    'createdAt',
    'updatedAt',
  ],
  tasks: [
    'id',
    'tenantId',
    'caseId',
    'state',
    'title',
    'groupName',
    'assignee',
    'status',
    'outcome',
    'data',
    'dueAt',
    'createdAt',
    'completedAt',
    'completedBy',
  ],
  jobs: [
    'id',
    'tenantId',
    'caseId',
    'state',
    'connector',
    'operation',
    'input',
    'idempotencyKey',
    'status',
    'attempts',
    'retry',
    'nextRunAt',
    'leaseToken',
    'leaseUntil',
    'leaseExpired',
    'lastError',
    'result',
    'createdAt',
    'updatedAt',
  ],
  timers: ['id', 'tenantId', 'caseId', 'state', 'visit', 'dueAt', 'status'],
  history: [
    'id',
    'tenantId',
    'caseId',
    'at',
    'kind',
    'fromState',
    'toState',
    'event',
    'actor',
    'publicStatus',
    'detail',
  ],
} as const satisfies Partial<Record<Table, readonly string[]>>;

type Columned = keyof typeof COLUMNS;
const tables = Object.keys(COLUMNS) as Columned[];
/**
 * `col_name as colName, …` per table: rows come back in the shape Kysely's CamelCasePlugin gives, so one mapper
 * serves both. Built once: SQL text built per call (and hashed for the statement cache) shows in the profile.
 */
const SELECT = Object.fromEntries(
  tables.map((t) => [t, COLUMNS[t].map((c) => `${snake(c)} as ${c}`).join(', ')]),
) as Record<Columned, string>;
const INSERT = Object.fromEntries(
  tables.map((t) => [
    t,
    `insert into ${snake(t)} (${COLUMNS[t].map(snake).join(', ')}) values (${COLUMNS[t].map((c) => `@${c}`).join(', ')})`,
  ]),
) as Record<Columned, string>;

/** Most history rows in one INSERT; a step writes a handful (transition, status, task and call entries). */
const HISTORY_ROWS_PER_INSERT = 16;
const historyInserts: string[] = [];
/** `insert into history (…) values (?, …), (?, …)` with `count` rows: one statement per step, not one per entry. */
function historyInsert(count: number): string {
  let sql = historyInserts[count];
  if (!sql) {
    const row = `(${COLUMNS.history.map(() => '?').join(', ')})`;
    sql = `insert into history (${COLUMNS.history.map(snake).join(', ')}) values ${Array(count).fill(row).join(', ')}`;
    historyInserts[count] = sql;
  }
  return sql;
}

const text = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

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
const GET_CASE = `select ${SELECT.cases} from cases where id = @caseId and tenant_id = @tenantId`;
const GET_TASK = `select ${SELECT.tasks} from tasks where id = @taskId and tenant_id = @tenantId`;

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

  async getCase(tenantId: string, caseId: string) {
    const r = this.s.get(GET_CASE).get({ caseId, tenantId }) as Selectable<DB['cases']> | undefined;
    return r ? rows.case(r) : undefined;
  }

  async insertCase(row: CaseRow) {
    this.s.get(INSERT.cases).run({
      ...row,
      snapshot: JSON.stringify(row.snapshot),
      createdAt: row.createdAt.getTime(),
      updatedAt: row.updatedAt.getTime(),
    });
  }

  async updateCase(row: CaseRow, expectedVersion: number) {
    const result = this.s
      .get(
        `update cases set state = @state, status = @status, public_status = @publicStatus, outcome = @outcome,
           snapshot = @snapshot, version = @version, updated_at = @updatedAt
         where id = @id and tenant_id = @tenantId and version = @expectedVersion`,
      )
      .run({
        ...row,
        snapshot: JSON.stringify(row.snapshot),
        updatedAt: row.updatedAt.getTime(),
        expectedVersion,
      });
    return result.changes === 1;
  }

  async nextCaseSequence(tenantId: string, prefix: string, year: number) {
    const r = this.s
      .get(
        `insert into case_sequences (tenant_id, prefix, year, value) values (@tenantId, @prefix, @year, 1)
         on conflict (tenant_id, prefix, year) do update set value = case_sequences.value + 1 returning value`,
      )
      .get({ tenantId, prefix, year }) as { value: number };
    return Number(r.value);
  }

  async getTask(tenantId: string, taskId: string) {
    const r = this.s.get(GET_TASK).get({ taskId, tenantId }) as Selectable<DB['tasks']> | undefined;
    return r ? rows.task(r) : undefined;
  }

  async insertTask(row: TaskRow) {
    this.s.get(INSERT.tasks).run({
      ...row,
      data: text(row.data),
      dueAt: row.dueAt?.getTime() ?? null,
      createdAt: row.createdAt.getTime(),
      completedAt: row.completedAt?.getTime() ?? null,
    });
  }

  async completeTask(taskId: string, patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date }) {
    const result = this.s
      .get(
        `update tasks set status = 'done', outcome = @outcome, data = @data, completed_at = @at, completed_by = @by
         where id = @taskId and status = 'open' and assignee = @by`,
      )
      .run({ taskId, outcome: patch.outcome, data: JSON.stringify(patch.data), at: patch.at.getTime(), by: patch.by });
    return result.changes === 1;
  }

  async cancelOpenTasks(caseId: string, state: string, at: Date) {
    this.s
      .get(
        `update tasks set status = 'cancelled', completed_at = @at
         where case_id = @caseId and state = @state and status = 'open'`,
      )
      .run({ caseId, state, at: at.getTime() });
  }

  async insertJob(row: JobRow) {
    this.s.get(INSERT.jobs).run({
      ...row,
      input: JSON.stringify(row.input),
      retry: JSON.stringify(row.retry),
      nextRunAt: row.nextRunAt.getTime(),
      leaseUntil: row.leaseUntil?.getTime() ?? null,
      leaseExpired: row.leaseExpired ? 1 : 0,
      result: text(row.result),
      createdAt: row.createdAt.getTime(),
      updatedAt: row.updatedAt.getTime(),
    });
  }

  async finishJob(jobId: string, leaseToken: string, patch: JobPatch) {
    const values: Record<string, unknown> = { jobId, leaseToken, updatedAt: Date.now() };
    const set = ['updated_at = @updatedAt'];
    const assign = (column: string, param: string, value: unknown) => {
      set.push(`${column} = @${param}`);
      values[param] = value;
    };
    if (patch.status) assign('status', 'status', patch.status);
    if (patch.nextRunAt) assign('next_run_at', 'nextRunAt', patch.nextRunAt.getTime());
    if ('lastError' in patch) assign('last_error', 'lastError', patch.lastError ?? null);
    if ('result' in patch) assign('result', 'result', text(patch.result));
    if ('leaseToken' in patch) assign('lease_token', 'newLeaseToken', patch.leaseToken ?? null);
    if ('leaseUntil' in patch) assign('lease_until', 'leaseUntil', patch.leaseUntil?.getTime() ?? null);
    const sql = `update jobs set ${set.join(', ')} where id = @jobId and lease_token = @leaseToken and status = 'running'`;
    return this.s.get(sql).run(values).changes === 1;
  }

  async insertTimer(row: TimerRow) {
    this.s.get(INSERT.timers).run({ ...row, dueAt: row.dueAt.getTime() });
  }

  async cancelTimers(caseId: string, state: string) {
    this.s
      .get(`update timers set status = 'cancelled' where case_id = @caseId and state = @state and status = 'pending'`)
      .run({ caseId, state });
  }

  async fireTimer(timerId: string) {
    return (
      this.s.get(`update timers set status = 'fired' where id = @timerId and status = 'pending'`).run({ timerId })
        .changes === 1
    );
  }

  async appendHistory(entries: HistoryRow[]) {
    for (let from = 0; from < entries.length; from += HISTORY_ROWS_PER_INSERT) {
      const chunk = entries.slice(from, from + HISTORY_ROWS_PER_INSERT);
      const values: unknown[] = [];
      // In the order of COLUMNS.history.
      for (const h of chunk) {
        values.push(h.id, h.tenantId, h.caseId, h.at.getTime(), h.kind, h.fromState, h.toState, h.event, h.actor);
        values.push(h.publicStatus, text(h.detail));
      }
      this.s.get(historyInsert(chunk.length)).run(values);
    }
  }

  async cancelCaseWork(caseId: string, at: Date) {
    const params = { caseId, at: at.getTime() };
    this.s
      .get(`update tasks set status = 'cancelled', completed_at = @at where case_id = @caseId and status = 'open'`)
      .run(params);
    this.s.get(`update timers set status = 'cancelled' where case_id = @caseId and status = 'pending'`).run({ caseId });
    this.s
      .get(
        `update jobs set status = 'cancelled', lease_token = null, lease_until = null, updated_at = @at
         where case_id = @caseId and status in ('pending', 'running', 'incident')`,
      )
      .run(params);
  }
}
