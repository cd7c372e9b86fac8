import type { CaseRow, EngineStore, EngineTx, HistoryRow, JobRow, TaskRow, TimerRow } from './ports.ts';

type Tables = {
  cases: Map<string, CaseRow>;
  tasks: Map<string, TaskRow>;
  jobs: Map<string, JobRow>;
  timers: Map<string, TimerRow>;
  history: HistoryRow[];
  sequences: Map<string, number>;
  /** Secondary indexes, as a database has them: no step scans every row. */
  tasksByCase: Map<string, Set<string>>;
  timersByCase: Map<string, Set<string>>;
  jobKeys: Set<string>;
  /** Jobs a claim may take: pending or running. */
  openJobs: Set<string>;
};

/**
 * A deep copy of a row: plain objects, arrays and dates are copied by hand (rows hold nothing else, and this is
 * several times faster than `structuredClone` on them); any other object goes through `structuredClone`.
 */
function clone(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone);
  if (value instanceof Date) return new Date(value.getTime());
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: clone(item), enumerable: true, writable: true, configurable: true });
    else out[key] = clone(item);
  }
  return out;
}
const copy = <T>(row: T): T => clone(row) as T;

function addTo(index: Map<string, Set<string>>, key: string, id: string) {
  let ids = index.get(key);
  if (!ids) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(id);
}

/** Stores a row and keeps the indexes in step with it. */
const apply = {
  task(tables: Tables, row: TaskRow) {
    tables.tasks.set(row.id, row);
    addTo(tables.tasksByCase, row.caseId, row.id);
  },
  timer(tables: Tables, row: TimerRow) {
    tables.timers.set(row.id, row);
    addTo(tables.timersByCase, row.caseId, row.id);
  },
  job(tables: Tables, row: JobRow) {
    tables.jobs.set(row.id, row);
    tables.jobKeys.add(row.idempotencyKey);
    if (row.status === 'pending' || row.status === 'running') tables.openJobs.add(row.id);
    else tables.openJobs.delete(row.id);
  },
};

/**
 * The engine's store in memory: for unit tests of the engine and for measuring the engine without a
 * database. Transactions run one at a time on a private copy of what they touch and are applied whole
 * on success, so a throwing step leaves nothing behind — the same contract as the SQL stores.
 */
export class MemoryEngineStore implements EngineStore {
  private readonly tables: Tables = {
    cases: new Map(),
    tasks: new Map(),
    jobs: new Map(),
    timers: new Map(),
    history: [],
    sequences: new Map(),
    tasksByCase: new Map(),
    timersByCase: new Map(),
    jobKeys: new Set(),
    openJobs: new Set(),
  };
  private queue: Promise<unknown> = Promise.resolve();

  /** Every history row, in insertion order (for tests). */
  get history(): readonly HistoryRow[] {
    return this.tables.history;
  }

  tasksOf(caseId: string): TaskRow[] {
    return [...(this.tables.tasksByCase.get(caseId) ?? [])].map((id) => copy(this.tables.tasks.get(id)!));
  }

  jobsOf(caseId: string): JobRow[] {
    return [...this.tables.jobs.values()].filter((j) => j.caseId === caseId).map(copy);
  }

  write<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const tx = new MemoryTx(this.tables);
      const result = await fn(tx);
      tx.commit();
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async claimJobs(now: Date, leaseToken: () => string, leaseUntil: Date, limit: number): Promise<JobRow[]> {
    return this.write(async () => {
      const due = [...this.tables.openJobs]
        .map((id) => this.tables.jobs.get(id)!)
        .filter(
          (j) =>
            (j.status === 'pending' && j.nextRunAt <= now) ||
            (j.status === 'running' && j.leaseUntil !== null && j.leaseUntil < now),
        )
        .sort((a, b) => a.nextRunAt.getTime() - b.nextRunAt.getTime())
        .slice(0, limit);
      for (const job of due) {
        job.leaseExpired = job.status === 'running';
        job.status = 'running';
        job.leaseToken = leaseToken();
        job.leaseUntil = leaseUntil;
        job.attempts += 1;
        job.updatedAt = now;
        apply.job(this.tables, job);
      }
      return due.map(copy);
    });
  }

  async dueTimers(now: Date, limit: number): Promise<TimerRow[]> {
    return [...this.tables.timers.values()]
      .filter((t) => t.status === 'pending' && t.dueAt <= now)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, limit)
      .map(copy);
  }
}

/** Reads see the transaction's own writes; `commit` applies them to the tables. */
class MemoryTx implements EngineTx {
  private readonly writes: (() => void)[] = [];
  private readonly cases = new Map<string, CaseRow>();
  private readonly tasks = new Map<string, TaskRow>();
  private readonly jobs = new Map<string, JobRow>();
  private readonly timers = new Map<string, TimerRow>();

  constructor(private readonly tables: Tables) {}

  commit() {
    for (const write of this.writes) write();
  }

  private read<T extends { id: string }>(local: Map<string, T>, table: Map<string, T>, id: string): T | undefined {
    const row = local.get(id) ?? table.get(id);
    if (!row) return undefined;
    const own = local.get(id) ?? copy(row);
    local.set(id, own);
    return own;
  }

  private put<T extends { id: string }>(local: Map<string, T>, row: T, store: (row: T) => void) {
    local.set(row.id, row);
    this.writes.push(() => store(copy(row)));
  }

  private putCase(row: CaseRow) {
    this.put(this.cases, row, (r) => this.tables.cases.set(r.id, r));
  }

