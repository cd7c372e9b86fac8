import type { CaseRow, HistoryRow, JobRow, TaskRow, TimerRow } from '../../engine/runtime/ports.ts';
import type { DB } from './schema.ts';

/**
 * The engine's hot-path SQL, shared by the SQLite and Postgres transactions: SQL text built once (building and
 * compiling it per call showed in the profiles of both), rows encoded the same way for both.
 */

export type JobPatch = Partial<
  Pick<JobRow, 'status' | 'nextRunAt' | 'lastError' | 'result' | 'leaseToken' | 'leaseUntil'>
>;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The columns of the engine's tables, in the order every INSERT lists them. */
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
} as const satisfies Partial<Record<keyof DB, readonly string[]>>;

export type EngineTable = keyof typeof COLUMNS;
const tables = Object.keys(COLUMNS) as EngineTable[];

/**
 * `col_name as "colName", …` per table: rows come back in the shape Kysely's CamelCasePlugin gives, so the mappers
 * of `rows.ts` serve every path.
 */
export const SELECT = Object.fromEntries(
  tables.map((t) => [t, COLUMNS[t].map((c) => `${snake(c)} as "${c}"`).join(', ')]),
) as Record<EngineTable, string>;

/**
 * A dialect's placeholder for the n-th value (from 1): `?` on SQLite, `$n` on Postgres. Every statement numbers its
 * placeholders in the order they appear and names none twice, so both dialects take the same values.
 */
type Placeholder = (n: number) => string;

/** `insert into t (…) values (…), (…)` for `count` rows; `placeholder(n)` names the n-th value (from 1). */
function insertSql(table: EngineTable, count: number, placeholder: Placeholder): string {
  const width = COLUMNS[table].length;
  const values = Array.from(
    { length: count },
    (_, row) => `(${COLUMNS[table].map((_, column) => placeholder(row * width + column + 1)).join(', ')})`,
  );
  return `insert into ${snake(table)} (${COLUMNS[table].map(snake).join(', ')}) values ${values.join(', ')}`;
}

/** Most history rows in one INSERT; a step writes a handful (transition, status, task and call entries). */
const HISTORY_ROWS_PER_INSERT = 16;

const text = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

type Encoded = Record<string, unknown>;

/** Engine row → stored column values (times in epoch milliseconds, JSON as text, flags 0/1), by camelCase column. */
const encode = {
  cases: (row: CaseRow): Encoded => ({
    ...row,
    snapshot: JSON.stringify(row.snapshot),
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  }),
  tasks: (row: TaskRow): Encoded => ({
    ...row,
    data: text(row.data),
    dueAt: row.dueAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
    completedAt: row.completedAt?.getTime() ?? null,
  }),
  jobs: (row: JobRow): Encoded => ({
    ...row,
    input: JSON.stringify(row.input),
    retry: JSON.stringify(row.retry),
    nextRunAt: row.nextRunAt.getTime(),
    leaseUntil: row.leaseUntil?.getTime() ?? null,
    leaseExpired: row.leaseExpired ? 1 : 0,
    result: text(row.result),
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  }),
  timers: (row: TimerRow): Encoded => ({ ...row, dueAt: row.dueAt.getTime() }),
  history: (row: HistoryRow): Encoded => ({ ...row, at: row.at.getTime(), detail: text(row.detail) }),
};

/** The values of `rows` (encoded) in the order of {@link insertSql}. */
function insertValues(table: EngineTable, rows: Encoded[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const column of COLUMNS[table]) values.push(row[column] ?? null);
  return values;
}

/** The columns a job's outcome sets (`updated_at` always), with their values, in a fixed order. */
function jobPatchColumns(patch: JobPatch, now: number): { columns: string[]; values: unknown[] } {
  const columns = ['updated_at'];
  const values: unknown[] = [now];
  const set = (column: string, value: unknown) => {
    columns.push(column);
    values.push(value);
  };
  if (patch.status) set('status', patch.status);
  if (patch.nextRunAt) set('next_run_at', patch.nextRunAt.getTime());
  if ('lastError' in patch) set('last_error', patch.lastError ?? null);
  if ('result' in patch) set('result', text(patch.result));
  if ('leaseToken' in patch) set('lease_token', patch.leaseToken ?? null);
  if ('leaseUntil' in patch) set('lease_until', patch.leaseUntil?.getTime() ?? null);
  return { columns, values };
}

/** A statement with its values. */
export type Statement = { sql: string; values: unknown[] };

/**
 * The engine's statements for one dialect's placeholders, each with its values. `rowLock` ends the read of the case
 * row, the lock every step takes first (` for update` on Postgres; SQLite has one writer at a time). The texts are
 * built once: those whose shape depends on the values (a job's outcome, the number of history rows) once per shape.
 */
