/**
 * `npm run bench`: the benchmarks of BENCHMARKS.md on this machine, each variant in fresh child processes with a
 * warm-up, median of 3 repetitions taken in turns (see {@link inTurns}). Prints a table (progress goes to stderr);
 * `--json` prints only the JSON object. `--quick` runs each workload for about 3 seconds, once (smoke runs).
 * `--only name,name` limits the run to some variants or reference points (for working on one of them).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnce } from './child.ts';
import { type BenchReport, formatTable, ratioValues } from './report.ts';
import { round } from './stats.ts';
import { inTurns, type Measurement } from './turns.ts';
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

/** Splits a W1 median into the JSON's figures and the CPU use; reports failed runner rounds. */
function w1Figures(name: string, m: Record<string, number>, cpuUse: Record<string, W1Cpu>): W1Figures {
  const { failures, engineCpus, machineCpus, ...figures } = m;
  if (failures! > 0) progress(`  ${name}: ${failures} failed runner rounds`);
  cpuUse[name] = machineCpus === undefined ? { engineCpus: engineCpus! } : { engineCpus: engineCpus!, machineCpus };
  return figures as W1Figures;
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
  const measurement = (name: string, once: () => Promise<Record<string, number>>): Measurement => ({ name, once });
  const rate = (script: string, arg: Record<string, unknown>) => () =>
    runOnce<Rate>(script, { ...arg, ...timing }).then((r) => ({
      casesPerSecond: round(r.casesPerSecond),
      peakRssMiB: r.peakRssMiB,
    }));
  const raw = (mode: 'memory' | 'NORMAL' | 'FULL') =>
    measurement(`raw-xstate-${mode.toLowerCase()}`, rate('./raw-xstate.worker.ts', { mode }));
  const variants = w1Variants(postgresUrl);
  const w1 = (variant: W1Variant) => measurement(variant.name, () => measureW1(variant, timing));
  const byName = new Map(variants.map((v) => [v.name, w1(v)]));
  const storedDir = mkdtempSync(join(tmpdir(), 'bench-stored-'));
  const stored = [1_000, storedCases].map((count) => w1(storedVariant(count, storedDir)));
  // Each reference point runs right after the variant it is compared with.
  const order: (Measurement | undefined)[] = [
    byName.get('memory'),
    raw('memory'),
    byName.get('sqlite-normal'),
    raw('NORMAL'),
    byName.get('sqlite-full'),
    byName.get('sqlite-full-concurrent'),
    raw('FULL'),
    measurement('bpmn-engine', rate('./bpmn-engine.worker.ts', {})),
    ...stored,
    byName.get('postgres-1'),
    byName.get('postgres-2'),
    measurement('http-submit', () =>
      runOnce<{ requestsPerSecond: number; p50Ms: number; p99Ms: number }>('./http-submit.worker.ts', {
        rate: 200,
        ...timing,
      }).then(({ requestsPerSecond, p50Ms, p99Ms }) => ({ requestsPerSecond, p50Ms, p99Ms })),
    ),
    measurement('inbox-100k', () =>
      runOnce<{ p50Ms: number; p95Ms: number }>('./inbox.worker.ts', {
        tasks: 100_000,
        durationMs: timing.durationMs,
        warmupRequests: 20,
      }).then(({ p50Ms, p95Ms }) => ({ p50Ms, p95Ms })),
    ),
  ];
  const selected = order.filter(
    (m): m is Measurement => m !== undefined && wanted(m.name.startsWith('stored-') ? 'stored' : m.name),
  );
  let medians: Map<string, Record<string, number>>;
  try {
    medians = await inTurns(selected, reps, (name, rep, figures, seconds) =>
      progress(`  ${name} ${rep}/${reps}: ${JSON.stringify(figures)} (${seconds} s)`),
    );
  } finally {
    rmSync(storedDir, { recursive: true, force: true });
  }

  // The report lists the figures in the order of BENCHMARKS.md, whatever order they ran in.
  const cpuUse: Record<string, W1Cpu> = {};
  for (const variant of variants) {
    const m = medians.get(variant.name);
    if (m) report.w1[variant.name] = w1Figures(variant.name, m, cpuUse);
  }
  const http = medians.get('http-submit');
  if (http) report['http-submit'] = http as NonNullable<BenchReport['http-submit']>;
  const inbox = medians.get('inbox-100k');
  if (inbox) report['inbox-100k'] = inbox as NonNullable<BenchReport['inbox-100k']>;
  const reference = report.reference!;
  for (const name of ['raw-xstate-memory', 'raw-xstate-normal', 'raw-xstate-full', 'bpmn-engine']) {
    const m = medians.get(name);
    if (m) reference[name] = m;
  }
  for (const { name } of stored) {
    const m = medians.get(name);
    if (m) reference[name] = w1Figures(name, m, cpuUse);
  }
  reference.cpu = cpuUse;
  reference.ratios = ratioValues(report);
  return report;
}

const report = await main();
process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report, { reps, ...timing }));
