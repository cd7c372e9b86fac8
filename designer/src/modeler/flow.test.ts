import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Definition, definitionSchema } from '../../../engine/definition/definition.schema.ts';
import { validateDefinition } from '../../../engine/definition/validate.ts';
import { sampleDefinition } from '../../../engine/testing/sample-definition.ts';
import { edgeId, fromFlow, layoutStates, toFlow } from './flow.ts';

const kinds = ['task', 'service', 'wait', 'decision', 'timer', 'final'] as const;

/** Random schema-valid definitions of every state kind, cycles allowed, with or without stored positions. */
const arbitraryDefinition = fc
  .record({
    specs: fc.array(
      fc.record({
        kind: fc.constantFrom(...kinds),
        title: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
        targets: fc.array(fc.record({ pick: fc.nat(), guard: fc.boolean(), label: fc.boolean() }), { maxLength: 3 }),
        position: fc.option(
          fc.record({ x: fc.integer({ min: -500, max: 500 }), y: fc.integer({ min: -500, max: 500 }) }),
          {
            nil: undefined,
          },
        ),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    initial: fc.nat(),
  })
  .map(({ specs, initial }): Definition => {
    const ids = specs.map((_, i) => `s${i}`);
    const states = Object.fromEntries(
      specs.map((spec, i) => {
        const transitions =
          spec.kind === 'final'
            ? []
            : spec.targets.map((t, k) => ({
                ...(spec.kind === 'decision' ? {} : { on: spec.kind === 'timer' ? 'timeout' : `e${k}` }),
                target: ids[t.pick % ids.length]!,
                ...(t.guard ? { guard: `n > ${k}` } : {}),
                ...(t.label ? { label: `Weg ${k}` } : {}),
              }));
        const common = { title: spec.title, position: spec.position, transitions };
        const byKind = {
          task: { kind: 'task', ...common, title: spec.title ?? `Aufgabe ${i}`, group: 'team' },
          service: { kind: 'service', ...common, connector: 'c@1', operation: 'op', input: { n: 'n' } },
          wait: { kind: 'wait', ...common, timeout: { duration: 'P1D' } },
          decision: { kind: 'decision', ...common },
          timer: { kind: 'timer', ...common, delay: { workingDays: 2 } },
          final: { kind: 'final', ...common, outcome: 'ok', status: 'Erledigt' },
        };
        return [ids[i]!, JSON.parse(JSON.stringify(byKind[spec.kind]))];
      }),
    );
    return definitionSchema.parse({
      schemaVersion: 1,
      key: 'zufall',
      title: 'Zufall',
      caseNumberPrefix: 'ZUF',
      form: { type: 'object', properties: { n: { type: 'integer' } } },
      initial: ids[initial % ids.length],
      states,
    });
  });

function withPositions(definition: Definition): Definition {
  const laidOut = layoutStates(definition);
  return {
    ...definition,
    states: Object.fromEntries(
      Object.entries(definition.states).map(([id, s]) => [id, { ...s, position: s.position ?? laidOut[id] }]),
    ),
  };
}

describe('toFlow / fromFlow', () => {
  it('definition → flow → definition is the identity once every state has a position (property)', () => {
    fc.assert(
      fc.property(arbitraryDefinition, (generated) => {
        expect(definitionSchema.safeParse(generated).success).toBe(true);
        const positioned = withPositions(generated);
        expect(fromFlow(toFlow(positioned), positioned)).toEqual(positioned);
        expect(fromFlow(toFlow(generated), generated)).toEqual(positioned);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the sample procedure (every kind, guards, timeouts) unchanged apart from the laid-out positions', () => {
    const sample = sampleDefinition();
    const round = fromFlow(toFlow(sample), sample);
    expect(Object.values(round.states).every((s) => s.position)).toBe(true);
    expect({ ...round, states: {} }).toEqual({ ...sample, states: {} });
    for (const [id, state] of Object.entries(round.states)) {
      const { position: _, ...without } = state;
      expect(without).toEqual(sample.states[id]);
    }
    expect(validateDefinition(round)).toEqual(validateDefinition(sample));
  });

  it('puts ids and plain values in node and edge data, and marks the initial state', () => {
    const flow = toFlow(sampleDefinition());
    const check = flow.nodes.find((n) => n.id === 'check')!;
    expect(check.data).toEqual({ stateId: 'check', kind: 'decision', label: 'check', initial: true });
    const edge = flow.edges.find((e) => e.id === edgeId('review', 0))!;
    expect(edge).toMatchObject({ source: 'review', target: 'pay', label: 'approve [amount > limit]' });
    expect(edge.data).toEqual({ index: 0, on: 'approve', guard: 'amount > limit' });
    const plain = JSON.parse(JSON.stringify(flow));
    expect(plain).toEqual(flow);
  });

  it('drops removed nodes and edges, keeps transitions to unknown states, and moves the start when its state goes', () => {
    const sample = withPositions(sampleDefinition());
    sample.states.review!.transitions.push({ on: 'timeout', target: 'gibtEsNicht' });
    const flow = toFlow(sample);
    const edited = {
      nodes: flow.nodes.filter((n) => n.id !== 'check'),
      edges: flow.edges.filter((e) => e.id !== edgeId('review', 1)),
    };
    const result = fromFlow(edited, sample);
    expect(result.states.check).toBeUndefined();
    expect(result.initial).toBe('lookup');
    expect(result.states.review!.transitions.map((t) => t.target)).toEqual([
      'pay',
      'rejected',
      'rejected',
      'gibtEsNicht',
    ]);
  });
});
