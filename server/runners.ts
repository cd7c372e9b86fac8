import type { Services } from './services.ts';

/**
 * Polls the job and timer runners until stopped; a failing round is logged and retried on the next tick. While
 * they run, the engine leases the jobs its steps enqueue to this process's job runner (eager dispatch), so a
 * connector step starts right after its step committed instead of at the next poll.
 */
export function startRunners(services: Services, options: { jobIntervalMs?: number; timerIntervalMs?: number } = {}) {
  let stopped = false;
  services.engine.dispatchTo(services.jobs);
  const loops: Promise<void>[] = [];
  const loop = (name: string, intervalMs: number, round: () => Promise<number>) =>
    (async () => {
      while (!stopped) {
        let busy = false;
        try {
          busy = (await round()) > 0;
        } catch (error) {
          services.log.error('runner.round.failed', {
            runner: name,
            error: error instanceof Error ? error.name : 'unknown',
          });
        }
        if (!busy && !stopped) await new Promise((r) => setTimeout(r, intervalMs));
      }
    })();
  loops.push(loop('jobs', options.jobIntervalMs ?? 200, () => services.jobs.runOnce()));
  loops.push(loop('timers', options.timerIntervalMs ?? 1000, () => services.timers.runOnce()));
  return {
    /** Stops polling and waits for the rounds under way to finish. */
    async stop() {
      stopped = true;
      services.engine.dispatchTo(undefined);
      await Promise.all([...loops, services.jobs.drain()]);
    },
  };
}
