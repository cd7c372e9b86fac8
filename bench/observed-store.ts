import type { CaseRow, EngineStore, EngineTx, HistoryRow, JobRow, TaskRow, TimerRow } from '../engine/runtime/ports.ts';

/** What the benchmark learns from committed steps. */
export type StoreObserver = {
  /** A task was created (and committed) for a case. */
  taskCreated(caseId: string, taskId: string): void;
  /** A step enqueued connector jobs for a claim (the runner loop wakes up); leased ones run without it. */
  jobsEnqueued(): void;
  /** A case reached its final state (committed). */
  caseFinished(caseId: string): void;
};

type Seen = { tasks: [string, string][]; jobs: boolean; finished: string[] };

/**
 * Passes every call through to the real store and reports, after a write committed, which tasks it created, whether
 * it enqueued jobs and which cases it finished. New tasks are assigned to the benchmark's caseworker as they are
 * written (an assignment rule, instead of a separate claim request per task).
 */
export class ObservedStore implements EngineStore {
  constructor(
    private readonly inner: EngineStore,
    private readonly observer: StoreObserver,
    private readonly assignee: string,
  ) {}

  async write<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    const seen: Seen = { tasks: [], jobs: false, finished: [] };
    const result = await this.inner.write((tx) => fn(new ObservedTx(tx, seen, this.assignee)));
    for (const [caseId, taskId] of seen.tasks) this.observer.taskCreated(caseId, taskId);
    if (seen.jobs) this.observer.jobsEnqueued();
    for (const caseId of seen.finished) this.observer.caseFinished(caseId);
    return result;
  }

  claimJobs(now: Date, leaseToken: () => string, leaseUntil: Date, limit: number): Promise<JobRow[]> {
    return this.inner.claimJobs(now, leaseToken, leaseUntil, limit);
  }

  dueTimers(now: Date, limit: number): Promise<TimerRow[]> {
    return this.inner.dueTimers(now, limit);
  }
}

class ObservedTx implements EngineTx {
  constructor(
    private readonly tx: EngineTx,
    private readonly seen: Seen,
    private readonly assignee: string,
  ) {}

  getCase(tenantId: string, caseId: string) {
    return this.tx.getCase(tenantId, caseId);
  }
  insertCase(row: CaseRow) {
    if (row.status === 'done') this.seen.finished.push(row.id);
    return this.tx.insertCase(row);
  }
  async updateCase(row: CaseRow, expectedVersion: number) {
    const updated = await this.tx.updateCase(row, expectedVersion);
    if (updated && row.status === 'done') this.seen.finished.push(row.id);
    return updated;
  }
  nextCaseSequence(tenantId: string, prefix: string, year: number) {
    return this.tx.nextCaseSequence(tenantId, prefix, year);
  }
  getTask(tenantId: string, taskId: string) {
    return this.tx.getTask(tenantId, taskId);
  }
  insertTask(row: TaskRow) {
    this.seen.tasks.push([row.caseId, row.id]);
    return this.tx.insertTask({ ...row, assignee: this.assignee });
  }
  completeTask(taskId: string, patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date }) {
    return this.tx.completeTask(taskId, patch);
  }
  cancelOpenTasks(caseId: string, state: string, at: Date) {
    return this.tx.cancelOpenTasks(caseId, state, at);
  }
  insertJob(row: JobRow) {
    // A job leased to the local runner (eager dispatch) runs without a claim; only pending ones need the runner.
    if (row.status === 'pending') this.seen.jobs = true;
    return this.tx.insertJob(row);
  }
  finishJob(
    jobId: string,
    leaseToken: string,
    patch: Partial<Pick<JobRow, 'status' | 'nextRunAt' | 'lastError' | 'result' | 'leaseToken' | 'leaseUntil'>>,
  ) {
    return this.tx.finishJob(jobId, leaseToken, patch);
  }
  insertTimer(row: TimerRow) {
    return this.tx.insertTimer(row);
  }
  cancelTimers(caseId: string, state: string) {
    return this.tx.cancelTimers(caseId, state);
  }
  fireTimer(timerId: string) {
    return this.tx.fireTimer(timerId);
  }
  appendHistory(rows: HistoryRow[]) {
    return this.tx.appendHistory(rows);
  }
  cancelCaseWork(caseId: string, at: Date) {
    return this.tx.cancelCaseWork(caseId, at);
  }
}
