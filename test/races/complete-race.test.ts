import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { defectReport, mapLimited, ROUTES, type Route } from './race-support.ts';

/** Races per variant; each one is a fresh case whose triage task two requests try to complete at once. */
const REPETITIONS = 1000;
/** Races (and setup requests) under way at the same time. */
const CONCURRENCY = 10;
const CLAIM_RACES = 300;

const SECOND_WORKER = 'zweite.kraft';
const SECOND_PASSWORD = 'zweite-kraft-2026';

/** Valid triage form data for each outcome (the application has no e-mail address, so no job follows). */
const COMPLETIONS = {
  accept: { priority: 'high', internalNote: 'Gefahrenstelle, sofort sichern.' },
  reject: { responsibleAuthority: 'Straßen.NRW, Regionalniederlassung Ruhr' },
  duplicate: { duplicateOf: 'MAE-2026-000001' },
} as const;
type Outcome = keyof typeof COMPLETIONS;

/** Where the case must stand after the triage was completed with `outcome`. */
function stateAfter(route: Route, outcome: Outcome): string {
  if (outcome === 'accept') return route.work;
  return outcome === 'reject' ? 'notResponsible' : 'duplicate';
}

type Triage = { caseId: string; taskId: string; route: Route };
type Session = { username: string; token: string };
type Attempt = Session & { outcome: Outcome };
type HistoryEntry = { kind: string; fromState: string | null; event: string | null };
type CaseTask = { id: string; state: string; status: string; assignee: string | null; outcome: string | null };

