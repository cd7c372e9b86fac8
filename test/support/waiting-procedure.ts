/**
 * A procedure that waits for documents with a 14-day deadline: a message (`documents.received`) or the deadline ends
 * it. The designer's test-run API and browser tests send it what would come from outside.
 */
export const waitingProcedure = {
  schemaVersion: 1,
  key: 'unterlagen-test',
  title: 'Unterlagen nachreichen (Test)',
  caseNumberPrefix: 'UNT',
  form: { type: 'object', properties: { name: { type: 'string', title: 'Name', minLength: 1 } }, required: ['name'] },
  initial: 'awaitDocuments',
  states: {
    awaitDocuments: {
      kind: 'wait',
      title: 'Auf Unterlagen warten',
      status: 'Unterlagen angefordert',
      timeout: { duration: 'P14D' },
      transitions: [
        { on: 'documents.received', target: 'complete' },
        { on: 'timeout', target: 'expired' },
      ],
    },
    complete: { kind: 'final', outcome: 'complete', status: 'Vollständig' },
    expired: { kind: 'final', outcome: 'expired', status: 'Frist abgelaufen' },
  },
};
