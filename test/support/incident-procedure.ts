/**
 * A procedure whose only service step (Fachverfahren `send`, one attempt) has no `failed` path: a failure there
 * becomes an incident. The admin console's API and browser tests use it.
 */
export const incidentProcedure = {
  schemaVersion: 1,
  key: 'stoerung-test',
  title: 'Meldung an das Fachverfahren',
  caseNumberPrefix: 'STG',
  form: { type: 'object', properties: { text: { type: 'string', title: 'Text', minLength: 1 } }, required: ['text'] },
  initial: 'senden',
  states: {
    senden: {
      kind: 'service',
      status: 'Eingegangen',
      connector: 'fachverfahren-http@1',
      operation: 'send',
      input: { messageType: '"meldung"', payload: '{text: text}' },
      retry: { maxAttempts: 1, initialDelay: 'PT1S', maxDelay: 'PT1S', factor: 1 },
      transitions: [{ on: 'done', target: 'warten' }],
    },
    warten: {
      kind: 'wait',
      status: 'In Bearbeitung',
      transitions: [{ on: 'unterlagen.eingegangen', target: 'fertig' }],
    },
    fertig: { kind: 'final', outcome: 'erledigt', status: 'Abgeschlossen' },
  },
};
