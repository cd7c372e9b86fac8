import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/**
 * Open tasks the caseworkers compete for (`SCALE_TASKS` runs it smaller on a laptop; the project runs 10,000), and
 * how many caseworkers, each a client of its own.
 */
const TASKS = Number(process.env.SCALE_TASKS ?? 10_000);
const CLIENTS = 50;
const PAGE = 200;
/** A caseworker takes up to this many tasks from one look at the list (then looks again). */
const CLAIMS_PER_LOOK = 5;
/** Listing rounds one client may take; 10,000 tasks over 50 clients need about 40 successful rounds each. */
const MAX_ROUNDS = 1_000;
const GROUP = 'Bauhof';

/** Copies a case with its task $2 times; ids, case numbers and tracking codes of their own, everything else alike. */
const CLONE_CASES = `
  with n as (select g, gen_random_uuid()::text as case_id, gen_random_uuid()::text as task_id
             from generate_series(1, $2::int) g),
  cases_copied as (
    insert into cases (id, tenant_id, procedure_key, procedure_version, case_number, tracking_code, state, status,
                       public_status, outcome, snapshot, version, created_at, updated_at)
    select n.case_id, c.tenant_id, c.procedure_key, c.procedure_version, c.case_number || '-' || n.g,
           upper(substr(md5(n.case_id), 1, 12)), c.state, c.status, c.public_status, c.outcome, c.snapshot, c.version,
           c.created_at, c.updated_at
    from n, cases c where c.id = $1
  )
  insert into tasks (id, tenant_id, case_id, state, title, group_name, assignee, status, outcome, data, due_at,
                     created_at, completed_at, completed_by)
  select n.task_id, t.tenant_id, n.case_id, t.state, t.title, t.group_name, t.assignee, t.status, t.outcome, t.data,
         t.due_at, t.created_at, t.completed_at, t.completed_by
  from n, tasks t where t.case_id = $1`;

type TaskSummary = { id: string; group: string; assignee: string | null; state: string };

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const definition = probeDefinition(
  'schadensmeldung',
  {
    triage: {
      kind: 'task',
      title: 'Meldung sichten',
      group: GROUP,
      outcomes: [{ id: 'accept', label: 'Annehmen' }],
      transitions: [{ on: 'accept', target: 'angenommen' }],
    },
    angenommen: { kind: 'final', outcome: 'accepted', status: 'Angenommen' },
  },
  'triage',
);

