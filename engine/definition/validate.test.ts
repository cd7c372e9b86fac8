import { describe, expect, it } from 'vitest';
import { sampleDefinition } from '../testing/sample-definition.ts';
import { stateSchema } from './definition.schema.ts';
import { validateDefinition } from './validate.ts';

const catalog = {
  'fachverfahren-http@1': {
    operations: { lookup: { inputFields: ['register', 'query'] }, send: { inputFields: ['messageType', 'payload'] } },
  },
};

describe('definition validator', () => {
  it('accepts a sound definition', () => {
    expect(validateDefinition(sampleDefinition(), { groups: ['team'], connectors: catalog })).toEqual([]);
  });

  it('reports schema errors with their path', () => {
    const def = {
      ...sampleDefinition(),
      key: 'Bad Key',
      states: { ...sampleDefinition().states, x: { kind: 'teleport' } },
    };
    const problems = validateDefinition(def);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['key', 'states.x.kind']));
    expect(problems.every((p) => p.code === 'schema')).toBe(true);
  });

  it('reports every problem at once', () => {
    const def = sampleDefinition();
    def.states.orphan = stateSchema.parse({ kind: 'task', title: 'Verwaist', group: 'nobody', transitions: [] });
    def.states.lookup = stateSchema.parse({ ...def.states.lookup, connector: 'fax@1' });
    def.states.check!.transitions[0]!.guard = 'amount <';
    def.states.review!.transitions[3]!.target = 'nirgendwo';
    def.states.pay!.transitions[0]!.guard = 'iban != null';
    const problems = validateDefinition(def, { groups: ['team'], connectors: catalog });
    const codes = problems.map((p) => `${p.code}@${p.path}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'unreachable@states.orphan',
        'no-way-out@states.orphan.transitions',
        'unknown-group@states.orphan.group',
        'unknown-connector@states.lookup.connector',
        'invalid-expression@states.check.transitions.0.guard',
        'unknown-target@states.review.transitions.3.target',
        'undefined-variable@states.pay.transitions.0.guard',
        'outcome-without-transition@states.orphan.outcomes',
      ]),
    );
    expect(problems.find((p) => p.code === 'unreachable')?.stateId).toBe('orphan');
  });

  it('checks events per state kind, the decision default and connector operations and inputs', () => {
    const def = sampleDefinition();
    def.states.cooldown!.transitions[0]!.on = 'ring';
    def.states.check!.transitions = [{ target: 'lookup', guard: 'amount > 0' }];
    def.states.lookup = stateSchema.parse({ ...def.states.lookup, operation: 'fly', input: {} });
    const problems = validateDefinition(def, { connectors: catalog });
    expect(problems.map((p) => p.code).sort()).toEqual(['invalid-event', 'no-default', 'unknown-operation']);

    const other = sampleDefinition();
    other.states.lookup = stateSchema.parse({ ...other.states.lookup, input: { register: '"x"', color: '"red"' } });
    expect(validateDefinition(other, { connectors: catalog }).map((p) => p.path)).toEqual([
      'states.lookup.input.color',
    ]);
  });

  it('flags an imported service step that is not bound to a connector', () => {
    const def = sampleDefinition();
    def.states.lookup = stateSchema.parse({ ...def.states.lookup, connector: '', operation: '' });
    expect(validateDefinition(def).map((p) => p.code)).toEqual(['unbound-connector']);
  });
});
