import { describe, expect, it } from 'vitest';
import { inTurns, type Measurement } from './turns.ts';

describe('benchmark measurements in turns', () => {
  it('takes each measurement once per round, in order, and reports the median of each figure', async () => {
    const calls: string[] = [];
    const figures: Record<string, number[][]> = {
      variant: [
        [300, 5],
        [100, 9],
        [200, 7],
      ],
      reference: [
        [10, 1],
        [30, 3],
        [20, 2],
      ],
    };
    const measurements: Measurement[] = ['variant', 'reference'].map((name) => ({
      name,
      async once() {
        const [rate, p99] = figures[name]![calls.filter((c) => c === name).length]!;
        calls.push(name);
        return { rate: rate!, p99: p99! };
      },
    }));
    const heard: string[] = [];
    const medians = await inTurns(measurements, 3, (name, rep) => heard.push(`${name} ${rep}`));
    expect(calls).toEqual(['variant', 'reference', 'variant', 'reference', 'variant', 'reference']);
    expect(heard).toEqual(['variant 1', 'reference 1', 'variant 2', 'reference 2', 'variant 3', 'reference 3']);
    expect(medians.get('variant')).toEqual({ rate: 200, p99: 7 });
    expect(medians.get('reference')).toEqual({ rate: 20, p99: 2 });
  });
});
