import type { CaseEngine } from './case-engine.ts';
import type { EngineClock, EngineStore } from './ports.ts';

/** Fires due timers; each fires once even with several runners, because firing is a conditional update. */
export class TimerRunner {
  constructor(
    private readonly options: { store: EngineStore; engine: CaseEngine; clock: EngineClock; batchSize?: number },
  ) {}

  /** Fires the timers due now; resolves with how many it fired. */
  async runOnce(): Promise<number> {
    const timers = await this.options.store.dueTimers(this.options.clock.now(), this.options.batchSize ?? 100);
    let fired = 0;
    let failure: unknown;
    for (const timer of timers) {
      // One timer that cannot fire (its case is broken) must not hold up the others; the round reports it.
      try {
        if (await this.options.engine.fireTimer(timer)) fired++;
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
    return fired;
  }
}
