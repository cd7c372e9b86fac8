import { TZDate } from '@date-fns/tz';
import type { CalendarSettings } from '../calendar/working-days.ts';
import type { CaseEvent } from '../compiler/compile.ts';
import type {
  Actor,
  CaseRow,
  EngineClock,
  EngineIds,
  EngineStore,
  EngineTx,
  HistoryRow,
  JobDispatch,
  JobRow,
  PortalLinks,
  ProcedureSource,
  TimerRow,
} from './ports.ts';
import { EventNotAcceptedError, type ProcedureRuntime, type StepResult } from './runtime.ts';

/** The case does not exist in the caller's tenant. */
export class CaseNotFoundError extends Error {
  readonly code = 'case_not_found';
}

/** The task is not open, or not held by the caller. */
export class TaskStateError extends Error {
  constructor(
    readonly code: 'task_not_found' | 'task_not_open' | 'task_not_claimed',
    message: string,
  ) {
    super(message);
    this.name = 'TaskStateError';
  }
}

/** Another writer changed the case between read and write; the step is retried from the fresh snapshot. */
export class ConcurrencyConflictError extends Error {
  readonly code = 'conflict';
}

function actorName(actor: Actor): string {
  return actor.kind === 'user' ? actor.username : actor.kind === 'citizen' ? 'citizen' : `system:${actor.name}`;
}

/** How long one connector call took; the engine records it with the attempt's outcome in the case history. */
export type CallRecord = { durationMs: number };

const MAX_CONFLICT_RETRIES = 8;
/** How long a tenant's calendar settings are used before they are read again. */
const CALENDAR_TTL_MS = 5 * 60_000;

/** A step needs a definition or calendar that is not cached yet (see `CaseEngine.runtimeOf`). */
class NotLoaded extends Error {
  constructor(
    readonly tenantId: string,
    readonly key?: string,
    readonly version?: number,
  ) {
    super(`not loaded: ${tenantId} ${key ?? ''}@${version ?? ''}`);
  }
}

/**
 * Starts and advances cases. Every step is one transaction: the new snapshot (optimistically versioned)
 * and all its effects as rows — tasks, connector jobs, timers, history.
 */
export class CaseEngine {
  private readonly runtimes = new Map<string, ProcedureRuntime>();
  private readonly calendars = new Map<string, { settings: CalendarSettings; until: number }>();
  private dispatch: JobDispatch | undefined;

  /** Without `links` a case has no `statusUrl` (engine tests, benchmarks). */
  constructor(
    private readonly deps: {
      store: EngineStore;
      clock: EngineClock;
      ids: EngineIds;
      procedures: ProcedureSource;
      links?: PortalLinks;
    },
  ) {}

  /**
   * Lets steps lease the jobs they enqueue to a local runner (see {@link JobDispatch}); undefined stops it. Only a
   * process that runs its job runner attaches one; without it every job waits for a claim.
   */
  dispatchTo(dispatch: JobDispatch | undefined): void {
    this.dispatch = dispatch;
  }

