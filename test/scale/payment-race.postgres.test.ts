import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimited } from '../races/race-support.ts';
import type { Reply } from '../support/http.ts';
import { freshPostgres, TEST_DATABASE_URL } from '../support/postgres.ts';
import {
  createCaseworkers,
  login,
  probeDefinition,
  publish,
  type ServerUnderTest,
  serverErrors,
  startServer,
} from './scale-support.ts';

const RACES = 1000;
/** Races under way at once, each a notification and a completion sent together to different processes. */
const CONCURRENT = 20;
const GROUP = 'Kasse';

/**
 * A caseworker approves, then the case waits for the payment notification. A notification that comes in before the
 * approval finds the case not waiting (409) and is sent again by the provider, as a payment provider repeats every
 * notification that was not answered 200.
 */
const definition = probeDefinition(
  'zahlungsrennen',
  {
    review: {
      kind: 'task',
      title: 'Antrag prüfen',
      group: GROUP,
      outcomes: [{ id: 'approve', label: 'Genehmigen' }],
      transitions: [{ on: 'approve', target: 'awaitPayment' }],
    },
    awaitPayment: {
      kind: 'wait',
      status: 'Zahlung ausstehend',
      transitions: [{ on: 'payment.paid', target: 'bezahlt' }],
    },
    bezahlt: { kind: 'final', outcome: 'paid', status: 'Bezahlt' },
  },
  'review',
);

type HistoryEntry = { kind: string; event: string | null; fromState: string | null; toState: string | null };

describe.skipIf(!TEST_DATABASE_URL)('two server processes on one Postgres database: event races on one case', () => {
  let drop: () => Promise<void> = async () => {};
  const servers: ServerUnderTest[] = [];

  beforeAll(async () => {
    const db = await freshPostgres(TEST_DATABASE_URL!);
    drop = db.drop;
    for (let n = 0; n < 2; n++) servers.push(await startServer({ DATABASE_URL: db.url, RUNNER_POLL_MS: '50' }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await drop();
  }, 60_000);

  it(`${RACES} races of a payment notification and a task completion: every accepted event once in the history`, async () => {
    const calls = servers.map((s) => s.call);
    await createCaseworkers(calls[0]!, ['kasse.1'], [GROUP]);
    await publish(calls[1]!, definition);
    const clerk = await login(calls[0]!, 'kasse.1');
    const office = await login(calls[1]!, 'kasse.1');
    const tokens = [clerk, office];

    const numbers = Array.from({ length: RACES }, (_, n) => n);
    const cases = await mapLimited(numbers, 16, async (n) => {
      const res = await calls[n % 2]!('POST', '/api/applications', {
        body: { procedure: definition.key, data: { n } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const caseId = res.body.caseId as string;
      const detail = await calls[n % 2]!('GET', `/api/cases/${caseId}`, { token: tokens[n % 2] });
      const taskId = (detail.body.tasks as { id: string; status: string }[]).find((t) => t.status === 'open')!.id;
      const claimed = await calls[(n + 1) % 2]!('POST', `/api/tasks/${taskId}/claim`, { token: tokens[(n + 1) % 2] });
      expect(claimed.status).toBe(200);
      return { caseId, taskId };
    });

    const accepted = { completions: new Map<string, number>(), notifications: new Map<string, number>() };
    const count = (map: Map<string, number>, caseId: string) => map.set(caseId, (map.get(caseId) ?? 0) + 1);
    const unexpected: string[] = [];
    let notifiedFirst = 0;
    const notify = (n: number, caseId: string) =>
      calls[n % 2]!('POST', `/api/cases/${caseId}/messages`, { token: tokens[n % 2], body: { name: 'payment.paid' } });
    const complete = (n: number, taskId: string) =>
      calls[(n + 1) % 2]!('POST', `/api/tasks/${taskId}/complete`, {
        token: tokens[(n + 1) % 2],
        body: { outcome: 'approve' },
      });
    const note = (what: string, res: Reply) => unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);

    await mapLimited(cases, CONCURRENT, async ({ caseId, taskId }, n) => {
      const [notification, completion] = await Promise.all([notify(n, caseId), complete(n, taskId)]);
      if (completion.status === 200) count(accepted.completions, caseId);
      else note(`completion ${caseId}`, completion);
      if (notification.status === 200) {
        count(accepted.notifications, caseId);
        notifiedFirst++;
        return;
      }
      if (notification.status !== 409) note(`notification ${caseId}`, notification);
      // The provider repeats a notification that was not answered 200.
      const repeated = await notify(n + 1, caseId);
      if (repeated.status === 200) count(accepted.notifications, caseId);
      else note(`repeated notification ${caseId}`, repeated);
    });

    const problems: string[] = [];
    await mapLimited(cases, 16, async ({ caseId }, n) => {
      const detail = await calls[n % 2]!('GET', `/api/cases/${caseId}`, { token: tokens[n % 2] });
      const history = detail.body.history as HistoryEntry[];
      const times = (event: string) => history.filter((h) => h.kind === 'transition' && h.event === event).length;
      const expected = {
        state: 'bezahlt',
        completions: accepted.completions.get(caseId) ?? 0,
        notifications: accepted.notifications.get(caseId) ?? 0,
      };
      const found = {
        state: detail.body.state,
        completions: times('task:approve'),
        notifications: times('message:payment.paid'),
      };
      if (JSON.stringify(found) !== JSON.stringify({ ...expected })) {
        problems.push(`${caseId}: history ${JSON.stringify(found)}, accepted ${JSON.stringify(expected)}`);
      }
      if (expected.completions !== 1 || expected.notifications !== 1) {
        problems.push(`${caseId}: accepted ${JSON.stringify(expected)}`);
      }
    });
    console.log(
      `payment race: races=${RACES}, notification accepted first=${notifiedFirst}, ` +
        `repeated=${RACES - notifiedFirst}, problems=${problems.length}`,
    );
    expect(unexpected.slice(0, 10)).toEqual([]);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(serverErrors(servers)).toEqual([]);
  }, 175_000);
});
