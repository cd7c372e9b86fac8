import { readFileSync } from 'node:fs';
import { round } from './stats.ts';

/** CPU time of the whole machine so far, in clock ticks (Linux `/proc/stat`); undefined where there is none. */
export type MachineTicks = { busy: number; total: number };

export function machineTicks(): MachineTicks | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  } catch {
    return undefined;
  }
  if (!line?.startsWith('cpu ')) return undefined;
  // user nice system idle iowait irq softirq steal …: idle and iowait are the only ticks a CPU did no work.
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/** How many of the machine's `cpus` were busy on average between the two readings. */
export function busyCpus(before: MachineTicks | undefined, after: MachineTicks | undefined, cpus: number) {
  if (!before || !after || after.total === before.total) return undefined;
  return round(((after.busy - before.busy) / (after.total - before.total)) * cpus, 2);
}
