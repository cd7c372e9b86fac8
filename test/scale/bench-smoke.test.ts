import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const W1_VARIANTS = ['memory', 'sqlite-normal', 'sqlite-full', 'sqlite-full-concurrent'];

/** Runs `npm run bench -- --quick --json` (npm's own banner silenced) and resolves with its stdout. */
function runBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', '--quick', '--json'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

const figure = expect.any(Number);

describe('npm run bench -- --quick --json', () => {
  it('prints one JSON object of the shape of BENCHMARKS.md and nothing else', async () => {
    const { code, stdout, stderr } = await runBench();
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.machine).toEqual({ node: process.version, cpus: expect.any(Number) });
    // Without BENCH_DATABASE_URL the Postgres variants are left out, not zero.
    expect(Object.keys(report.w1).sort()).toEqual([...W1_VARIANTS].sort());
    for (const name of W1_VARIANTS) {
      expect(report.w1[name], name).toEqual({
        casesPerSecond: figure,
        p50Ms: figure,
        p99Ms: figure,
        peakRssMiB: figure,
      });
    }
    expect(report['http-submit']).toEqual({ requestsPerSecond: figure, p50Ms: figure, p99Ms: figure });
    expect(report['inbox-100k']).toEqual({ p50Ms: figure, p95Ms: figure });
    const numbers = [
      ...W1_VARIANTS.flatMap((name) => Object.values(report.w1[name])),
      ...Object.values(report['http-submit']),
      ...Object.values(report['inbox-100k']),
    ] as number[];
    expect(numbers.every((n) => Number.isFinite(n) && n >= 0)).toBe(true);
    // The reference points of the same run, and the ratios computed from them.
    expect(Object.keys(report.reference)).toEqual(
      expect.arrayContaining(['raw-xstate-memory', 'raw-xstate-normal', 'raw-xstate-full', 'bpmn-engine', 'ratios']),
    );
    // Where the CPU went in each W1 variant: its engine processes, and (Linux) the whole machine.
    for (const name of W1_VARIANTS) {
      expect(report.reference.cpu[name], name).toEqual(
        process.platform === 'linux' ? { engineCpus: figure, machineCpus: figure } : { engineCpus: figure },
      );
      expect(report.reference.cpu[name].engineCpus, name).toBeGreaterThan(0);
    }
  }, 240_000);
});
