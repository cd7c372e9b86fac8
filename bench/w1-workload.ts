import type { CaseEngine } from '../engine/runtime/case-engine.ts';
import type { JobRunner } from '../engine/runtime/job-runner.ts';
import type { StoreObserver } from './observed-store.ts';
import { mapLimited } from './stats.ts';
import { W1, w1Application } from './w1.definition.ts';

/** How long one case may take from its review to its final state before the run is declared stuck. */
const STUCK_MS = 60_000;
/** The runner loop's poll when nothing woke it (jobs of another process, retries). */
const IDLE_POLL_MS = 20;

/** Figures of one measured run in one process. */
export type W1Run = { cases: number; elapsedMs: number; latenciesMs: number[] };

export type W1Shape = {
  /** Cases progressing at once: starts and review completions in flight. */
  concurrency: number;
  /** Cases started before their reviews are completed. */
  chunk: number;
};

/**
 * Drives W1: starts a chunk of cases until each waits at "review", then completes their reviews through the engine's
 * task API; the job runner takes each case through payment, document and postbox to its final state. Latency is
 * from the review completion until the final state is committed.
 */
export class W1Workload {
  private readonly tasks = new Map<string, string>();
  private readonly finals = new Map<string, () => void>();
  private kicked = false;
  private wake: (() => void) | undefined;
  private sequence = 0;

  /** `onForeignFinal`: a case this process did not start reached its final state here (several processes). */
  constructor(private readonly onForeignFinal: (caseId: string) => void = () => {}) {}

  /** Another process finished a case: resolves it when this process started it. */
  remoteFinished(caseId: string): void {
    this.finished(caseId);
  }

  readonly observer: StoreObserver = {
    taskCreated: (caseId, taskId) => this.tasks.set(caseId, taskId),
    jobsEnqueued: () => this.kick(),
    caseFinished: (caseId) => {
      if (!this.finished(caseId)) this.onForeignFinal(caseId);
    },
  };

  private finished(caseId: string): boolean {
    const resolve = this.finals.get(caseId);
    if (!resolve) return false;
    this.finals.delete(caseId);
    resolve();
    return true;
  }

  private kick(): void {
    this.kicked = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Runs the real job runner in a loop: at once while there is work, woken by new jobs, else every 20 ms. */
  startRunner(jobs: JobRunner): { stop(): Promise<void>; failures(): number } {
    let stopped = false;
    let failures = 0;
    const loop = (async () => {
      while (!stopped) {
        this.kicked = false;
        let ran = 0;
        try {
          ran = await jobs.runOnce();
        } catch {
          failures++;
        }
        if (ran > 0 || this.kicked || stopped) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, IDLE_POLL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
    return {
      async stop() {
        stopped = true;
        await Promise.all([loop, jobs.drain()]);
      },
      failures: () => failures,
    };
  }

  /** Runs chunks until `durationMs` is over (the chunk under way is finished). */
  async run(engine: CaseEngine, shape: W1Shape, durationMs: number): Promise<W1Run> {
    const latenciesMs: number[] = [];
    let cases = 0;
    const started = performance.now();
    const until = started + durationMs;
    while (performance.now() < until) {
      const numbers = Array.from({ length: shape.chunk }, () => this.sequence++);
      const caseIds = await mapLimited(numbers, shape.concurrency, async (n) => {
        const row = await engine.start({
          tenantId: W1.tenant,
          procedureKey: W1.key,
          version: 1,
          data: w1Application(n),
          actor: { kind: 'citizen' },
        });
        if (row.state !== 'review') throw new Error(`W1 case ${row.caseNumber} in ${row.state}, not at review`);
        return row.id;
      });
      await mapLimited(caseIds, shape.concurrency, async (caseId) => {
        const taskId = this.tasks.get(caseId);
        if (!taskId) throw new Error(`no review task for case ${caseId}`);
        this.tasks.delete(caseId);
        let timer: NodeJS.Timeout | undefined;
        const final = new Promise<void>((resolve, reject) => {
          this.finals.set(caseId, resolve);
          timer = setTimeout(() => reject(new Error(`case ${caseId} not final within ${STUCK_MS} ms`)), STUCK_MS);
        });
        const begin = performance.now();
        await engine.completeTask({
          tenantId: W1.tenant,
          taskId,
          username: W1.caseworker,
          outcome: 'approve',
          data: { note: 'Angaben vollständig, Eintrag gefunden' },
        });
        await final;
        clearTimeout(timer);
        latenciesMs.push(performance.now() - begin);
      });
      cases += caseIds.length;
    }
    return { cases, elapsedMs: performance.now() - started, latenciesMs };
  }
}
