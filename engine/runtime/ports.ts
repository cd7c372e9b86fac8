import type { CalendarSettings } from '../calendar/working-days.ts';
import type { RetryPolicy } from '../definition/definition.schema.ts';
import type { CaseSnapshot, ProcedureRuntime } from './runtime.ts';

/** Who caused a step: a staff user, the citizen, or the engine itself (runners). */
export type Actor = { kind: 'user'; username: string } | { kind: 'citizen' } | { kind: 'system'; name: string };

export type CaseRow = {
  id: string;
  tenantId: string;
  procedureKey: string;
  procedureVersion: number;
  caseNumber: string;
  trackingCode: string;
  state: string;
  status: 'active' | 'done' | 'cancelled';
  publicStatus: string | null;
  outcome: string | null;
  snapshot: CaseSnapshot;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

export type TaskRow = {
  id: string;
  tenantId: string;
  caseId: string;
  state: string;
  title: string;
  groupName: string;
  assignee: string | null;
  status: 'open' | 'done' | 'cancelled';
  outcome: string | null;
  data: Record<string, unknown> | null;
  dueAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
  completedBy: string | null;
};

/**
 * Eager dispatch: a step that enqueues connector jobs may lease them to the local job runner in the same
 * transaction, so they run as soon as the step has committed, without a claim round trip. Jobs it has no room for
 * stay pending for the next claim. A leased job of a process that dies is taken over when its lease runs out, as
 * after any claim.
 */
export interface JobDispatch {
  /** A lease for one new job when the local runner has room for it; undefined: leave the job pending. */
  reserve(now: Date): { token: string; until: Date } | undefined;
  /** The step's transaction committed: run the jobs it leased. */
  committed(jobs: JobRow[]): void;
  /** The step's transaction rolled back: give back the reservations of `count` jobs. */
  abandoned(count: number): void;
}

export type JobRow = {
  id: string;
  tenantId: string;
  caseId: string;
  state: string;
  connector: string;
  operation: string;
  input: Record<string, unknown>;
  idempotencyKey: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'incident' | 'cancelled';
  attempts: number;
  retry: RetryPolicy;
  nextRunAt: Date;
  leaseToken: string | null;
  leaseUntil: Date | null;
  /** True when the last claim took the job over from a runner whose lease had run out. */
  leaseExpired: boolean;
  lastError: string | null;
  result: unknown;
  createdAt: Date;
  updatedAt: Date;
};

export type TimerRow = {
  id: string;
  tenantId: string;
  caseId: string;
  state: string;
  visit: number;
  dueAt: Date;
  status: 'pending' | 'fired' | 'cancelled';
};

export type HistoryRow = {
  id: string;
  tenantId: string;
  caseId: string;
  at: Date;
  kind: string;
  fromState: string | null;
  toState: string | null;
  event: string | null;
  actor: string;
  publicStatus: string | null;
  detail: Record<string, unknown> | null;
};

/** Reads and writes inside one transaction; every method is scoped by tenant where the row has one. */
export interface EngineTx {
  /** Reads and locks the case row for the rest of the transaction; every step takes this lock first. */
  getCase(tenantId: string, caseId: string): Promise<CaseRow | undefined>;
  insertCase(row: CaseRow): Promise<void>;
  /**
   * Writes the case when its stored version is still `expectedVersion` and it is still active; false otherwise
   * (someone else won, or the case has ended: a case's status only ever leaves `active`).
   */
  updateCase(row: CaseRow, expectedVersion: number): Promise<boolean>;
  nextCaseSequence(tenantId: string, prefix: string, year: number): Promise<number>;
  getTask(tenantId: string, taskId: string): Promise<TaskRow | undefined>;
  insertTask(row: TaskRow): Promise<void>;
  /** Completes an open task; false when it was no longer open (someone else completed it). */
  completeTask(
    taskId: string,
    patch: { outcome: string; data: Record<string, unknown>; by: string; at: Date },
  ): Promise<boolean>;
  cancelOpenTasks(caseId: string, state: string, at: Date): Promise<void>;
  insertJob(row: JobRow): Promise<void>;
  /** Fenced job update: applies only while the job is still held with `leaseToken`. */
  finishJob(
    jobId: string,
    leaseToken: string,
    patch: Partial<Pick<JobRow, 'status' | 'nextRunAt' | 'lastError' | 'result' | 'leaseToken' | 'leaseUntil'>>,
  ): Promise<boolean>;
  insertTimer(row: TimerRow): Promise<void>;
  cancelTimers(caseId: string, state: string): Promise<void>;
  /** Marks a pending timer fired; false when it was already fired or cancelled. */
  fireTimer(timerId: string): Promise<boolean>;
  appendHistory(rows: HistoryRow[]): Promise<void>;
  /** Ends a case's open work: open tasks and pending timers, and jobs not finished (pending, running, incident). */
  cancelCaseWork(caseId: string, at: Date): Promise<void>;
}

/** The persistence the engine needs; the server implements it with Kysely on SQLite and Postgres. */
export interface EngineStore {
  /** Runs `fn` in one write transaction, committed durably before the promise resolves; rolled back on throw. */
  write<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T>;
  /** Atomically claims up to `limit` due jobs (pending and due, or running with an expired lease). */
  claimJobs(now: Date, leaseToken: () => string, leaseUntil: Date, limit: number): Promise<JobRow[]>;
  /** Due pending timers, oldest first. */
  dueTimers(now: Date, limit: number): Promise<TimerRow[]>;
}

/** Time, ids and randomness come from outside so tests can control them. */
export type EngineClock = { now(): Date };
export type EngineIds = { id(): string; trackingCode(): string };

/**
 * Addresses of the citizen portal that a case may hand to outside systems (the payment provider's way back). The
 * server knows them; the engine only passes them on as the case variable `statusUrl`.
 */
export type PortalLinks = { statusUrl(trackingCode: string): string };

/** A published procedure version as the engine needs it. */
export type ProcedureSource = {
  /** The runtime of a published version; cases stay on the version they started on. */
  runtime(tenantId: string, key: string, version: number): Promise<ProcedureRuntime>;
  calendar(tenantId: string): Promise<CalendarSettings>;
};