  private putTask(row: TaskRow) {
    this.put(this.tasks, row, (r) => apply.task(this.tables, r));
  }

  private putJob(row: JobRow) {
    this.put(this.jobs, row, (r) => apply.job(this.tables, r));
  }

  private putTimer(row: TimerRow) {
    this.put(this.timers, row, (r) => apply.timer(this.tables, r));
  }

  /** Ids of a case's rows: those committed (index) and those this transaction wrote. */
  private idsOf<T extends { id: string; caseId: string }>(
    index: Map<string, Set<string>>,
    local: Map<string, T>,
    caseId: string,
  ): Set<string> {
    const ids = new Set(index.get(caseId));
    for (const row of local.values()) if (row.caseId === caseId) ids.add(row.id);
    return ids;
  }

  async getCase(tenantId: string, caseId: string) {
    const row = this.read(this.cases, this.tables.cases, caseId);
    return row?.tenantId === tenantId ? copy(row) : undefined;
  }

  async insertCase(row: CaseRow) {
    if (this.tables.cases.has(row.id) || this.cases.has(row.id)) throw new Error(`duplicate case ${row.id}`);
    this.putCase(copy(row));
  }

  async updateCase(row: CaseRow, expectedVersion: number) {
    const current = this.read(this.cases, this.tables.cases, row.id);
    if (!current || current.version !== expectedVersion || current.status !== 'active') return false;
    this.putCase(copy(row));
    return true;
  }

  async nextCaseSequence(tenantId: string, prefix: string, year: number) {
    const key = `${tenantId}/${prefix}/${year}`;
    const value = (this.tables.sequences.get(key) ?? 0) + 1;
    this.writes.push(() => this.tables.sequences.set(key, value));
    return value;
  }

  async getTask(tenantId: string, taskId: string) {
    const row = this.read(this.tasks, this.tables.tasks, taskId);
    return row?.tenantId === tenantId ? copy(row) : undefined;
  }

  async insertTask(row: TaskRow) {
    this.putTask(copy(row));
  }

  async completeTask(taskId: string, patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date }) {
    const task = this.read(this.tasks, this.tables.tasks, taskId);
    if (task?.status !== 'open' || task.assignee !== patch.by) return false;
    this.putTask({
      ...task,
      status: 'done',
      outcome: patch.outcome,
      data: patch.data,
      completedAt: patch.at,
      completedBy: patch.by,
    });
    return true;
  }

  async cancelOpenTasks(caseId: string, state: string, at: Date) {
    for (const id of this.idsOf(this.tables.tasksByCase, this.tasks, caseId)) {
      const own = this.read(this.tasks, this.tables.tasks, id);
      if (own && own.state === state && own.status === 'open') {
        this.putTask({ ...own, status: 'cancelled', completedAt: at });
      }
    }
  }

  async insertJob(row: JobRow) {
    const taken =
      this.tables.jobKeys.has(row.idempotencyKey) ||
      [...this.jobs.values()].some((job) => job.idempotencyKey === row.idempotencyKey);
    if (taken) throw new Error(`duplicate idempotency key ${row.idempotencyKey}`);
    this.putJob(copy(row));
  }

  async finishJob(
    jobId: string,
    leaseToken: string,
    patch: Partial<Pick<JobRow, 'status' | 'nextRunAt' | 'lastError' | 'result' | 'leaseToken' | 'leaseUntil'>>,
  ) {
    const job = this.read(this.jobs, this.tables.jobs, jobId);
    if (!job || job.leaseToken !== leaseToken || job.status !== 'running') return false;
    this.putJob({ ...job, ...patch, updatedAt: new Date() });
    return true;
  }

  async insertTimer(row: TimerRow) {
    this.putTimer(copy(row));
  }

  async cancelTimers(caseId: string, state: string) {
    for (const id of this.idsOf(this.tables.timersByCase, this.timers, caseId)) {
      const own = this.read(this.timers, this.tables.timers, id);
      if (own && own.state === state && own.status === 'pending') {
        this.putTimer({ ...own, status: 'cancelled' });
      }
    }
  }

  async fireTimer(timerId: string) {
    const timer = this.read(this.timers, this.tables.timers, timerId);
    if (timer?.status !== 'pending') return false;
    this.putTimer({ ...timer, status: 'fired' });
    return true;
  }

  async appendHistory(rows: HistoryRow[]) {
    const entries = rows.map(copy);
    this.writes.push(() => this.tables.history.push(...entries));
  }

  async cancelCaseWork(caseId: string, at: Date) {
    for (const id of this.idsOf(this.tables.tasksByCase, this.tasks, caseId)) {
      const own = this.read(this.tasks, this.tables.tasks, id);
      if (own?.status === 'open') this.putTask({ ...own, status: 'cancelled', completedAt: at });
    }
    for (const id of this.idsOf(this.tables.timersByCase, this.timers, caseId)) {
      const own = this.read(this.timers, this.tables.timers, id);
      if (own?.status === 'pending') this.putTimer({ ...own, status: 'cancelled' });
    }
    const ofCase = [...this.tables.jobs.values(), ...this.jobs.values()].filter((job) => job.caseId === caseId);
    for (const id of new Set(ofCase.map((job) => job.id))) {
      const own = this.read(this.jobs, this.tables.jobs, id);
      if (own && ['pending', 'running', 'incident'].includes(own.status)) {
        this.putJob({ ...own, status: 'cancelled', leaseToken: null, leaseUntil: null, updatedAt: at });
      }
    }
  }
}