describe.each(dialectsUnderTest())('one task, two requests at once, on $name', (dialect) => {
  let h: Harness;
  let drop: () => Promise<void> = async () => {};
  /** Two sessions of the demo caseworker, and one of a second caseworker in the same groups. */
  let first: Session;
  let again: Session;
  let second: Session;

  beforeAll(async () => {
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({ databaseUrl: db.databaseUrl });
    const admin = await h.login('admin');
    const created = await h.call('POST', '/api/admin/users', {
      token: admin,
      body: {
        username: SECOND_WORKER,
        password: SECOND_PASSWORD,
        roles: ['caseworker'],
        groups: ROUTES.map((r) => r.group),
      },
    });
    expect(created.status).toBe(201);
    first = { username: 'sachbearbeitung', token: await h.login('sachbearbeitung') };
    again = { username: 'sachbearbeitung', token: await h.login('sachbearbeitung') };
    second = { username: SECOND_WORKER, token: await h.login(SECOND_WORKER, SECOND_PASSWORD) };
    expect(again.token).not.toBe(first.token);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await drop();
  });

  /** Submits `count` applications (spread over the three triage groups) and returns each one's open triage task. */
  async function openTriageTasks(count: number): Promise<Triage[]> {
    const numbers = Array.from({ length: count }, (_, n) => n);
    return mapLimited(numbers, CONCURRENCY, async (n) => {
      const route = ROUTES[n % ROUTES.length]!;
      const submitted = await h.call('POST', '/api/applications', {
        body: { procedure: 'maengelmelder', data: defectReport(route.category, n) },
      });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      const detail = await h.call('GET', `/api/cases/${submitted.body.caseId}`, { token: first.token });
      const tasks = detail.body.tasks as CaseTask[];
      expect(tasks).toEqual([expect.objectContaining({ state: route.triage, status: 'open', assignee: null })]);
      return { caseId: submitted.body.caseId as string, taskId: tasks[0]!.id, route };
    });
  }

  const complete = (taskId: string, attempt: Attempt) =>
    h.call('POST', `/api/tasks/${taskId}/complete`, {
      token: attempt.token,
      body: { outcome: attempt.outcome, data: COMPLETIONS[attempt.outcome] },
    });

  /**
   * `holder` claims the task, then both attempts complete it at once. Returns what went wrong (empty when exactly
   * one request won, the other got 409, and the case took exactly the winner's step once).
   */
  async function race(triage: Triage, holder: Session, attempts: [Attempt, Attempt]): Promise<string[]> {
    const label = `task ${triage.taskId} (${triage.route.triage})`;
    const claimed = await h.call('POST', `/api/tasks/${triage.taskId}/claim`, { token: holder.token });
    if (claimed.status !== 200) return [`${label}: claim by ${holder.username} answered ${claimed.status}`];

    const replies = await Promise.all(attempts.map((attempt) => complete(triage.taskId, attempt)));
    const statuses = replies.map((r) => r.status);
    const won = replies.findIndex((r) => r.status === 200);
    if ([...statuses].sort().join() !== '200,409') return [`${label}: completions answered ${statuses.join(' and ')}`];
    const winner = attempts[won]!;
    const expectedState = stateAfter(triage.route, winner.outcome);
    const problems: string[] = [];
    if (winner.username !== holder.username) problems.push(`${label}: ${winner.username} won without the claim`);
    if (replies[won]!.body.state !== expectedState) {
      problems.push(`${label}: the 200 reports state ${replies[won]!.body.state}`);
    }

    const detail = await h.call('GET', `/api/cases/${triage.caseId}`, { token: first.token });
    const history = detail.body.history as HistoryEntry[];
    const completions = history
      .filter((e) => e.fromState === triage.route.triage && e.event?.startsWith('task:'))
      .map((e) => e.event);
    if (completions.join() !== `task:${winner.outcome}`) {
      problems.push(`${label}: history has [${completions.join(', ')}] instead of task:${winner.outcome} once`);
    }
    const steps = history.filter((e) => e.kind === 'transition').length;
    if (steps !== 1) problems.push(`${label}: the case took ${steps} steps instead of 1`);
    if (detail.body.state !== expectedState) {
      problems.push(`${label}: the case stands in ${detail.body.state} instead of ${expectedState}`);
    }
    const tasks = detail.body.tasks as (CaseTask & { completedBy: string | null })[];
    const task = tasks.find((t) => t.id === triage.taskId);
    if (task?.status !== 'done' || task.outcome !== winner.outcome || task.completedBy !== holder.username) {
      problems.push(`${label}: the task row is ${JSON.stringify(task)}`);
    }
    const open = tasks.filter((t) => t.status === 'open').map((t) => t.state);
    const expectedOpen = winner.outcome === 'accept' ? [triage.route.work] : [];
    if (open.join() !== expectedOpen.join()) {
      problems.push(`${label}: open tasks [${open.join(', ')}] instead of [${expectedOpen.join(', ')}]`);
    }
    return problems;
  }

  /** A readable verdict: how many races went wrong and the first few reasons. */
  const verdict = (problems: string[][]) => {
    const failed = problems.filter((p) => p.length > 0);
    return { failedRaces: failed.length, firstProblems: failed.slice(0, 10).flat() };
  };

  it(`two sessions of the claiming caseworker complete it at once ${REPETITIONS} times: one 200, one 409, one step`, async () => {
    const triages = await openTriageTasks(REPETITIONS);
    const problems = await mapLimited(triages, CONCURRENCY, (triage, n) => {
      // Different outcomes, so the history shows whose completion was applied; the order alternates.
      const mine: Attempt = { ...first, outcome: 'accept' };
      const other: Attempt = { ...again, outcome: n % 4 < 2 ? 'reject' : 'duplicate' };
      return race(triage, first, n % 2 === 0 ? [mine, other] : [other, mine]);
    });
    expect(verdict(problems)).toEqual({ failedRaces: 0, firstProblems: [] });
  }, 170_000);

  it(`the claim holder and another caseworker complete it at once ${REPETITIONS} times: the holder wins once`, async () => {
    const triages = await openTriageTasks(REPETITIONS);
    const problems = await mapLimited(triages, CONCURRENCY, (triage, n) => {
      const [holder, other] = n % 2 === 0 ? [first, second] : [second, first];
      const held: Attempt = { ...holder, outcome: n % 3 === 0 ? 'duplicate' : 'accept' };
      const foreign: Attempt = { ...other, outcome: 'reject' };
      return race(triage, holder, n % 4 < 2 ? [held, foreign] : [foreign, held]);
    });
    expect(verdict(problems)).toEqual({ failedRaces: 0, firstProblems: [] });
  }, 170_000);

  it(`two caseworkers claim the same open task at once ${CLAIM_RACES} times: one 200, one 409`, async () => {
    const triages = await openTriageTasks(CLAIM_RACES);
    const problems = await mapLimited(triages, CONCURRENCY, async (triage, n) => {
      const label = `task ${triage.taskId}`;
      const contenders = n % 2 === 0 ? [first, second] : [second, first];
      const replies = await Promise.all(
        contenders.map((c) => h.call('POST', `/api/tasks/${triage.taskId}/claim`, { token: c.token })),
      );
      const statuses = replies.map((r) => r.status);
      if ([...statuses].sort().join() !== '200,409') return [`${label}: claims answered ${statuses.join(' and ')}`];
      const won = replies.findIndex((r) => r.status === 200);
      const winner = contenders[won]!.username;
      const problems: string[] = [];
      if (replies[won]!.body.assignee !== winner)
        problems.push(`${label}: the 200 names ${replies[won]!.body.assignee}`);
      if (replies[1 - won]!.body.assignee !== winner) {
        problems.push(`${label}: the 409 names ${replies[1 - won]!.body.assignee} instead of ${winner}`);
      }
      const detail = await h.call('GET', `/api/cases/${triage.caseId}`, { token: first.token });
      const task = (detail.body.tasks as CaseTask[]).find((t) => t.id === triage.taskId);
      if (task?.assignee !== winner || task.status !== 'open') {
        problems.push(`${label}: the task row is ${JSON.stringify(task)}, the winner ${winner}`);
      }
      return problems;
    });
    expect(verdict(problems)).toEqual({ failedRaces: 0, firstProblems: [] });
  }, 120_000);
});
