import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from '../test/support/postgres.ts';
import { BenchChild } from './child.ts';
import { busyCpus, machineTicks } from './cpu.ts';
import type { FromWorker, W1WorkerArgs } from './protocol.ts';
import { percentile, round } from './stats.ts';
import type { W1Store } from './w1-setup.ts';
import type { W1Shape } from './w1-workload.ts';

/** The W1 figures of BENCHMARKS.md's JSON shape. */
export type W1Figures = { casesPerSecond: number; p50Ms: number; p99Ms: number; peakRssMiB: number };

/**
 * Where the CPU went while a variant ran: `engineCpus` is the CPU time of its engine processes per second of the
 * run (1 = one CPU all the time), `machineCpus` how many CPUs of the machine were busy (engine processes, Postgres,
 * everything else). Linux only; left out elsewhere.
 */
export type W1Cpu = { engineCpus: number; machineCpus?: number };

/** One W1 variant: where the cases live, how many server processes share them, how many cases at once. */
export type W1Variant = {
  name: string;
  /** Prepares a fresh store for one repetition; `cleanup` removes it. */
  prepare(dir: string): Promise<{ store: W1Store; cleanup(): Promise<void> }>;
  processes: number;
  shape: W1Shape;
  jobBatch: number;
};

const sequential: W1Shape = { concurrency: 1, chunk: 50 };
const sqlite = (synchronous: 'FULL' | 'NORMAL') => async (dir: string) => ({
  store: { kind: 'sqlite' as const, file: join(dir, 'w1.db'), synchronous },
  cleanup: async () => {},
});

/** The variants of BENCHMARKS.md; the Postgres ones only with a server to run them on. */
export function w1Variants(postgresUrl: string | undefined): W1Variant[] {
  const variants: W1Variant[] = [
    {
      name: 'memory',
      prepare: async () => ({ store: { kind: 'memory' }, cleanup: async () => {} }),
      processes: 1,
      shape: sequential,
      jobBatch: 16,
    },
    { name: 'sqlite-normal', prepare: sqlite('NORMAL'), processes: 1, shape: sequential, jobBatch: 16 },
    { name: 'sqlite-full', prepare: sqlite('FULL'), processes: 1, shape: sequential, jobBatch: 16 },
    {
      name: 'sqlite-full-concurrent',
      prepare: sqlite('FULL'),
      processes: 1,
      shape: { concurrency: 100, chunk: 100 },
      jobBatch: 100,
    },
  ];
  if (postgresUrl) {
    const prepare = async () => {
      const db = await freshPostgres(postgresUrl, 'verfahren_bench_');
      return { store: { kind: 'postgres' as const, url: db.url }, cleanup: db.drop };
    };
    const shape = { concurrency: 32, chunk: 64 };
    variants.push({ name: 'postgres-1', prepare, processes: 1, shape, jobBatch: 32 });
    variants.push({ name: 'postgres-2', prepare, processes: 2, shape, jobBatch: 32 });
  }
  return variants;
}

/**
 * One repetition of a variant in fresh processes on a fresh store: every process warms up, then all run the
 * workload for the same time; cases per second count the cases of all processes that reached their final state.
 */
export async function measureW1(
  variant: W1Variant,
  timing: { durationMs: number; warmupMs: number },
): Promise<W1Figures & W1Cpu & { failures: number }> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${variant.name}-`));
  const { store, cleanup } = await variant.prepare(dir);
  const workers: BenchChild<FromWorker>[] = [];
  try {
    for (let n = 0; n < variant.processes; n++) {
      const args: W1WorkerArgs = {
        store,
        dataDir: join(dir, `p${n}`),
        shape: variant.shape,
        jobBatch: variant.jobBatch,
        warmupMs: timing.warmupMs,
      };
      const worker = new BenchChild<FromWorker>('./w1.worker.ts', args);
      workers.push(worker);
      // A case one process started may end in another (whose runner took its job): tell the others, warm-up too.
      worker.on('final', (message) => {
        for (const other of workers) if (other !== worker) other.send(message);
      });
      // One after the other: the first migrates the database and publishes W1, the next finds them.
      await worker.next('ready');
    }
    const ticksBefore = machineTicks();
    for (const worker of workers) worker.send({ type: 'go', durationMs: timing.durationMs });
    const results = await Promise.all(workers.map((w) => w.next('result')));
    const machineCpus = busyCpus(ticksBefore, machineTicks(), availableParallelism());
    for (const worker of workers) worker.send({ type: 'stop' });
    await Promise.all(workers.map((w) => w.exited));
    const cases = results.reduce((sum, r) => sum + r.cases, 0);
    const elapsedMs = Math.max(...results.map((r) => r.elapsedMs));
    const latencies = results.flatMap((r) => r.latenciesMs);
    return {
      casesPerSecond: round((cases / elapsedMs) * 1000),
      p50Ms: round(percentile(latencies, 50), 2),
      p99Ms: round(percentile(latencies, 99), 2),
      peakRssMiB: Math.max(...results.map((r) => r.peakRssMiB)),
      failures: results.reduce((sum, r) => sum + r.failures, 0),
      engineCpus: round(results.reduce((sum, r) => sum + r.cpuMs, 0) / elapsedMs, 2),
      ...(machineCpus === undefined ? {} : { machineCpus }),
    };
  } finally {
    for (const worker of workers) worker.kill();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
