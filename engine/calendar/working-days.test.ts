import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, addWorkingDays, addWorkingDaysUncached, dueDate, parseInstant } from './working-days.ts';

describe('working-day calendar', () => {
  it('skips weekends and the Land’s public holidays and ends at 24:00 Berlin time', () => {
    // Monday 21 Dec 2026 + 5 working days in NRW: 22, 23, 24, 28, 29 (25/26 Dec holidays, weekend).
    expect(addWorkingDays(new Date('2026-12-21T10:00:00Z'), 5, { land: 'NW' }).toISOString()).toBe(
      '2026-12-29T22:59:59.999Z',
    );
  });

  it('knows regional holidays: Corpus Christi counts in Bavaria but not in Berlin', () => {
    const wednesday = new Date('2026-06-03T08:00:00Z'); // Fronleichnam is Thursday 4 June 2026
    expect(addWorkingDays(wednesday, 1, { land: 'BY' }).toISOString()).toBe('2026-06-05T21:59:59.999Z');
    expect(addWorkingDays(wednesday, 1, { land: 'BE' }).toISOString()).toBe('2026-06-04T21:59:59.999Z');
  });

  it('honours local days off of the tenant', () => {
    const monday = new Date('2026-03-02T08:00:00Z');
    expect(addWorkingDays(monday, 1, { land: 'NW', extraHolidays: ['2026-03-03'] }).toISOString()).toBe(
      '2026-03-04T22:59:59.999Z',
    );
  });

  it('adds ISO durations in calendar time across the DST switch', () => {
    // 28 March 2026 12:00 CET + P1D = 29 March 12:00 CEST (23 hours later).
    const from = new Date('2026-03-28T11:00:00Z');
    expect(addDuration(from, 'P1D').toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect(addDuration(from, 'PT90M').toISOString()).toBe('2026-03-28T12:30:00.000Z');
    expect(dueDate(from, { duration: 'P7D' }, { land: 'NW' }).toISOString()).toBe('2026-04-04T10:00:00.000Z');
  });

  it('reads computed instants: a date is due 08:00 Berlin time, date-times keep their zone, a past instant is due now', () => {
    expect(parseInstant('2026-03-11')?.toISOString()).toBe('2026-03-11T07:00:00.000Z');
    expect(parseInstant('2026-07-11')?.toISOString()).toBe('2026-07-11T06:00:00.000Z');
    expect(parseInstant('2026-03-11T10:00:00@Europe/Berlin')?.toISOString()).toBe('2026-03-11T09:00:00.000Z');
    expect(parseInstant('2026-03-11T10:00:00Z')?.toISOString()).toBe('2026-03-11T10:00:00.000Z');
    expect(parseInstant('nächste Woche')).toBeUndefined();
    expect(parseInstant(null)).toBeUndefined();
    const now = new Date('2026-03-02T09:00:00Z');
    expect(dueDate(now, { at: 'x' }, { land: 'NW' }, '2026-03-09').toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(dueDate(now, { at: 'x' }, { land: 'NW' }, '2026-02-01')).toEqual(now);
    expect(dueDate(now, { at: 'x' }, { land: 'NW' }, null)).toEqual(now);
  });

  it('property: n working days later is never a weekend, always later, and monotonic in n', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 40 }),
        (from, n) => {
          const due = addWorkingDays(from, n, { land: 'NW' });
          const next = addWorkingDays(from, n + 1, { land: 'NW' });
          const weekday = new Date(due.getTime() - 60_000).toLocaleDateString('en-US', {
            weekday: 'short',
            timeZone: 'Europe/Berlin',
          });
          return due > from && next > due && weekday !== 'Sat' && weekday !== 'Sun';
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: the per-day memo answers exactly what the computation answers, around midnight and DST too', () => {
    const instants = fc.oneof(
      fc.date({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
      // Berlin midnights and the DST switches, give or take a few milliseconds and hours
      fc
        .tuple(
          fc.constantFrom(
            '2026-03-28T23:00:00Z',
            '2026-03-29T00:59:59Z',
            '2026-10-24T22:00:00Z',
            '2026-12-31T23:00:00Z',
          ),
          fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }),
        )
        .map(([iso, offset]) => new Date(new Date(iso).getTime() + offset)),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(instants, fc.integer({ min: 1, max: 12 }), fc.constantFrom('NW', 'BY', 'BE')), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.constantFrom([], ['2026-03-30', '2026-12-30']),
        (calls, extraHolidays) => {
          for (const [from, n, land] of calls) {
            const settings = { land: land as 'NW' | 'BY' | 'BE', extraHolidays };
            expect(addWorkingDays(from, n, settings)).toEqual(addWorkingDaysUncached(from, n, settings));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
