import { describe, expect, it } from 'vitest';
import { processIds } from './ids.ts';

describe('process ids', () => {
  it('are UUIDv7, unique and strictly increasing across many refills of the random pool', () => {
    const { id } = processIds();
    const ids = Array.from({ length: 5000 }, () => id());
    for (const value of ids)
      expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The random tail differs between ids made in the same millisecond (not a counter on a fixed value).
    const tails = new Set(ids.map((value) => value.slice(-8)));
    expect(tails.size).toBeGreaterThan(ids.length * 0.99);
  });

  it('carry the current time in their first 48 bits', () => {
    const before = Date.now();
    const value = processIds().id();
    const ms = Number.parseInt(value.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it('make tracking codes of 12 unambiguous characters', () => {
    const { trackingCode } = processIds();
    const codes = Array.from({ length: 1000 }, () => trackingCode());
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