export function engineStatements(p: Placeholder, rowLock = '') {
  const texts = {
    getCase: `select ${SELECT.cases} from cases where id = ${p(1)} and tenant_id = ${p(2)}${rowLock}`,
    endCase: `update cases set state = ${p(1)}, status = ${p(2)}, public_status = ${p(3)}, outcome = ${p(4)},
      snapshot = ${p(5)}, version = ${p(6)}, updated_at = ${p(7)}
      where id = ${p(8)} and tenant_id = ${p(9)} and version = ${p(10)} and status = 'active'`,
    updateActiveCase: `update cases set state = ${p(1)}, public_status = ${p(2)}, outcome = ${p(3)}, snapshot = ${p(4)},
      version = ${p(5)}, updated_at = ${p(6)}
      where id = ${p(7)} and tenant_id = ${p(8)} and version = ${p(9)} and status = 'active'`,
    nextCaseSequence: `insert into case_sequences (tenant_id, prefix, year, value) values (${p(1)}, ${p(2)}, ${p(3)}, 1)
      on conflict (tenant_id, prefix, year) do update set value = case_sequences.value + 1 returning value`,
    getTask: `select ${SELECT.tasks} from tasks where id = ${p(1)} and tenant_id = ${p(2)}`,
    completeTask: `update tasks set status = 'done', outcome = ${p(1)}, data = ${p(2)}, completed_at = ${p(3)},
      completed_by = ${p(4)} where id = ${p(5)} and status = 'open' and assignee = ${p(6)}`,
    cancelOpenTasks: `update tasks set status = 'cancelled', completed_at = ${p(1)}
      where case_id = ${p(2)} and state = ${p(3)} and status = 'open'`,
    cancelTimers: `update timers set status = 'cancelled' where case_id = ${p(1)} and state = ${p(2)} and status = 'pending'`,
    fireTimer: `update timers set status = 'fired' where id = ${p(1)} and status = 'pending'`,
    cancelTasksOfCase: `update tasks set status = 'cancelled', completed_at = ${p(1)} where case_id = ${p(2)} and status = 'open'`,
    cancelTimersOfCase: `update timers set status = 'cancelled' where case_id = ${p(1)} and status = 'pending'`,
    cancelJobsOfCase: `update jobs set status = 'cancelled', lease_token = null, lease_until = null, updated_at = ${p(1)}
      where case_id = ${p(2)} and status in ('pending', 'running', 'incident')`,
  };
  const inserts = Object.fromEntries(tables.map((t) => [t, insertSql(t, 1, p)])) as Record<EngineTable, string>;
  const historyInserts: string[] = [];
  const finishJobs = new Map<string, string>();
  const insert =
    <R>(table: EngineTable, encoded: (row: R) => Encoded) =>
    (row: R): Statement => ({ sql: inserts[table], values: insertValues(table, [encoded(row)]) });

  return {
    getCase: (caseId: string, tenantId: string): Statement => ({ sql: texts.getCase, values: [caseId, tenantId] }),
    insertCase: insert('cases', encode.cases),
    /**
     * The update of a case by a step or an end. Only active cases change, and a case's status only ever leaves
     * `active`: while the case stays active the status is left out of the SET list, so SQLite does not rewrite the
     * index entries that depend on it (`cases_active`) on every step.
     */
    updateCase: (row: CaseRow, expectedVersion: number): Statement => {
      const key = [row.id, row.tenantId, expectedVersion];
      const snapshot = JSON.stringify(row.snapshot);
      const at = row.updatedAt.getTime();
      return row.status === 'active'
        ? {
            sql: texts.updateActiveCase,
            values: [row.state, row.publicStatus, row.outcome, snapshot, row.version, at, ...key],
          }
        : {
            sql: texts.endCase,
            values: [row.state, row.status, row.publicStatus, row.outcome, snapshot, row.version, at, ...key],
          };
    },
    nextCaseSequence: (tenantId: string, prefix: string, year: number): Statement => ({
      sql: texts.nextCaseSequence,
      values: [tenantId, prefix, year],
    }),
    getTask: (taskId: string, tenantId: string): Statement => ({ sql: texts.getTask, values: [taskId, tenantId] }),
    insertTask: insert('tasks', encode.tasks),
    completeTask: (
      taskId: string,
      patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date },
    ): Statement => ({
      sql: texts.completeTask,
      values: [patch.outcome, JSON.stringify(patch.data), patch.at.getTime(), patch.by, taskId, patch.by],
    }),
    cancelOpenTasks: (caseId: string, state: string, at: Date): Statement => ({
      sql: texts.cancelOpenTasks,
      values: [at.getTime(), caseId, state],
    }),
    insertJob: insert('jobs', encode.jobs),
    /** A job's outcome, fenced by its lease: only while the job runs under `leaseToken`. */
    finishJob: (jobId: string, leaseToken: string, patch: JobPatch): Statement => {
      const { columns, values } = jobPatchColumns(patch, Date.now());
      const key = columns.join();
      let sql = finishJobs.get(key);
      if (!sql) {
        const set = columns.map((column, i) => `${column} = ${p(i + 1)}`).join(', ');
        sql = `update jobs set ${set} where id = ${p(columns.length + 1)} and lease_token = ${p(columns.length + 2)}
          and status = 'running'`;
        finishJobs.set(key, sql);
      }
      return { sql, values: [...values, jobId, leaseToken] };
    },
    insertTimer: insert('timers', encode.timers),
    cancelTimers: (caseId: string, state: string): Statement => ({ sql: texts.cancelTimers, values: [caseId, state] }),
    fireTimer: (timerId: string): Statement => ({ sql: texts.fireTimer, values: [timerId] }),
    /** The INSERTs of history entries, up to {@link HISTORY_ROWS_PER_INSERT} rows each. */
    appendHistory: (entries: HistoryRow[]): Statement[] => {
      const statements: Statement[] = [];
      for (let from = 0; from < entries.length; from += HISTORY_ROWS_PER_INSERT) {
        const chunk = entries.slice(from, from + HISTORY_ROWS_PER_INSERT);
        let sql = historyInserts[chunk.length];
        if (!sql) {
          sql = insertSql('history', chunk.length, p);
          historyInserts[chunk.length] = sql;
        }
        statements.push({ sql, values: insertValues('history', chunk.map(encode.history)) });
      }
      return statements;
    },
    /** Ends a cancelled case's open tasks, pending timers and unfinished jobs. */
    cancelCaseWork: (caseId: string, at: Date): Statement[] => [
      { sql: texts.cancelTasksOfCase, values: [at.getTime(), caseId] },
      { sql: texts.cancelTimersOfCase, values: [caseId] },
      { sql: texts.cancelJobsOfCase, values: [at.getTime(), caseId] },
    ],
  };
}
