import { addDuration } from '../calendar/working-days.ts';
import { ConnectorError } from '../connectors/connector.ts';
import type { CallRecord, CaseEngine } from './case-engine.ts';
import type { EngineClock, EngineIds, EngineStore, JobDispatch, JobRow } from './ports.ts';

/** Calls connector operations for the runner: looks up the connector, its tenant config and secrets. */
export interface ConnectorHost {
  /** Retry safety of an operation; undefined when the connector or operation is not installed. */
  describe(connector: string, operation: string): { retry: 'safe' | 'never'; timeoutMs: number } | undefined;
  /** Runs the operation; throws ConnectorError on failure. */
  invoke(job: JobRow, signal: AbortSignal): Promise<unknown>;
}

/** The breaker of one connector and tenant is open: the call was not made; try again in `retryInMs`. */
export class CircuitOpenError extends Error {
  readonly code = 'circuit_open';
  constructor(readonly retryInMs: number) {
    super('Anbindung vorübergehend gesperrt (zu viele Fehler in Folge); der Aufruf wird später wiederholt');
    this.name = 'CircuitOpenError';
  }
}

/**
 * Circuit breakers, one per key (`tenant connector`). A breaker counts retryable ConnectorErrors; after too many in
 * a row it opens and `run` throws CircuitOpenError without calling, until a cool-down lets one probe call through.
 */
export interface CircuitBreakers {
  run<T>(key: string, call: () => Promise<T>): Promise<T>;
}

/** The breaker key of a job: connectors fail per tenant (each tenant has its own endpoint and credentials). */
export const breakerKey = (tenantId: string, connector: string) => `${tenantId} ${connector}`;

/** Log events without personal data: ids, connector names, codes, durations. */
export type RunnerLog = (event: string, fields: Record<string, unknown>) => void;

export type JobRunnerOptions = {
  store: EngineStore;
  engine: CaseEngine;
  connectors: ConnectorHost;
  clock: EngineClock;
  ids: EngineIds;
  /** Without breakers every due job is called. */
  breakers?: CircuitBreakers;
  /** How long a claimed job is reserved for this runner; a crashed runner's jobs are taken over after it. */
  leaseMs?: number;
  batchSize?: number;
  log?: RunnerLog;
  random?: () => number;
};

/**
 * Runs connector jobs from the outbox: claims due rows with a lease, calls the connector outside any
 * transaction (through its circuit breaker, aborted after the operation's timeout), and hands the result back to
 * the engine, fenced by the lease token. Every attempt leaves a `call` entry in the case history.
 *
 * As the engine's {@link JobDispatch} it also runs the jobs that steps of this process leased to it while they
 * committed them, up to `batchSize` whose calls are under way; more wait pending for a claim.
 */
export class JobRunner implements JobDispatch {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly random: () => number;
  /** Leases handed out for eager dispatch and not yet finished (reserved or running). */
  private reserved = 0;
  private readonly dispatched = new Set<Promise<void>>();

  constructor(private readonly options: JobRunnerOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 16;
    this.random = options.random ?? Math.random;
  }

  /** Claims and runs one batch of due jobs; resolves with how many it ran. */
  async runOnce(): Promise<number> {
    const now = this.options.clock.now();
    const jobs = await this.options.store.claimJobs(
      now,
      () => this.options.ids.id(),
      new Date(now.getTime() + this.leaseMs),
      this.batchSize,
    );
    await Promise.all(jobs.map((job) => this.run(job)));
    return jobs.length;
  }

  reserve(now: Date): { token: string; until: Date } | undefined {
    if (this.reserved >= this.batchSize) return undefined;
    this.reserved++;
    return { token: this.options.ids.id(), until: new Date(now.getTime() + this.leaseMs) };
  }

  abandoned(count: number): void {
    this.reserved -= count;
  }

  committed(jobs: JobRow[]): void {
    for (const job of jobs) {
      // The room is given back once the connector call is over, before its result is recorded: a step that records
      // it and enqueues the case's next job can then lease that one too, instead of leaving it to a claim.
      let holding = true;
      const release = () => {
        if (holding) this.reserved--;
        holding = false;
      };
      const running: Promise<void> = this.run(job, release)
        .catch((error: unknown) => {
          // The store failed while recording the outcome: the lease runs out and a later claim takes the job over.
          this.options.log?.('runner.dispatch.failed', {
            connector: job.connector,
            operation: job.operation,
            error: error instanceof Error ? error.name : 'unknown',
          });
        })
        .finally(() => {
          release();
          this.dispatched.delete(running);
        });
      this.dispatched.add(running);
    }
  }

