/**
 * `npm run bench`: the benchmarks of BENCHMARKS.md on this machine, each variant in fresh child processes with a
 * warm-up, median of 3 repetitions. Prints a table (progress goes to stderr); `--json` prints only the JSON object.
 * `--quick` runs each workload for about 3 seconds, once (smoke runs). `--only name,name` limits the run to some
 * variants or reference points (for working on one of them).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnce } from './child.ts';
import { type BenchReport, formatTable, ratioValues } from './report.ts';
import { median, round } from './stats.ts';
import { measureW1, type W1Cpu, type W1Figures, type W1Variant, w1Variants } from './w1-variants.ts';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const only = argv.includes('--only') ? new Set((argv[argv.indexOf('--only') + 1] ?? '').split(',')) : undefined;
const reps = quick ? 1 : 3;
const timing = quick ? { durationMs: 2_500, warmupMs: 500 } : { durationMs: 8_000, warmupMs: 2_000 };
const storedCases = quick ? 20_000 : 100_000;
const postgresUrl = process.env.BENCH_DATABASE_URL || undefined;
const wanted = (name: string) => only === undefined || only.has(name);
const progress = (line: string) => process.stderr.write(`${line}\n`);

async function repeated<T extends { [K in keyof T]: number }>(name: string, run: () => Promise<T>): Promise<T> {
  const runs: T[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const started = Date.now();
    const result = await run();
    runs.push(result);
    progress(`  ${name} ${rep}/${reps}: ${JSON.stringify(result)} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  const keys = Object.keys(runs[0]!) as (keyof T)[];
  return Object.fromEntries(keys.map((key) => [key, median(runs.map((r) => r[key] as number))])) as T;
}

/** CPU use of each W1 variant that ran (`reference.cpu` of the JSON). */
const cpuUse: Record<string, W1Cpu> = {};

async function w1(variant: W1Variant): Promise<W1Figures> {
  const { failures, engineCpus, machineCpus, ...figures } = await repeated(variant.name, () =>
    measureW1(variant, timing),
  );
  if (failures > 0) progress(`  ${variant.name}: ${failures} failed runner rounds`);
  cpuUse[variant.name] = machineCpus === undefined ? { engineCpus } : { engineCpus, machineCpus };
  return figures;
}

/** W1 as `sqlite-full-concurrent` on a database that already holds `count` finished cases. */
function storedVariant(count: number, dir: string): W1Variant {
  const concurrent = w1Variants(undefined).find((v) => v.name === 'sqlite-full-concurrent')!;
  const seeded = join(dir, `seeded-${count}.db`);
  let seeding: Promise<unknown> | undefined;
  return {
    ...concurrent,
    name: `stored-${count}`,
    async prepare(runDir) {
      seeding ??= runOnce('./seed.worker.ts', { file: seeded, count, stage: 'final' });
      await seeding;
      const file = join(runDir, 'w1.db');
      copyFileSync(seeded, file);
      return { store: { kind: 'sqlite', file, synchronous: 'FULL' }, cleanup: async () => {} };
    },
  };
}

type Rate = { casesPerSecond: number; peakRssMiB: number };

async function main(): Promise<BenchReport> {
  const report: BenchReport = {
    machine: { node: process.version, cpus: cpus().length },
    w1: {},
    reference: { storedCases },
  };
  progress(
    `bench: ${reps} repetition(s), ${timing.durationMs / 1000} s each after ${timing.warmupMs / 1000} s warm-up`,
  );
  for (const variant of w1Variants(postgresUrl)) {
    if (wanted(variant.name)) report.w1[variant.name] = await w1(variant);
  }
  if (wanted('http-submit')) {
    report['http-submit'] = await repeated('http-submit', () =>
      runOnce<{ requestsPerSecond: number; p50Ms: number; p99Ms: number }>('./http-submit.worker.ts', {
        rate: 200,
        ...timing,
      }).then(({ requestsPerSecond, p50Ms, p99Ms }) => ({ requestsPerSecond, p50Ms, p99Ms })),
    );
  }
  if (wanted('inbox-100k')) {
    report['inbox-100k'] = await repeated('inbox-100k', () =>
      runOnce<{ p50Ms: number; p95Ms: number }>('./inbox.worker.ts', {
        tasks: 100_000,
        durationMs: timing.durationMs,
        warmupRequests: 20,
      }).then(({ p50Ms, p95Ms }) => ({ p50Ms, p95Ms })),
    );
  }
  const reference = report.reference!;
  const rate = (script: string, arg: Record<string, unknown>) => () =>
    runOnce<Rate>(script, { ...arg, ...timing }).then((r) => ({
      casesPerSecond: round(r.casesPerSecond),
      peakRssMiB: r.peakRssMiB,
    }));
  for (const mode of ['memory', 'NORMAL', 'FULL'] as const) {
    const name = `raw-xstate-${mode.toLowerCase()}`;
    if (wanted(name)) reference[name] = await repeated(name, rate('./raw-xstate.worker.ts', { mode }));
  }
  if (wanted('bpmn-engine'))
    reference['bpmn-engine'] = await repeated('bpmn-engine', rate('./bpmn-engine.worker.ts', {}));
  if (wanted('stored')) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-stored-'));
    try {
      for (const count of [1_000, storedCases]) {
        const variant = storedVariant(count, dir);
        reference[variant.name] = await w1(variant);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  reference.cpu = cpuUse;
  reference.ratios = ratioValues(report);
  return report;
}

const report = await main();
process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report, { reps, ...timing }));
