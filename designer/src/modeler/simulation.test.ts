import { describe, expect, it } from 'vitest';
import { definitionSchema } from '../../../engine/definition/definition.schema.ts';
import { ProcedureRuntime } from '../../../engine/runtime/runtime.ts';
import { sampleDefinition } from '../../../engine/testing/sample-definition.ts';
import { availableEvents, sampleData, simulationVariables, taskCompletion } from './simulation.ts';

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

  it('completes a simulated task with its form data checked by the portal validator, so guards read it', () => {
    const definition = definitionSchema.parse({
      ...sampleDefinition(),
      initial: 'review',
      states: {
        ...sampleDefinition().states,
        review: {
          kind: 'task',
          title: 'Prüfen',
          group: 'team',
          outcomes: [{ id: 'approve', label: 'Genehmigen' }],
          form: {
            type: 'object',
            properties: {
              granted: { type: 'integer', title: 'Bewilligt', minimum: 0 },
              note: { type: 'string', title: 'Vermerk', 'x-visibleIf': 'granted > limit' },
              channel: { type: 'string', title: 'Weg', default: 'post' },
            },
            required: ['granted'],
          },
          transitions: [
            { on: 'approve', target: 'pay', guard: 'granted > limit' },
            { on: 'approve', target: 'approved' },
          ],
        },
      },
    });
    const runtime = new ProcedureRuntime(definition);
    const start = runtime.start({ name: 'Erika' }, env, simulationVariables(definition, env.now));
    const form = definition.states.review?.kind === 'task' ? definition.states.review.form : undefined;
    const vars = start.snapshot.context.vars;

    const missing = taskCompletion(form, 'approve', {}, vars);
    expect(missing).toEqual({ errors: [{ path: 'granted', message: expect.any(String) }] });
    expect(taskCompletion(form, 'approve', { granted: -1 }, vars)).toMatchObject({ errors: [{ path: 'granted' }] });

    const small = taskCompletion(form, 'approve', { granted: 50, note: 'verborgen' }, vars);
    if (!('event' in small)) throw new Error('expected an event');
    expect(small.event).toEqual({ type: 'task:approve', data: { granted: 50, channel: 'post' } });
    expect(runtime.send(start.snapshot, small.event, env).to).toBe('approved');

    const large = taskCompletion(form, 'approve', { granted: 500, note: 'geprüft' }, vars);
    if (!('event' in large)) throw new Error('expected an event');
    const paid = runtime.send(start.snapshot, large.event, env);
    expect(paid.to).toBe('pay');
    expect(paid.snapshot.context.vars).toMatchObject({ granted: 500, note: 'geprüft', channel: 'post' });

    expect(taskCompletion(undefined, 'approve', { anything: 1 }, vars)).toEqual({
      data: {},
      event: { type: 'task:approve', data: {} },
    });
  });
});
