import { type Definition, definitionSchema } from '../engine/definition/definition.schema.ts';

/** Tenant, caseworker and group the benchmark workload runs under. */
export const W1 = { tenant: 'demo', key: 'w1-geburtsurkunde', caseworker: 'bench', group: 'Standesamt' } as const;

/**
 * Workload W1 of BENCHMARKS.md, a birth-certificate request: automatic validation (invalid → rejected), the
 * caseworker task "review", then payment, issuing the document and delivery to the postbox, each a connector
 * step through the job runner, then final.
 */
export function w1Definition(): Definition {
  const person = {
    type: 'object',
    properties: {
      familyName: { type: 'string', minLength: 1, maxLength: 100 },
      givenNames: { type: 'string', minLength: 1, maxLength: 200 },
      dateOfBirth: { type: 'string', format: 'date' },
      placeOfBirth: { type: 'string', minLength: 1, maxLength: 100 },
    },
    required: ['familyName', 'givenNames', 'dateOfBirth', 'placeOfBirth'],
  };
  const applicant = {
    type: 'object',
    properties: {
      relation: { type: 'string', enum: ['self', 'spouse', 'parent', 'child'] },
      familyName: { type: 'string', minLength: 1, maxLength: 100 },
      givenNames: { type: 'string', minLength: 1, maxLength: 200 },
      street: { type: 'string', minLength: 1, maxLength: 200 },
      postalCode: { type: 'string', pattern: '^[0-9]{5}$' },
      city: { type: 'string', minLength: 1, maxLength: 100 },
      email: { type: 'string', format: 'email' },
    },
    required: ['relation', 'familyName', 'givenNames', 'street', 'postalCode', 'city'],
  };
  const request = {
    type: 'object',
    properties: {
      purpose: { type: 'string', maxLength: 200 },
      copies: { type: 'integer', minimum: 1, maximum: 10 },
      delivery: { type: 'string', enum: ['postbox', 'mail'] },
      remarks: { type: 'string', maxLength: 2000 },
    },
    required: ['copies', 'delivery'],
  };
  const service = (connector: string, operation: string, input: Record<string, string>, next: string) => ({
    kind: 'service',
    connector,
    operation,
    input,
    result: { [`${operation}Result`]: 'result' },
    transitions: [
      { on: 'done', target: next },
      { on: 'failed', target: 'rejected' },
    ],
  });
  return definitionSchema.parse({
    schemaVersion: 1,
    key: W1.key,
    title: 'Geburtsurkunde (Benchmark W1)',
    caseNumberPrefix: 'BEN',
    form: { type: 'object', properties: { person, applicant, request }, required: ['person', 'applicant', 'request'] },
    constants: { feeCents: 1200 },
    initial: 'validate',
    states: {
      validate: {
        kind: 'decision',
        status: 'Eingegangen',
        transitions: [
          { target: 'rejected', guard: 'person.familyName = null or request.copies < 1 or request.copies > 10' },
          { target: 'review' },
        ],
      },
      review: {
        kind: 'task',
        title: 'Antrag prüfen',
        group: W1.group,
        status: 'In Bearbeitung',
        due: { workingDays: 5 },
        outcomes: [
          { id: 'approve', label: 'Genehmigen' },
          { id: 'reject', label: 'Ablehnen' },
        ],
        transitions: [
          { on: 'approve', target: 'pay' },
          { on: 'reject', target: 'rejected' },
        ],
      },
      pay: service(
        'bench-payment@1',
        'collect',
        { amountCents: 'feeCents * request.copies', reference: 'caseNumber' },
        'issue',
      ),
      issue: service(
        'bench-document@1',
        'issue',
        { caseNumber: 'caseNumber', familyName: 'person.familyName' },
        'deliver',
      ),
      deliver: service(
        'bench-postbox@1',
        'deliver',
        { recipient: 'trackingCode', subject: '"Ihre Geburtsurkunde"' },
        'issued',
      ),
      issued: { kind: 'final', outcome: 'issued', status: 'Urkunde zugestellt' },
      rejected: { kind: 'final', outcome: 'rejected', status: 'Abgelehnt' },
    },
  });
}

/** A valid W1 application of about 1 KB (JSON), varied by `n`. */
export function w1Application(n: number): Record<string, unknown> {
  return {
    person: {
      familyName: `Mustermann-${n % 997}`,
      givenNames: 'Erika Johanna Friederike',
      dateOfBirth: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
      placeOfBirth: 'Musterstadt an der Beispielach',
    },
    applicant: {
      relation: ['self', 'spouse', 'parent', 'child'][n % 4],
      familyName: `Mustermann-${n % 997}`,
      givenNames: 'Max Alexander',
      street: `Lindenallee ${1 + (n % 200)}`,
      postalCode: String(10000 + (n % 89999)),
      city: 'Musterstadt',
      email: `antrag-${n}@example.org`,
    },
    request: {
      purpose: 'Vorlage beim Standesamt zur Anmeldung der Eheschließung',
      copies: 1 + (n % 3),
      delivery: 'postbox',
      remarks:
        'Bitte senden Sie die Urkunde elektronisch in mein Postfach. Falls Rückfragen bestehen, erreichen Sie mich ' +
        'werktags zwischen 8 und 16 Uhr unter der angegebenen E-Mail-Adresse. Eine beglaubigte Abschrift reicht aus; ' +
        'die Urkunde wird für die Anmeldung der Eheschließung benötigt, die Termine dafür sind bereits vereinbart. ' +
        'Die Gebühr bezahle ich online; eine Rechnung an die oben genannte Anschrift ist nicht nötig. Vielen Dank ' +
        'für die Bearbeitung, mit freundlichen Grüßen. ' +
        `Vorgangsbezug ${n}.`,
    },
  };
}
