import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../crash/server-process.ts';
import { mapLimited } from '../races/race-support.ts';
import { freshPostgres, TEST_DATABASE_URL } from '../support/postgres.ts';
import { probeDefinition, publish, type ServerUnderTest, serverErrors, startServer } from './scale-support.ts';

const TIMERS = 1000;

/** Every case waits three seconds, then its deadline passes: one timer per case, due while cases keep coming. */
const definition = probeDefinition(
  'frist',
  {
    warten: { kind: 'timer', delay: { duration: 'PT3S' }, transitions: [{ on: 'timeout', target: 'abgelaufen' }] },
    abgelaufen: { kind: 'final', outcome: 'expired', status: 'Frist abgelaufen' },
  },
  'warten',
);

describe.skipIf(!TEST_DATABASE_URL)('two server processes on one Postgres database: timers', () => {
  let drop: () => Promise<void> = async () => {};
  let databaseUrl = '';
  const servers: ServerUnderTest[] = [];

  beforeAll(async () => {
    const db = await freshPostgres(TEST_DATABASE_URL!);
    drop = db.drop;
    databaseUrl = db.url;
    for (let n = 0; n < 2; n++) servers.push(await startServer({ DATABASE_URL: db.url, RUNNER_POLL_MS: '50' }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await drop();
  }, 60_000);

  it(`fires each of ${TIMERS} timers exactly once while both processes run their timer runners`, async () => {
    await publish(servers[0]!.call, definition);
    const numbers = Array.from({ length: TIMERS }, (_, n) => n);
    const caseIds = await mapLimited(numbers, 16, async (n) => {
      const res = await servers[n % 2]!.call('POST', '/api/applications', {
        body: { procedure: definition.key, data: { n } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.caseId as string;
    });

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const count = async (query: string) => Number((await db.query(query)).rows[0].n);
      let finished = 0;
      for (let round = 0; round < 600 && finished < TIMERS; round++) {
        await sleep(200);
        finished = await count(`select count(*) as n from cases where procedure_key = 'frist' and status = 'done'`);
      }
      expect(finished).toBe(TIMERS);
      const timers = await db.query(`select status, count(*) as n from timers group by status`);
      const firings = await db.query(
        `select case_id, count(*) as n from history where event = 'timeout' and kind = 'transition' group by case_id`,
      );
      const byCase = new Map(firings.rows.map((r: { case_id: string; n: string }) => [r.case_id, Number(r.n)]));
      const wrong = caseIds.filter((id) => byCase.get(id) !== 1);
      console.log(
        `timers: ${TIMERS} due, fired=${JSON.stringify(timers.rows)}, cases with other than one firing=${wrong.length}`,
      );
      expect(timers.rows.map((r: { status: string; n: string }) => [r.status, Number(r.n)])).toEqual([
        ['fired', TIMERS],
      ]);
      expect(wrong.slice(0, 10)).toEqual([]);
      expect(byCase.size).toBe(TIMERS);
    } finally {
      await db.end();
    }
    expect(serverErrors(servers)).toEqual([]);
  }, 175_000);
});
