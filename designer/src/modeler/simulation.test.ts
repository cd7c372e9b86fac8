import { describe, expect, it } from 'vitest';
import { ProcedureRuntime } from '../../../engine/runtime/runtime.ts';
import { sampleDefinition } from '../../../engine/testing/sample-definition.ts';
import { availableEvents, sampleData, simulationVariables } from './simulation.ts';

const env = { now: new Date('2026-03-02T09:00:00Z'), calendar: { land: 'NW' as const }, caseId: 'sim' };

describe('simulation', () => {
  it('offers exactly the events the current state takes, and they walk the sample procedure to its end', () => {
    const definition = sampleDefinition();
    const runtime = new ProcedureRuntime(definition);
    let step = runtime.start({ name: 'Erika', amount: 500 }, env, simulationVariables(definition, env.now));
    expect(step.to).toBe('lookup');
    expect(availableEvents(runtime, step.snapshot, { found: true }).map((e) => e.on)).toEqual(['done', 'failed']);
    const path = [step.to];
    for (const choose of ['done', 'approve', 'payment.paid', 'timeout']) {
      const event = availableEvents(runtime, step.snapshot, { found: true }).find((e) => e.on === choose)!;
      expect(event, choose).toBeDefined();
      step = runtime.send(step.snapshot, event.event, env);
      path.push(step.to);
    }
    expect(path).toEqual(['lookup', 'review', 'pay', 'cooldown', 'approved']);
    expect(step.snapshot.context.vars.found).toBe(true);
    expect(availableEvents(runtime, step.snapshot, {})).toEqual([]);
  });

  it('fills sample data by field kind: choices, dates, numbers, yes/no and groups', () => {
    const data = sampleData(
      {
        properties: {
          person: {
            type: 'object',
            properties: { name: { type: 'string' }, born: { type: 'string', format: 'date' } },
          },
          breed: { type: 'string', oneOf: [{ const: 'dackel', title: 'Dackel' }] },
          dogs: { type: 'integer', minimum: 0 },
          listed: { type: 'boolean' },
          proof: { type: 'string', format: 'data-url' },
        },
      },
      '2026-03-02',
    );
    expect(data).toEqual({
      person: { name: 'Beispiel', born: '2026-03-02' },
      breed: 'dackel',
      dogs: 0,
      listed: true,
    });
  });
});
