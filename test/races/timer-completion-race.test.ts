import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/dialects.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import { defectReport, mapLimited } from './race-support.ts';

const CASES = 150;

/**
 * A caseworker completes a task while the escalation timer of the same task fires. Both lock the case row
 * first, so Postgres sees no deadlock; whichever comes second gets a clean answer (409 for the completion).
 */
describe.each(dialectsUnderTest())('task completion racing its timer on $name', (dialect) => {
  let h: Harness;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await dialect.open();
    drop = db.drop;
    h = await startHarness({ databaseUrl: db.databaseUrl });
  });
  afterAll(async () => {
    await h.close();
    await drop();
  });

  it('answers every completion with 200 or 409, fires every timer once, and leaves each case consistent', async () => {
    const worker = await h.login('sachbearbeitung');
    const cases = await mapLimited(
      Array.from({ length: CASES }, (_, i) => i),
      10,
      async (i) => {
        const res = await h.call('POST', '/api/applications', {
          body: { procedure: 'maengelmelder', data: defectReport('roadDamage', i) },
        });
        return res.body.caseId as string;
      },
    );
    const openTask = async (caseId: string, state: string) => {
      const detail = await h.call('GET', `/api/cases/${caseId}`, { token: worker });
      return detail.body.tasks.find((t: { state: string; status: string }) => t.state === state && t.status === 'open');
    };
    const workTasks = await mapLimited(cases, 10, async (caseId) => {
      const triage = await openTask(caseId, 'triageBauhof');
      await h.call('POST', `/api/tasks/${triage.id}/claim`, { token: worker });
      const accepted = await h.call('POST', `/api/tasks/${triage.id}/complete`, {
        token: worker,
        body: { outcome: 'accept', data: {} },
      });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      const work = await openTask(caseId, 'workBauhof');
      expect((await h.call('POST', `/api/tasks/${work.id}/claim`, { token: worker })).status).toBe(200);
      return { caseId, taskId: work.id as string };
    });

    h.clock.advance(40 * 24 * 3600_000);
    const fresh = await h.login('sachbearbeitung');
    const statuses: Record<number, number> = {};
    const timerRounds = (async () => {
      for (let i = 0; i < 20; i++) await h.services.timers.runOnce();
    })();
    await mapLimited(workTasks, 10, async ({ taskId }) => {
      const res = await h.call('POST', `/api/tasks/${taskId}/complete`, {
        token: fresh,
        body: { outcome: 'resolved', data: { resolution: 'Behoben durch Test', resolvedOn: '2026-03-05' } },
      });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    });
    await timerRounds;
    await h.settle();

    expect(Object.keys(statuses).sort()).toEqual(expect.arrayContaining(['200']));
    expect(Object.keys(statuses).filter((s) => s !== '200' && s !== '409')).toEqual([]);
    for (const { caseId } of workTasks) {
      const detail = await h.call('GET', `/api/cases/${caseId}`, { token: fresh });
      const timeouts = detail.body.history.filter(
        (x: { event: string | null; fromState: string | null }) =>
          x.event === 'timeout' && x.fromState === 'workBauhof',
      );
      const resolved = detail.body.history.filter(
        (x: { event: string | null; fromState: string | null }) =>
          x.event === 'task:resolved' && x.fromState === 'workBauhof',
      );
      expect(timeouts.length + resolved.length, caseId).toBe(1);
    }
  });
});