describe.skipIf(!TEST_DATABASE_URL)('two server processes on one Postgres database: task claims', () => {
  let drop: () => Promise<void> = async () => {};
  let databaseUrl = '';
  const servers: ServerUnderTest[] = [];

  beforeAll(async () => {
    const db = await freshPostgres(TEST_DATABASE_URL!);
    drop = db.drop;
    databaseUrl = db.url;
    // The first process migrates and seeds the empty database; the second finds it seeded.
    for (let n = 0; n < 2; n++) servers.push(await startServer({ DATABASE_URL: db.url, RUNNER_POLL_MS: '50' }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await drop();
  }, 60_000);

  it(`${CLIENTS} caseworkers claim ${TASKS} tasks through both processes: none twice, none left`, async () => {
    const [a, b] = servers as [ServerUnderTest, ServerUnderTest];
    const calls = [a.call, b.call];
    const usernames = Array.from({ length: CLIENTS }, (_, n) => `bauhof.${String(n + 1).padStart(2, '0')}`);
    await createCaseworkers(a.call, [...usernames, 'aufsicht'], [GROUP]);
    await publish(b.call, definition);

    const started = Date.now();
    // One case comes through the API and the real engine; the other ones are copies of its rows (with ids of their
    // own), written in one statement: the subject here is the claiming, and 10,000 submissions would take minutes.
    const first = await a.call('POST', '/api/applications', { body: { procedure: definition.key, data: { n: 0 } } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const direct = new pg.Client({ connectionString: databaseUrl });
    await direct.connect();
    try {
      await direct.query(CLONE_CASES, [first.body.caseId, TASKS - 1]);
      // Statistics as a database has them after a while in use (autovacuum would gather them within a minute).
      await direct.query('analyze cases; analyze tasks');
    } finally {
      await direct.end();
    }

    const listOpen = async (n: number, token: string, offset: number): Promise<TaskSummary[]> => {
      const path = `/api/tasks?scope=group&state=open&limit=${PAGE}&offset=${offset}`;
      const res = await calls[n % 2]!('GET', path, { token });
      if (res.status !== 200) throw new Error(`task list: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as TaskSummary[];
    };
    const listAllOpen = async (n: number, token: string) => {
      const all: TaskSummary[] = [];
      for (let offset = 0; offset <= 2 * TASKS; offset += PAGE) {
        const page = await listOpen(n, token, offset);
        all.push(...page);
        if (page.length < PAGE) return all;
      }
      throw new Error(`more than ${2 * TASKS} open tasks`);
    };

    const submittedAfter = Date.now() - started;
    const overseer = await login(b.call, 'aufsicht');
    const before = await listAllOpen(0, overseer);
    expect(before).toHaveLength(TASKS);
    expect(before.every((t) => t.group === GROUP && t.assignee === null)).toBe(true);
    const taskIds = new Set(before.map((t) => t.id));

    /** Every 200 of a claim: task id → the users it was answered to. */
    const granted = new Map<string, Set<string>>();
    let claims = 0;
    let conflicts = 0;
    const unexpected: string[] = [];
    const exhausted: string[] = [];

    const client = async (username: string, n: number) => {
      const token = await login(calls[n % 2]!, username);
      /** Unclaimed tasks of the last full listing, tried before listing everything again (the last few tasks). */
      let leftovers: TaskSummary[] = [];
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const via = n + round;
        const offset = Math.floor(Math.random() * (TASKS - PAGE + 1));
        let candidates = (await listOpen(via, token, offset)).filter((t) => t.assignee === null);
        if (candidates.length === 0) {
          if (leftovers.length === 0) leftovers = (await listAllOpen(via, token)).filter((t) => t.assignee === null);
          candidates = leftovers;
        }
        if (candidates.length === 0) return;
        // In random order, so that clients on the same page spread (some still collide).
        let taken = 0;
        for (const task of shuffled(candidates)) {
          leftovers = leftovers.filter((t) => t.id !== task.id);
          const res = await calls[via % 2]!('POST', `/api/tasks/${task.id}/claim`, { token });
          if (res.status === 200) {
            claims++;
            if (res.body.assignee !== username) unexpected.push(`${task.id}: 200 names ${res.body.assignee}`);
            granted.set(task.id, (granted.get(task.id) ?? new Set()).add(username));
            if (++taken === CLAIMS_PER_LOOK) break;
            continue;
          }
          if (res.status === 409) conflicts++;
          else unexpected.push(`${task.id} by ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      exhausted.push(username);
    };
    await Promise.all(usernames.map(client));

    const doubleClaims = [...granted.values()].filter((users) => users.size > 1).length;
    const after = await listAllOpen(1, overseer);
    const unclaimed = after.filter((t) => t.assignee === null).length;
    const wrongAssignee = after.filter((t) => {
      const users = granted.get(t.id);
      return t.assignee !== null && !(users?.size === 1 && users.has(t.assignee));
    });
    console.log(
      `claims (2 processes, Postgres): tasks=${TASKS}, clients=${CLIENTS}, claims=${claims}, conflicts=${conflicts}, ` +
        `doubleClaims=${doubleClaims}, unclaimed=${unclaimed}; set up in ${Math.round(submittedAfter / 1000)} s, ` +
        `claimed in ${Math.round((Date.now() - started - submittedAfter) / 1000)} s`,
    );

    expect({ unexpected: unexpected.slice(0, 10), exhausted, serverErrors: serverErrors(servers) }).toEqual({
      unexpected: [],
      exhausted: [],
      serverErrors: [],
    });
    expect(doubleClaims).toBe(0);
    expect(after.map((t) => t.id).sort()).toEqual([...taskIds].sort());
    expect(unclaimed).toBe(0);
    expect(wrongAssignee.slice(0, 10)).toEqual([]);
    expect(claims).toBe(TASKS);
  }, 420_000);
});