  /** Starts a case of a published procedure version from validated application data. */
  async start(input: {
    tenantId: string;
    procedureKey: string;
    version: number;
    data: Record<string, unknown>;
    actor: Actor;
  }): Promise<CaseRow> {
    const runtime = await this.deps.procedures.runtime(input.tenantId, input.procedureKey, input.version);
    const calendar = await this.deps.procedures.calendar(input.tenantId);
    const now = this.deps.clock.now();
    const id = this.deps.ids.id();
    const trackingCode = this.deps.ids.trackingCode();
    return this.write(async (tx, leased) => {
      const year = new TZDate(now.getTime(), 'Europe/Berlin').getFullYear();
      const prefix = runtime.definition.caseNumberPrefix;
      const seq = await tx.nextCaseSequence(input.tenantId, prefix, year);
      const caseNumber = `${prefix}-${year}-${String(seq).padStart(6, '0')}`;
      const step = runtime.start(
        input.data,
        { now, calendar, caseId: id },
        {
          caseId: id,
          caseNumber,
          trackingCode,
          submittedAt: now.toISOString(),
          ...(this.deps.links && { statusUrl: this.deps.links.statusUrl(trackingCode) }),
        },
      );
      const row: CaseRow = {
        id,
        tenantId: input.tenantId,
        procedureKey: input.procedureKey,
        procedureVersion: input.version,
        caseNumber,
        trackingCode,
        state: step.to,
        status: step.snapshot.status === 'done' ? 'done' : 'active',
        publicStatus: null,
        outcome: step.outcome,
        snapshot: step.snapshot,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      row.publicStatus = lastStatus(step) ?? null;
      await tx.insertCase(row);
      await this.applyEffects(tx, leased, row, step, input.actor, 'start', now);
      return row;
    });
  }

  /**
   * Sends an event to a case; throws EventNotAcceptedError when its state does not take it. `detail` goes into the
   * transition's history entry (ids and codes only, e.g. the id of an inbound message).
   */
  async send(input: {
    tenantId: string;
    caseId: string;
    event: CaseEvent;
    actor: Actor;
    detail?: Record<string, unknown>;
  }): Promise<CaseRow> {
    return this.retrying(() =>
      this.write(async (tx, leased) => {
        const row = await tx.getCase(input.tenantId, input.caseId);
        if (!row) throw new CaseNotFoundError(`Vorgang ${input.caseId} nicht gefunden`);
        return this.step(tx, leased, row, input.event, input.actor, input.detail);
      }),
    );
  }

  /** Completes a task held by `username` with an outcome; its data is merged into the case variables. */
  async completeTask(input: {
    tenantId: string;
    taskId: string;
    username: string;
    outcome: string;
    data: Record<string, unknown>;
  }): Promise<CaseRow> {
    return this.retrying(() =>
      this.write(async (tx, leased) => {
        const task = await tx.getTask(input.tenantId, input.taskId);
        if (!task) throw new TaskStateError('task_not_found', 'Aufgabe nicht gefunden');
        if (task.status !== 'open') throw new TaskStateError('task_not_open', 'Die Aufgabe ist bereits erledigt');
        if (task.assignee !== input.username) {
          throw new TaskStateError('task_not_claimed', 'Die Aufgabe ist nicht Ihnen zugewiesen');
        }
        // Lock order everywhere: the case row first, then its tasks, jobs and timers (no deadlocks on Postgres).
        const row = await tx.getCase(input.tenantId, task.caseId);
        if (!row) throw new CaseNotFoundError(`Vorgang ${task.caseId} nicht gefunden`);
        const now = this.deps.clock.now();
        const done = await tx.completeTask(task.id, {
          outcome: input.outcome,
          data: input.data,
          by: input.username,
          at: now,
        });
        if (!done) throw new TaskStateError('task_not_open', 'Die Aufgabe ist bereits erledigt');
        return this.step(
          tx,
          leased,
          row,
          { type: `task:${input.outcome}`, data: input.data },
          { kind: 'user', username: input.username },
          { taskId: task.id },
        );
      }),
    );
  }

  /**
   * Applies a connector result, fenced by the job's lease: a runner that lost its lease changes nothing. With `call`
   * the attempt gets a `call` history entry.
   */
  async jobSucceeded(job: JobRow, leaseToken: string, result: unknown, call?: CallRecord): Promise<boolean> {
    return this.retrying(() =>
      this.write(async (tx, leased) => {
        const row = await tx.getCase(job.tenantId, job.caseId);
        const finished = await tx.finishJob(job.id, leaseToken, {
          status: 'done',
          result,
          leaseUntil: null,
          lastError: null,
        });
        if (!finished) return false;
        const calls = call ? [this.callEntry(job, call, 'succeeded')] : [];
        if (!row || row.state !== job.state || row.status !== 'active') {
          if (calls.length > 0) await tx.appendHistory(calls);
          return true;
        }
        await this.step(
          tx,
          leased,
          row,
          { type: 'job:done', result },
          { kind: 'system', name: 'jobs' },
          {
            connector: job.connector,
            operation: job.operation,
            attempt: job.attempts,
          },
          calls,
        );
        return true;
      }),
    );
  }

  /**
   * Records a failed attempt: schedules the next one, or — when attempts are used up or the error is final —
   * takes the state's `failed` transition if it has one, else leaves the job as an incident for an admin. With
   * `call` the attempt gets a `call` history entry (outcome and error code, never the message).
   */
  async jobFailed(
    job: JobRow,
    leaseToken: string,
    error: { code: string; message: string },
    retryAt: Date | null,
    call?: CallRecord,
  ): Promise<'retry' | 'failed' | 'incident' | 'stale'> {
    return this.retrying(() =>
      this.write(async (tx, leased) => {
        const lastError = `${error.code}: ${error.message}`.slice(0, 1000);
        const row = await tx.getCase(job.tenantId, job.caseId);
        // The attempt's `call` entry goes in one write with the entries of what follows from it.
        const callEntries = (outcome: 'retry' | 'failed' | 'incident') =>
          call ? [this.callEntry(job, call, outcome, error.code)] : [];
        if (retryAt) {
          const ok = await tx.finishJob(job.id, leaseToken, {
            status: 'pending',
            nextRunAt: retryAt,
            lastError,
            leaseToken: null,
            leaseUntil: null,
          });
          if (ok && call) await tx.appendHistory(callEntries('retry'));
          return ok ? 'retry' : 'stale';
        }
        const runtime = row ? this.runtimeOf(row) : undefined;
        const failedEvent: CaseEvent = { type: 'job:failed', error };
        if (row && runtime && row.state === job.state && runtime.accepts(row.snapshot, failedEvent)) {
          if (!(await tx.finishJob(job.id, leaseToken, { status: 'failed', lastError, leaseUntil: null })))
            return 'stale';
          await this.step(
            tx,
            leased,
            row,
            failedEvent,
            { kind: 'system', name: 'jobs' },
            { connector: job.connector, code: error.code },
            callEntries('failed'),
          );
          return 'failed';
        }
        if (!(await tx.finishJob(job.id, leaseToken, { status: 'incident', lastError, leaseUntil: null })))
          return 'stale';
        await tx.appendHistory([
          ...callEntries('incident'),
          this.history(job.tenantId, job.caseId, 'incident', {
            fromState: job.state,
            event: 'job:incident',
            actor: 'system:jobs',
            detail: { jobId: job.id, connector: job.connector, operation: job.operation, code: error.code },
          }),
        ]);
        return 'incident';
      }),
    );
  }

  /**
   * Cancels an active case (an admin's decision): in one transaction the case becomes `cancelled`, its open tasks,
   * pending timers and unfinished jobs (incidents too) are ended, and a `cancelled` history entry names who did it.
   * Undefined when the case is not active (done or already cancelled).
   */
  async cancel(input: { tenantId: string; caseId: string; actor: Actor }): Promise<CaseRow | undefined> {
    return this.retrying(() =>
      this.write(async (tx) => {
        const row = await tx.getCase(input.tenantId, input.caseId);
        if (!row) throw new CaseNotFoundError(`Vorgang ${input.caseId} nicht gefunden`);
        if (row.status !== 'active') return undefined;
        const now = this.deps.clock.now();
        const next: CaseRow = { ...row, status: 'cancelled', version: row.version + 1, updatedAt: now };
        if (!(await tx.updateCase(next, row.version)))
          throw new ConcurrencyConflictError('Vorgang wurde gleichzeitig geändert');
        await tx.cancelCaseWork(row.id, now);
        await tx.appendHistory([
          this.history(row.tenantId, row.id, 'cancelled', {
            fromState: row.state,
            event: 'cancel',
            actor: actorName(input.actor),
            at: now,
          }),
        ]);
        return next;
      }),
    );
  }

  /** Fires a due timer once: the conditional update makes a second firing (another process, a restart) a no-op. */
  async fireTimer(timer: TimerRow): Promise<boolean> {
    return this.retrying(() =>
      this.write(async (tx, leased) => {
        const row = await tx.getCase(timer.tenantId, timer.caseId);
        if (!(await tx.fireTimer(timer.id))) return false;
        if (row?.status !== 'active' || row.state !== timer.state) return true;
        const runtime = this.runtimeOf(row);
        if (!runtime.accepts(row.snapshot, { type: 'timeout' })) return true;
        await this.step(
          tx,
          leased,
          row,
          { type: 'timeout' },
          { kind: 'system', name: 'timers' },
          { timerId: timer.id },
        );
        return true;
      }),
    );
  }

  /**
   * The runtime of a case's procedure version from the cache. Inside a write transaction nothing may wait for
   * another database read (SQLite has one connection, a Postgres pool can run dry), so a miss aborts the
   * transaction; `retrying` loads the definition outside it and runs the step again.
   */
  private runtimeOf(row: CaseRow): ProcedureRuntime {
    const runtime = this.runtimes.get(`${row.tenantId}/${row.procedureKey}@${row.procedureVersion}`);
    if (!runtime) throw new NotLoaded(row.tenantId, row.procedureKey, row.procedureVersion);
    return runtime;
  }

  private calendarOf(tenantId: string): CalendarSettings {
    const cached = this.calendars.get(tenantId);
    if (!cached || cached.until < this.deps.clock.now().getTime()) throw new NotLoaded(tenantId);
    return cached.settings;
  }

  private async load(missing: NotLoaded): Promise<void> {
    const { tenantId, key, version } = missing;
    if (key !== undefined && version !== undefined) {
      this.runtimes.set(`${tenantId}/${key}@${version}`, await this.deps.procedures.runtime(tenantId, key, version));
    }
    const settings = await this.deps.procedures.calendar(tenantId);
    this.calendars.set(tenantId, { settings, until: this.deps.clock.now().getTime() + CALENDAR_TTL_MS });
  }

  /**
   * Takes one event on a case in `tx`: the transition, the version-checked case update and its effects. `earlier`
   * are history entries of the same write that precede the transition's (a connector call's entry), written with it.
   */
  private async step(
    tx: EngineTx,
    leased: JobRow[],
    row: CaseRow,
    event: CaseEvent,
    actor: Actor,
    detail: Record<string, unknown> = {},
    earlier: HistoryRow[] = [],
  ): Promise<CaseRow> {
    // A cancelled case takes no events (late messages, webhooks); its work was ended with it.
    if (row.status === 'cancelled') throw new EventNotAcceptedError(row.state, event.type);
    const runtime = this.runtimeOf(row);
    const calendar = this.calendarOf(row.tenantId);
    const now = this.deps.clock.now();
    const step = runtime.send(row.snapshot, event, { now, calendar, caseId: row.id });
    const next: CaseRow = {
      ...row,
      snapshot: step.snapshot,
      state: step.to,
      status: step.snapshot.status === 'done' ? 'done' : 'active',
      outcome: step.outcome,
      publicStatus: lastStatus(step) ?? row.publicStatus,
      version: row.version + 1,
      updatedAt: now,
    };
    if (!(await tx.updateCase(next, row.version)))
      throw new ConcurrencyConflictError('Vorgang wurde gleichzeitig geändert');
    await this.applyEffects(tx, leased, next, step, actor, event.type, now, detail, earlier);
    return next;
  }

  private async applyEffects(
    tx: EngineTx,
    leased: JobRow[],
    row: CaseRow,
    step: StepResult,
    actor: Actor,
    event: string,
    now: Date,
    detail: Record<string, unknown> = {},
    earlier: HistoryRow[] = [],
  ): Promise<void> {
    const history: HistoryRow[] = [
      ...earlier,
      this.history(row.tenantId, row.id, step.from === null ? 'started' : 'transition', {
        fromState: step.from,
        toState: step.to,
        event,
        actor: actorName(actor),
        detail: Object.keys(detail).length ? detail : null,
        at: now,
      }),
    ];
    for (const effect of step.effects) {
      switch (effect.type) {
        case 'task.create':
          await tx.insertTask({
            id: this.deps.ids.id(),
            tenantId: row.tenantId,
            caseId: row.id,
            state: effect.state,
            title: effect.title,
            groupName: effect.group,
            assignee: null,
            status: 'open',
            outcome: null,
            data: null,
            dueAt: effect.dueAt,
            createdAt: now,
            completedAt: null,
            completedBy: null,
          });
          break;
        case 'task.cancel':
          await tx.cancelOpenTasks(row.id, effect.state, now);
          break;
        case 'job.enqueue': {
          const lease = this.dispatch?.reserve(now);
          const job: JobRow = {
            id: this.deps.ids.id(),
            tenantId: row.tenantId,
            caseId: row.id,
            state: effect.state,
            connector: effect.connector,
            operation: effect.operation,
            input: effect.input,
            idempotencyKey: effect.idempotencyKey,
            // A leased job counts its first attempt now, as a claim would.
            status: lease ? 'running' : 'pending',
            attempts: lease ? 1 : 0,
            retry: effect.retry,
            nextRunAt: now,
            leaseToken: lease?.token ?? null,
            leaseUntil: lease?.until ?? null,
            leaseExpired: false,
            lastError: null,
            result: null,
            createdAt: now,
            updatedAt: now,
          };
          if (lease) leased.push(job);
          await tx.insertJob(job);
          break;
        }
        case 'timer.schedule':
          await tx.insertTimer({
            id: this.deps.ids.id(),
            tenantId: row.tenantId,
            caseId: row.id,
            state: effect.state,
            visit: effect.visit,
            dueAt: effect.dueAt,
            status: 'pending',
          });
          break;
        case 'timer.cancel':
          await tx.cancelTimers(row.id, effect.state);
          break;
        case 'status':
          history.push(
            this.history(row.tenantId, row.id, 'status', {
              toState: step.to,
              actor: actorName(actor),
              publicStatus: effect.label,
              at: now,
            }),
          );
          break;
      }
    }
    await tx.appendHistory(history);
  }

  /** The audit entry of one connector call: who was called, which attempt, how long, how it ended; no data. */
  private callEntry(job: JobRow, call: CallRecord, outcome: string, code?: string): HistoryRow {
    return this.history(job.tenantId, job.caseId, 'call', {
      fromState: job.state,
      actor: 'system:jobs',
      detail: {
        jobId: job.id,
        connector: job.connector,
        operation: job.operation,
        attempt: job.attempts,
        durationMs: call.durationMs,
        outcome,
        ...(code === undefined ? {} : { code }),
      },
    });
  }

  private history(tenantId: string, caseId: string, kind: string, fields: Partial<HistoryRow>): HistoryRow {
    return {
      id: this.deps.ids.id(),
      tenantId,
      caseId,
      at: fields.at ?? this.deps.clock.now(),
      kind,
      fromState: fields.fromState ?? null,
      toState: fields.toState ?? null,
      event: fields.event ?? null,
      actor: fields.actor ?? 'system',
      publicStatus: fields.publicStatus ?? null,
      detail: fields.detail ?? null,
    };
  }

  /** One write transaction; the jobs its steps leased go to the dispatcher once it committed. */
  private async write<T>(fn: (tx: EngineTx, leased: JobRow[]) => Promise<T>): Promise<T> {
    const dispatch = this.dispatch;
    const leased: JobRow[] = [];
    let result: T;
    try {
      result = await this.deps.store.write((tx) => fn(tx, leased));
    } catch (error) {
      if (leased.length > 0) dispatch?.abandoned(leased.length);
      throw error;
    }
    if (leased.length > 0) dispatch?.committed(leased);
    return result;
  }

  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let conflicts = 0, loads = 0; ; ) {
      try {
        return await fn();
      } catch (error) {
        if (error instanceof NotLoaded && loads++ < 3) await this.load(error);
        else if (!(error instanceof ConcurrencyConflictError) || ++conflicts >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }
}

function lastStatus(step: StepResult): string | undefined {
  for (let i = step.effects.length - 1; i >= 0; i--) {
    const effect = step.effects[i];
    if (effect?.type === 'status') return effect.label;
  }
  return undefined;
}
