import type { CaseRow, HistoryRow, JobRow, TaskRow, TimerRow } from '../../engine/runtime/ports.ts';
import type { DB } from './schema.ts';

/**
 * The engine's hot-path SQL, shared by the SQLite and Postgres transactions: SQL text built once (building and
 * compiling it per call showed in the profiles of both), rows encoded the same way for both.
 */

export type JobPatch = Partial<
  Pick<JobRow, 'status' | 'nextRunAt' | 'lastError' | 'result' | 'leaseToken' | 'leaseUntil'>
>;

export const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The columns of the engine's tables, in the order every INSERT lists them. */
export const COLUMNS = {
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

/** `insert into t (…) values (…), (…)` for `count` rows; `placeholder(n)` names the n-th value (from 1). */
export function insertSql(table: EngineTable, count: number, placeholder: (n: number) => string): string {
  const width = COLUMNS[table].length;
  const values = Array.from(
    { length: count },
    (_, row) => `(${COLUMNS[table].map((_, column) => placeholder(row * width + column + 1)).join(', ')})`,
  );
  return `insert into ${snake(table)} (${COLUMNS[table].map(snake).join(', ')}) values ${values.join(', ')}`;
}

/** Most history rows in one INSERT; a step writes a handful (transition, status, task and call entries). */
export const HISTORY_ROWS_PER_INSERT = 16;

/** The INSERT of `count` history rows for a dialect's placeholders, built once per count (`cache` is per dialect). */
export function historyInsertSql(count: number, p: Placeholder, cache: string[]): string {
  let sql = cache[count];
  if (!sql) {
    sql = insertSql('history', count, p);
    cache[count] = sql;
  }
  return sql;
}

const text = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

type Encoded = Record<string, unknown>;

/** Engine row → stored column values (times in epoch milliseconds, JSON as text, flags 0/1), by camelCase column. */
export const encode = {
  case: (row: CaseRow): Encoded => ({
    ...row,
    snapshot: JSON.stringify(row.snapshot),
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  }),
  task: (row: TaskRow): Encoded => ({
    ...row,
    data: text(row.data),
    dueAt: row.dueAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
    completedAt: row.completedAt?.getTime() ?? null,
  }),
  job: (row: JobRow): Encoded => ({
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
  timer: (row: TimerRow): Encoded => ({ ...row, dueAt: row.dueAt.getTime() }),
  history: (row: HistoryRow): Encoded => ({ ...row, at: row.at.getTime(), detail: text(row.detail) }),
};

/** The values of `rows` (encoded) in the order of {@link insertSql}. */
export function insertValues(table: EngineTable, rows: Encoded[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const column of COLUMNS[table]) values.push(row[column] ?? null);
  return values;
}

/**
 * A dialect's placeholder for the n-th value (from 1): `?` on SQLite, `$n` on Postgres. Every statement numbers its
 * placeholders in the order they appear and names none twice, so both dialects take the same values array.
 */
export type Placeholder = (n: number) => string;

/** The engine's statements for one dialect's placeholders; the values of each are listed beside it. */
export function engineStatements(p: Placeholder) {
  return {
    /** caseId, tenantId */
    getCase: `select ${SELECT.cases} from cases where id = ${p(1)} and tenant_id = ${p(2)}`,
    /** see {@link updateCaseValues} */
    updateCase: `update cases set state = ${p(1)}, status = ${p(2)}, public_status = ${p(3)}, outcome = ${p(4)},
      snapshot = ${p(5)}, version = ${p(6)}, updated_at = ${p(7)}
      where id = ${p(8)} and tenant_id = ${p(9)} and version = ${p(10)}`,
    /** tenantId, prefix, year */
    nextCaseSequence: `insert into case_sequences (tenant_id, prefix, year, value) values (${p(1)}, ${p(2)}, ${p(3)}, 1)
      on conflict (tenant_id, prefix, year) do update set value = case_sequences.value + 1 returning value`,
    /** taskId, tenantId */
    getTask: `select ${SELECT.tasks} from tasks where id = ${p(1)} and tenant_id = ${p(2)}`,
    /** outcome, data, at, by, taskId, by */
    completeTask: `update tasks set status = 'done', outcome = ${p(1)}, data = ${p(2)}, completed_at = ${p(3)},
      completed_by = ${p(4)} where id = ${p(5)} and status = 'open' and assignee = ${p(6)}`,
    /** at, caseId, state */
    cancelOpenTasks: `update tasks set status = 'cancelled', completed_at = ${p(1)}
      where case_id = ${p(2)} and state = ${p(3)} and status = 'open'`,
    /** caseId, state */
    cancelTimers: `update timers set status = 'cancelled' where case_id = ${p(1)} and state = ${p(2)} and status = 'pending'`,
    /** timerId */
    fireTimer: `update timers set status = 'fired' where id = ${p(1)} and status = 'pending'`,
    /** at, caseId */
    cancelTasksOfCase: `update tasks set status = 'cancelled', completed_at = ${p(1)} where case_id = ${p(2)} and status = 'open'`,
    /** caseId */
    cancelTimersOfCase: `update timers set status = 'cancelled' where case_id = ${p(1)} and status = 'pending'`,
    /** at, caseId */
    cancelJobsOfCase: `update jobs set status = 'cancelled', lease_token = null, lease_until = null, updated_at = ${p(1)}
      where case_id = ${p(2)} and status in ('pending', 'running', 'incident')`,
    insertCase: insertSql('cases', 1, p),
    insertTask: insertSql('tasks', 1, p),
    insertJob: insertSql('jobs', 1, p),
    insertTimer: insertSql('timers', 1, p),
  };
}

export type EngineStatements = ReturnType<typeof engineStatements>;

/** The values of {@link EngineStatements.updateCase}. */
export function updateCaseValues(row: CaseRow, expectedVersion: number): unknown[] {
  const { state, status, publicStatus, outcome, version, id, tenantId } = row;
  const snapshot = JSON.stringify(row.snapshot);
  return [
    state,
    status,
    publicStatus,
    outcome,
    snapshot,
    version,
    row.updatedAt.getTime(),
    id,
    tenantId,
    expectedVersion,
  ];
}

/** The values of {@link EngineStatements.completeTask}. */
export function completeTaskValues(
  taskId: string,
  patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date },
): unknown[] {
  return [patch.outcome, JSON.stringify(patch.data), patch.at.getTime(), patch.by, taskId, patch.by];
}

/**
 * A job's outcome, fenced by its lease: `update jobs set <columns> where id = … and lease_token = … and status =
 * 'running'`, with the values of {@link jobPatchColumns} followed by the job id and lease token. Built once per set
 * of columns.
 */
export function finishJobSql(columns: string[], p: Placeholder, cache: Map<string, string>): string {
  const key = columns.join();
  let sql = cache.get(key);
  if (!sql) {
    const set = columns.map((column, i) => `${column} = ${p(i + 1)}`).join(', ');
    sql = `update jobs set ${set} where id = ${p(columns.length + 1)} and lease_token = ${p(columns.length + 2)}
      and status = 'running'`;
    cache.set(key, sql);
  }
  return sql;
}

/** The columns a job's outcome sets (`updated_at` always), with their values, in a fixed order. */
export function jobPatchColumns(patch: JobPatch, now: number): { columns: string[]; values: unknown[] } {
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
