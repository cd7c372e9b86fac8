import { round } from './stats.ts';
import type { W1Cpu, W1Figures } from './w1-variants.ts';

type Rate = { casesPerSecond: number; peakRssMiB: number };

/**
 * The JSON of BENCHMARKS.md (`machine`, `w1`, `http-submit`, `inbox-100k`; a variant that did not run is left out),
 * plus `reference`: the reference points measured in the same run and the issue's ratios computed from them.
 */
export type BenchReport = {
  machine: { node: string; cpus: number };
  w1: Record<string, W1Figures>;
  'http-submit'?: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  'inbox-100k'?: { p50Ms: number; p95Ms: number };
  reference?: { storedCases: number; ratios?: Record<string, number>; cpu?: Record<string, W1Cpu> } & Record<
    string,
    unknown
  >;
};

type Goal = { name: string; value: number | undefined; goal: string; met: (value: number) => boolean; unit: string };

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? undefined : round(a / b, 2);

/** The goals of issue 6, each computed from figures of this run (undefined when a part did not run). */
export function goals(report: BenchReport): Goal[] {
  const ref = (report.reference ?? {}) as Record<string, Partial<Rate & W1Figures> | undefined>;
  const cps = (name: string) => report.w1[name]?.casesPerSecond;
  const stored = report.reference?.storedCases ?? 100_000;
  const bpmn = ref['bpmn-engine']?.casesPerSecond;
  const sqliteVariants = ['sqlite-normal', 'sqlite-full', 'sqlite-full-concurrent'].filter((v) => report.w1[v]);
  const slowestSqlite = sqliteVariants.length ? Math.min(...sqliteVariants.map((v) => cps(v)!)) : undefined;
  const times = (x: number) => (value: number) => value >= x;
  return [
    {
      name: 'sqlite-full-concurrent / raw XState + SQLite FULL',
      value: ratio(cps('sqlite-full-concurrent'), ref['raw-xstate-full']?.casesPerSecond),
      goal: '≥ 3× (target 5×)',
      met: times(3),
      unit: '×',
    },
    {
      name: 'sqlite-normal / raw XState + SQLite NORMAL',
      value: ratio(cps('sqlite-normal'), ref['raw-xstate-normal']?.casesPerSecond),
      goal: '≥ 0.6×',
      met: times(0.6),
      unit: '×',
    },
    {
      name: 'memory / raw in-memory XState',
      value: ratio(cps('memory'), ref['raw-xstate-memory']?.casesPerSecond),
      goal: '≥ 0.5×',
      met: times(0.5),
      unit: '×',
    },
    {
      name: 'slowest SQLite variant / bpmn-engine',
      value: ratio(slowestSqlite, bpmn),
      goal: '≥ 15×',
      met: times(15),
      unit: '×',
    },
    {
      name: `throughput ${stored.toLocaleString('en')} / 1,000 stored cases`,
      value: ratio(ref[`stored-${stored}`]?.casesPerSecond, ref['stored-1000']?.casesPerSecond),
      goal: '≥ 0.9×',
      met: times(0.9),
      unit: '×',
    },
    {
      name: `peak RSS ${stored.toLocaleString('en')} / 1,000 stored cases`,
      value: ratio(ref[`stored-${stored}`]?.peakRssMiB, ref['stored-1000']?.peakRssMiB),
      goal: 'flat (≈ 1×)',
      met: (value) => value <= 1.1,
      unit: '×',
    },
    {
      name: 'postgres-2 / postgres-1',
      value: ratio(cps('postgres-2'), cps('postgres-1')),
      goal: '≥ 1.6× (Postgres not the bottleneck)',
      met: times(1.6),
      unit: '×',
    },
    {
      name: 'inbox-100k first page p95',
      value: report['inbox-100k']?.p95Ms,
      goal: '< 50 ms',
      met: (value) => value < 50,
      unit: ' ms',
    },
    {
      name: 'http-submit p99 at 200 requests/s',
      value: report['http-submit']?.p99Ms,
      goal: '< 50 ms',
      met: (value) => value < 50,
      unit: ' ms',
    },
  ];
}

