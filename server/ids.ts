import { randomFillSync } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { V7Generator } from 'uuidv7';
import type { EngineIds } from '../engine/runtime/ports.ts';

/** Tracking codes: 12 characters from 31 unambiguous ones (≈ 59 bits from the CSPRNG), not guessable. */
export const trackingCode = customAlphabet('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 12);

/**
 * Random 32-bit words from the OS CSPRNG, fetched 1,024 at a time. uuidv7's default keeps 8 and refills them
 * through Web Crypto's `getRandomValues`, whose per-call checks were ~2 % of a W1 profile (the engine makes about
 * 20 ids per case: rows, history entries, lease tokens).
 */
class PooledRandom {
  private readonly pool = new Uint32Array(1024);
  private cursor = this.pool.length;

  nextUint32(): number {
    if (this.cursor === this.pool.length) {
      randomFillSync(this.pool);
      this.cursor = 0;
    }
    return this.pool[this.cursor++] as number;
  }
}

/** The ids of one process: UUIDv7 (time-ordered, monotonic within the process) and tracking codes. */
export function processIds(): EngineIds {
  const uuids = new V7Generator(new PooledRandom());
  return { id: () => uuids.generate().toString(), trackingCode };
}
