import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { ConnectorError } from '../../engine/connectors/connector.ts';
import { type CircuitBreakers, CircuitOpenError } from '../../engine/runtime/job-runner.ts';

/** When a breaker opens and how long it stays open. */
export type BreakerSettings = {
  /** Retryable failures in a row that open the breaker; default 5. */
  failureThreshold?: number;
  /** Milliseconds an open breaker waits before it lets one probe call through (half-open); default 30 s. */
  coolDownMs?: number;
};

/** What `GET /api/connectors` shows: `closed` (normal), `open` (calls deferred), `half-open` (a probe runs). */
export type BreakerState = 'closed' | 'open' | 'half-open';

type Entry = { policy: CircuitBreakerPolicy; openedAt: number };

/**
 * One cockatiel circuit breaker per connector and tenant, in this process. Only retryable ConnectorErrors (outside
 * system unreachable, 5xx, timeout) count: a rejected request says nothing about the system's health.
 */
export class CockatielCircuitBreakers implements CircuitBreakers {
  private readonly entries = new Map<string, Entry>();
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;

  constructor(
    settings: BreakerSettings = {},
    private readonly log?: (event: string, fields: Record<string, unknown>) => void,
  ) {
    this.failureThreshold = settings.failureThreshold ?? 5;
    this.coolDownMs = settings.coolDownMs ?? 30_000;
  }

  async run<T>(key: string, call: () => Promise<T>): Promise<T> {
    const entry = this.entry(key);
    try {
      return await entry.policy.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new CircuitOpenError(Math.max(0, entry.openedAt + this.coolDownMs - Date.now()));
      }
      throw error;
    }
  }

  /** The state of a key's breaker; `closed` for one that never ran. */
  state(key: string): BreakerState {
    const state = this.entries.get(key)?.policy.state;
    if (state === CircuitState.Open || state === CircuitState.Isolated) return 'open';
    return state === CircuitState.HalfOpen ? 'half-open' : 'closed';
  }

  private entry(key: string): Entry {
    const existing = this.entries.get(key);
    if (existing) return existing;
    const policy = circuitBreaker(
      handleWhen((error) => error instanceof ConnectorError && error.retryable),
      { halfOpenAfter: this.coolDownMs, breaker: new ConsecutiveBreaker(this.failureThreshold) },
    );
    const entry: Entry = { policy, openedAt: 0 };
    const [tenant, connector] = key.split(' ');
    policy.onBreak(() => {
      entry.openedAt = Date.now();
      this.log?.('connector.circuit.opened', { tenant, connector, coolDownMs: this.coolDownMs });
    });
    policy.onReset(() => this.log?.('connector.circuit.closed', { tenant, connector }));
    this.entries.set(key, entry);
    return entry;
  }
}
