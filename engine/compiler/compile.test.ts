import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Definition, definitionSchema, type State } from '../definition/definition.schema.ts';
import { allowedEvents, validateDefinition } from '../definition/validate.ts';
import { ProcedureRuntime } from '../runtime/runtime.ts';
import { type CaseEvent, eventType } from './compile.ts';

const env = { now: new Date('2026-03-02T09:00:00Z'), calendar: { land: 'NW' as const }, caseId: 'c1' };

/**
 * Random acyclic procedures: state i only leads to states after it, the last states are finals, so every
 * walk ends. Kinds, outcomes and guards vary.
 */
const arbitraryDefinition = fc.integer({ min: 2, max: 9 }).chain((size) =>
  fc
    .array(
      fc.record({
        kind: fc.constantFrom('task', 'service', 'wait', 'decision', 'timer'),
        outcomes: fc.integer({ min: 1, max: 3 }),
        threshold: fc.integer({ min: 0, max: 10 }),
        targets: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
      }),
      { minLength: size, maxLength: size },
    )
    .map((specs) => {
      const states: Record<string, unknown> = {
        ende: { kind: 'final', outcome: 'ok', status: 'Erledigt' },
        abbruch: { kind: 'final', outcome: 'nein', status: 'Abgelehnt' },
      };
      const ids = specs.map((_, i) => `s${i}`);
      const after = (i: number, pick: number) => {
        const later = [...ids.slice(i + 1), 'ende', 'abbruch'];
        return later[pick % later.length]!;
      };
      specs.forEach((spec, i) => {
        const [a = 0, b = 0, c = 0] = spec.targets;
        switch (spec.kind) {
          case 'task': {
            const outcomes = Array.from({ length: spec.outcomes }, (_, k) => ({ id: `o${k}`, label: `Ergebnis ${k}` }));
            states[ids[i]!] = {
              kind: 'task',
              title: `Aufgabe ${i}`,
              group: 'team',
              outcomes,
              transitions: outcomes.map((o, k) => ({ on: o.id, target: after(i, [a, b, c][k] ?? 0) })),
            };
            break;
          }
          case 'service':
            states[ids[i]!] = {
              kind: 'service',
              connector: 'c@1',
              operation: 'op',
              input: { n: 'n' },
              result: { n: 'result.n' },
              transitions: [
                { on: 'done', target: after(i, a) },
                { on: 'failed', target: after(i, b) },
              ],
            };
            break;
          case 'wait':
            states[ids[i]!] = {
              kind: 'wait',
              timeout: { duration: 'P1D' },
              transitions: [
                { on: 'eingang', target: after(i, a) },
                { on: 'timeout', target: after(i, b) },
              ],
            };
            break;
          case 'decision':
            states[ids[i]!] = {
              kind: 'decision',
              transitions: [{ target: after(i, a), guard: `n > ${spec.threshold}` }, { target: after(i, b) }],
            };
            break;
          case 'timer':
            states[ids[i]!] = {
              kind: 'timer',
              delay: { workingDays: 2 },
              transitions: [{ on: 'timeout', target: after(i, a) }],
            };
            break;
        }
      });
      return definitionSchema.parse({
        schemaVersion: 1,
        key: 'zufall',
        title: 'Zufall',
        caseNumberPrefix: 'ZUF',
        form: { type: 'object', properties: { n: { type: 'integer' } } },
        initial: 's0',
        states,
      });
    }),
);

function eventsOf(state: State): CaseEvent[] {
  const names = state.kind === 'wait' ? state.transitions.map((t) => t.on ?? '') : (allowedEvents(state) ?? []);
  return [...new Set(names)].map((on) => {
    const type = eventType(state, on);
    return type === 'job:done'
      ? { type, result: { n: 3 } }
      : type === 'job:failed'
        ? { type, error: { code: 'x', message: 'y' } }
        : ({ type } as CaseEvent);
  });
}

describe('compiler and runtime (property)', () => {
  it('every random valid procedure walks to a final state taking only the events its states accept', () => {
    fc.assert(
      fc.property(
        arbitraryDefinition,
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
        (def: Definition, n, choices) => {
          const reachable = validateDefinition(def).filter((p) => p.code !== 'unreachable');
          expect(reachable).toEqual([]);
          const runtime = new ProcedureRuntime(def);
          let step = runtime.start({ n }, env);
          for (const choice of choices) {
            const state = def.states[step.to]!;
            expect(state.kind).not.toBe('decision');
            if (state.kind === 'final') break;
            const events = eventsOf(state);
            expect(runtime.accepts(step.snapshot, { type: 'message:nie-erwartet' })).toBe(false);
            for (const event of events) expect(runtime.accepts(step.snapshot, event)).toBe(true);
            const snapshot = JSON.parse(JSON.stringify(step.snapshot));
            step = runtime.send(snapshot, events[choice % events.length]!, env);
          }
          expect(def.states[step.to]?.kind).toBe('final');
          expect(step.snapshot.status).toBe('done');
        },
      ),
      { numRuns: 200 },
    );
  });
});