/** The issue's ratios as plain numbers for the JSON (`reference.ratios`). */
export function ratioValues(report: BenchReport): Record<string, number> {
  return Object.fromEntries(
    goals(report).flatMap((g) => (g.value === undefined ? [] : [[g.name, g.value] as [string, number]])),
  );
}

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number | undefined, width = 10) => (value === undefined ? '–' : String(value)).padStart(width);

/** The human-readable table of a run. */
export function formatTable(report: BenchReport, run: { reps: number; durationMs: number; warmupMs: number }): string {
  const lines: string[] = [];
  const ref = (report.reference ?? {}) as Record<string, Partial<Rate & W1Figures> | undefined>;
  lines.push(
    `Verfahrenswerk benchmarks — Node ${report.machine.node}, ${report.machine.cpus} CPUs; ` +
      `median of ${run.reps}, ${run.durationMs / 1000} s each after ${run.warmupMs / 1000} s warm-up`,
    '',
    `${pad('W1 (birth certificate)', 34)}   cases/s    p50 ms    p99 ms  peak RSS MiB`,
  );
  for (const [name, f] of Object.entries(report.w1)) {
    lines.push(`${pad(name, 34)}${num(f.casesPerSecond)}${num(f.p50Ms)}${num(f.p99Ms)}${num(f.peakRssMiB, 14)}`);
  }
  const http = report['http-submit'];
  if (http) {
    lines.push(
      '',
      `${pad('http-submit (200 requests/s)', 34)}${num(http.requestsPerSecond)} req/s  p50 ${http.p50Ms} ms  p99 ${http.p99Ms} ms`,
    );
  }
  const inbox = report['inbox-100k'];
  if (inbox) lines.push(`${pad('inbox-100k (first page)', 34)}p50 ${inbox.p50Ms} ms  p95 ${inbox.p95Ms} ms`);
  lines.push('', `${pad('Reference points (same run)', 34)}   cases/s    p50 ms    p99 ms  peak RSS MiB`);
  const labels: Record<string, string> = {
    'raw-xstate-memory': 'raw XState, in memory',
    'raw-xstate-normal': 'raw XState + SQLite NORMAL',
    'raw-xstate-full': 'raw XState + SQLite FULL',
    'bpmn-engine': 'bpmn-engine, state in SQLite',
  };
  for (const [name, value] of Object.entries(ref)) {
    if (!value || typeof value !== 'object' || !('casesPerSecond' in value)) continue;
    const label = labels[name] ?? `W1 concurrent, ${Number(name.replace('stored-', '')).toLocaleString('en')} stored`;
    lines.push(
      `${pad(label, 34)}${num(value.casesPerSecond)}${num(value.p50Ms)}${num(value.p99Ms)}${num(value.peakRssMiB, 14)}`,
    );
  }
  const cpu = Object.entries(report.reference?.cpu ?? {});
  if (cpu.length > 0) {
    lines.push(
      '',
      `${pad(`CPU while measured (of ${report.machine.cpus} CPUs)`, 34)}  engine processes  whole machine`,
    );
    for (const [name, use] of cpu) lines.push(`${pad(name, 34)}${num(use.engineCpus, 18)}${num(use.machineCpus, 15)}`);
  }
  lines.push('', `${pad('Goals of issue 6', 52)}${pad('this run', 12)}goal`);
  for (const g of goals(report)) {
    const value = g.value === undefined ? '–' : `${g.value}${g.unit}`;
    const verdict = g.value === undefined ? 'not measured' : g.met(g.value) ? 'met' : 'missed';
    lines.push(`${pad(g.name, 52)}${pad(value, 12)}${pad(g.goal, 40)}${verdict}`);
  }
  return `${lines.join('\n')}\n`;
}
