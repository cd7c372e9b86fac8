import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ServerProcess } from '../crash/server-process.ts';
import { mapLimited } from '../races/race-support.ts';
import { httpClient } from '../support/http.ts';
import { createCaseworkers, login, PASSWORD, probeDefinition, publish } from './scale-support.ts';

/** Completions sent at once; the server is killed while they are answered. */
const BURST = 1000;
/** SIGKILL after this many completions were answered 200: the kill hits the middle of the burst. */
const KILL_AFTER = 300;
const GROUP = 'Prüfung';

const definition = probeDefinition(
  'gruppen-commit',
  {
    review: {
      kind: 'task',
      title: 'Prüfen',
      group: GROUP,
      outcomes: [{ id: 'done', label: 'Erledigt' }],
      transitions: [{ on: 'done', target: 'erledigt' }],
    },
    erledigt: { kind: 'final', outcome: 'done', status: 'Erledigt' },
  },
  'review',
);

const dataDir = mkdtempSync(join(tmpdir(), 'verfahren-group-commit-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SQLite group commit (synchronous=FULL)', () => {
  it(`keeps every completion answered 2xx when killed -9 in a burst of ${BURST}`, async () => {
    const port = await freePort();
    const call = httpClient(`http://127.0.0.1:${port}`);
    server = new ServerProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SECRETS_KEY: Buffer.alloc(32, 4).toString('base64'),
      SEED_DEMO: 'true',
      DEMO_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
    });
    await server.start();
    await createCaseworkers(call, ['pruefer'], [GROUP]);
    await publish(call, definition);
    const numbers = Array.from({ length: BURST }, (_, n) => n);
    await mapLimited(numbers, 16, async (n) => {
      const res = await call('POST', '/api/applications', { body: { procedure: definition.key, data: { n } } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
    const token = await login(call, 'pruefer');
    const taskIds: string[] = [];
    for (let offset = 0; offset < 2 * BURST; offset += 200) {
      const page = await call('GET', `/api/tasks?scope=group&state=open&limit=200&offset=${offset}`, { token });
      taskIds.push(...(page.body as { id: string }[]).map((t) => t.id));
      if (page.body.length < 200) break;
    }
    expect(taskIds).toHaveLength(BURST);
    await mapLimited(taskIds, 16, async (id) => {
      expect((await call('POST', `/api/tasks/${id}/claim`, { token })).status).toBe(200);
    });

    // The burst: every completion at once; the 300th 200 answer pulls the plug.
    const acknowledged: string[] = [];
    const otherAnswers: string[] = [];
    let killed: Promise<void> | undefined;
    await Promise.all(
      taskIds.map(async (id) => {
        try {
          const res = await call('POST', `/api/tasks/${id}/complete`, { token, body: { outcome: 'done' } });
          if (res.status === 200) {
            acknowledged.push(id);
            if (acknowledged.length === KILL_AFTER) killed = server!.kill();
          } else otherAnswers.push(`${res.status} ${JSON.stringify(res.body)}`);
        } catch {
          // killed before it answered: the outcome is unknown, either way is correct
        }
      }),
    );
    await killed;
    expect(otherAnswers).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    await server.start();
    const after = await login(call, 'pruefer');
    const states = await mapLimited(taskIds, 16, async (id) => {
      const res = await call('GET', `/api/tasks/${id}`, { token: after });
      expect(res.status).toBe(200);
      const caseRes = await call('GET', `/api/cases/${res.body.caseId}`, { token: after });
      return { id, task: res.body.state as string, case: caseRes.body.state as string };
    });
    const byId = new Map(states.map((s) => [s.id, s]));
    const lost = acknowledged.filter((id) => byId.get(id)?.task !== 'done');
    // Atomic steps: a done task has its case final, an open task its case still at the review.
    const torn = states.filter((s) => (s.task === 'done') !== (s.case === 'erledigt'));
    const done = states.filter((s) => s.task === 'done').length;
    console.log(
      `group-commit kill9: burst=${BURST}, acknowledged=${acknowledged.length}, done after restart=${done}, ` +
        `lost=${lost.length}, torn=${torn.length}`,
    );
    expect(lost).toEqual([]);
    expect(torn).toEqual([]);
    expect(states.every((s) => s.task === 'done' || s.task === 'open')).toBe(true);
  }, 170_000);
});
