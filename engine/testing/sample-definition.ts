import { type Definition, definitionSchema } from '../definition/definition.schema.ts';

/** A small procedure touching every state kind; shared by the engine's unit tests. */
export function sampleDefinition(): Definition {
  return definitionSchema.parse({
    schemaVersion: 1,
    key: 'probe',
    title: 'Probeverfahren',
    caseNumberPrefix: 'PRB',
    form: {
      type: 'object',
      properties: {
        name: { type: 'string', title: 'Name' },
        amount: { type: 'integer', title: 'Betrag', minimum: 0 },
      },
      required: ['name'],
    },
    constants: { limit: 100 },
    initial: 'check',
    states: {
      check: {
        kind: 'decision',
        status: 'Eingegangen',
        transitions: [{ target: 'rejected', guard: 'amount < 0' }, { target: 'lookup' }],
      },
      lookup: {
        kind: 'service',
        connector: 'fachverfahren-http@1',
        operation: 'lookup',
        input: { register: '"probe"', query: '{name: name}' },
        result: { found: 'result.found' },
        transitions: [
          { on: 'done', target: 'review' },
          { on: 'failed', target: 'rejected' },
        ],
      },
      review: {
        kind: 'task',
        title: 'Prüfen',
        group: 'team',
        status: 'In Bearbeitung',
        due: { workingDays: 5 },
        timeout: { duration: 'P7D' },
        outcomes: [
          { id: 'approve', label: 'Genehmigen' },
          { id: 'reject', label: 'Ablehnen' },
        ],
        form: { type: 'object', properties: { note: { type: 'string', title: 'Vermerk' } } },
        transitions: [
          { on: 'approve', target: 'pay', guard: 'amount > limit' },
          { on: 'approve', target: 'approved' },
          { on: 'reject', target: 'rejected' },
          { on: 'timeout', target: 'rejected' },
        ],
      },
      pay: {
        kind: 'wait',
        status: 'Zahlung ausstehend',
        timeout: { duration: 'P7D' },
        transitions: [
          { on: 'payment.paid', target: 'cooldown' },
          { on: 'timeout', target: 'rejected' },
        ],
      },
      cooldown: { kind: 'timer', delay: { duration: 'PT1H' }, transitions: [{ on: 'timeout', target: 'approved' }] },
      approved: { kind: 'final', outcome: 'approved', status: 'Abgeschlossen' },
      rejected: { kind: 'final', outcome: 'rejected', status: 'Abgelehnt' },
    },
  });
}
