import { median } from './stats.ts';

/** A measurement the benchmark repeats; `once` takes it one more time and returns its figures. */
export type Measurement = { name: string; once(): Promise<Record<string, number>> };

/**
 * Takes every measurement `reps` times in turns (each once, then each again) and returns the median of each figure
 * per measurement. Taking them in turns instead of one after the other matters on a shared machine whose speed
 * drifts over minutes: a drift then moves a variant and the reference it is compared with alike, so their ratio stays
 * fair. `progress` hears of every single run.
 */
export async function inTurns(
  measurements: readonly Measurement[],
  reps: number,
  progress: (name: string, rep: number, figures: Record<string, number>, seconds: number) => void = () => {},
): Promise<Map<string, Record<string, number>>> {
  const runs = new Map<string, Record<string, number>[]>(measurements.map((m) => [m.name, []]));
  for (let rep = 1; rep <= reps; rep++) {
    for (const m of measurements) {
      const started = Date.now();
      const figures = await m.once();
      runs.get(m.name)!.push(figures);
      progress(m.name, rep, figures, Math.round((Date.now() - started) / 1000));
    }
  }
  const medians = new Map<string, Record<string, number>>();
  for (const [name, taken] of runs) {
    const keys = Object.keys(taken[0] ?? {});
    medians.set(name, Object.fromEntries(keys.map((key) => [key, median(taken.map((figures) => figures[key]!))])));
  }
  return medians;
}