  /** Waits until the dispatched jobs under way have finished (shutdown: detach the dispatch first). */
  async drain(): Promise<void> {
    while (this.dispatched.size > 0) await Promise.all(this.dispatched);
  }

  /** Calls the job's connector and records the outcome; `called` hears when the call is over (not on every path). */
  private async run(job: JobRow, called: () => void = () => {}): Promise<void> {
    const { connectors, engine, log } = this.options;
    const leaseToken = job.leaseToken ?? '';
    const operation = connectors.describe(job.connector, job.operation);
    if (!operation) {
      await engine.jobFailed(
        job,
        leaseToken,
        { code: 'unknown_connector', message: `Anbindung ${job.connector}/${job.operation} ist nicht installiert` },
        null,
      );
      return;
    }
    if (job.leaseExpired && operation.retry === 'never') {
      // The last runner may have called the outside system before it died: calling again could repeat the effect.
      await engine.jobFailed(
        job,
        leaseToken,
        { code: 'outcome_unknown', message: 'Ausgang des letzten Aufrufs unbekannt; bitte prüfen und erneut anstoßen' },
        null,
      );
      return;
    }
    const started = Date.now();
    const call = (): Promise<unknown> => this.callWithTimeout(job, operation.timeoutMs);
    const breakers = this.options.breakers;
    try {
      const result = await (breakers ? breakers.run(breakerKey(job.tenantId, job.connector), call) : call());
      const durationMs = Date.now() - started;
      called();
      const applied = await engine.jobSucceeded(job, leaseToken, result, { durationMs });
      log?.('connector.call.succeeded', {
        connector: job.connector,
        operation: job.operation,
        attempt: job.attempts,
        ms: durationMs,
        stale: !applied,
      });
    } catch (thrown) {
      const durationMs = Date.now() - started;
      called();
      const deferred = thrown instanceof CircuitOpenError;
      const error = deferred ? new ConnectorError(thrown.code, thrown.message, true) : asConnectorError(thrown);
      // A deferred job was not called, so even a `never` operation may run later; it still uses up an attempt, so a
      // long outage ends in an incident as it would without the breaker.
      const mayRetry =
        error.retryable && (deferred || operation.retry === 'safe') && job.attempts < job.retry.maxAttempts;
      const retryAt = mayRetry ? this.backoff(job, deferred ? thrown.retryInMs : 0) : null;
      const outcome = await engine.jobFailed(job, leaseToken, { code: error.code, message: error.message }, retryAt, {
        durationMs: deferred ? 0 : durationMs,
      } satisfies CallRecord);
      log?.(deferred ? 'connector.call.deferred' : 'connector.call.failed', {
        connector: job.connector,
        operation: job.operation,
        attempt: job.attempts,
        code: error.code,
        ms: durationMs,
        outcome,
      });
    }
  }

  /**
   * Calls the connector and aborts it via its signal after `timeoutMs`; a connector that ignores the signal is
   * given up on all the same, so no runner waits longer than the operation's timeout.
   */
  private async callWithTimeout(job: JobRow, timeoutMs: number): Promise<unknown> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ConnectorError('timeout', `Zeitüberschreitung nach ${timeoutMs} ms`, true);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.options.connectors.invoke(job, controller.signal), expired]);
    } catch (thrown) {
      throw controller.signal.aborted && !(thrown instanceof ConnectorError)
        ? new ConnectorError('timeout', `Zeitüberschreitung nach ${timeoutMs} ms`, true)
        : asConnectorError(thrown);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exponential backoff with full jitter, capped by the policy's maximum delay, and not before `notBeforeMs`. */
  private backoff(job: JobRow, notBeforeMs: number): Date {
    const now = this.options.clock.now();
    const initial = addDuration(now, job.retry.initialDelay).getTime() - now.getTime();
    const max = addDuration(now, job.retry.maxDelay).getTime() - now.getTime();
    const ceiling = Math.min(max, initial * job.retry.factor ** Math.max(0, job.attempts - 1));
    const delay = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    return new Date(now.getTime() + Math.max(delay, notBeforeMs));
  }
}

/** Anything a connector throws, as a typed error: unknown errors are retryable `internal` faults. */
function asConnectorError(thrown: unknown): ConnectorError {
  if (thrown instanceof ConnectorError) return thrown;
  return new ConnectorError('internal', thrown instanceof Error ? thrown.message : String(thrown), true);
}
