import type { W1Store } from './w1-setup.ts';
import type { W1Shape } from './w1-workload.ts';

/** What the parent tells a W1 worker process (argv[2], JSON). */
export type W1WorkerArgs = {
  store: W1Store;
  dataDir: string;
  shape: W1Shape;
  jobBatch: number;
  warmupMs: number;
};

/** Messages between the parent and a worker process (Node IPC). */
export type ToWorker = { type: 'go'; durationMs: number } | { type: 'final'; caseId: string } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'final'; caseId: string }
  | {
      type: 'result';
      cases: number;
      elapsedMs: number;
      latenciesMs: number[];
      peakRssMiB: number;
      failures: number;
      /** CPU time (user + system) this process spent in the measured run. */
      cpuMs: number;
    }
  | { type: 'failed'; message: string };
