import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkflows } from '../../workflows/index.ts';
import { freePort, ServerProcess, sleep } from '../crash/server-process.ts';
import { httpClient } from '../support/http.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'verfahren-demo-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until `find` returns something, polling every 100 ms for at most `ms`. */
async function eventually<T>(
  what: string,
  find: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
): Promise<T> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) {
    const found = await find();
    if (found !== undefined) return found;
  }
  throw new Error(`${what}: not within ${ms} ms\n${server?.log()}`);
}

describe('demo mode', () => {
  it('starts the counterparts with `npm start` on a fresh database and runs Geburtsurkunde end to end', async () => {
    const port = await freePort();
    server = new ServerProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      RUNNER_POLL_MS: '50',
    });
    await server.start();
    const banner = /Demo-Gegenstellen: Zahlungsanbieter (\S+), Bürgerpostfach (\S+), Fachverfahren (\S+)/.exec(
      server.log(),
    );
    expect(banner, server.log()).not.toBeNull();

    const api = httpClient(`http://127.0.0.1:${port}`);
    const happy = (await loadWorkflows())
      .find((w) => w.key === 'geburtsurkunde')!
      .samples.find((s) => /Postfach/.test(s.title))!;
    const submitted = await api('POST', '/api/applications', {
      body: { procedure: 'geburtsurkunde', data: happy.data },
    });
    expect(submitted.status).toBe(201);
    const { caseId, trackingCode } = submitted.body as { caseId: string; trackingCode: string };

    // The payment request arrives in the postbox; the citizen opens it through the link the postbox announced.
    const inboxUrl = await eventually('postbox notice', () => {
      const match = /Bürgerpostfach: neue Nachricht msg-\d+ – (\S+)/.exec(server!.log());
      return match?.[1];
    });
    expect(inboxUrl).toContain(`/postfach/${trackingCode}?zugang=`);
    const inbox = await (await fetch(inboxUrl)).text();
    const messagePath = /href="(\/postfach\/[^"]+)"/.exec(inbox)?.[1];
    expect(messagePath).toBeDefined();
    const message = await (await fetch(new URL(messagePath!.replaceAll('&#38;', '&'), inboxUrl))).text();
    const payUrl = /<a href="(http:\/\/127\.0\.0\.1:\d+\/pay\/pay-\d+)">/.exec(message)?.[1];
    expect(payUrl, message).toBeDefined();

    // The citizen pays on the provider's page and is sent back to the portal's status page (PUBLIC_URL's default);
    // the provider's signed notification moves the case on to the review.
    expect(await (await fetch(payUrl!)).text()).toContain('Bezahlen');
    const paid = await fetch(`${payUrl}/confirm`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`http://localhost:${port}/status/${trackingCode}`);
    const worker = (await api('POST', '/api/auth/login', { body: { username: 'sachbearbeitung', password: 'demo' } }))
      .body.token as string;
    const task = await eventually('review task', async () => {
      const inboxTasks = await api('GET', '/api/tasks?scope=group&state=open', { token: worker });
      return (inboxTasks.body as { id: string; caseId: string }[]).find((t) => t.caseId === caseId);
    });
    expect((await api('POST', `/api/tasks/${task.id}/claim`, { token: worker })).status).toBe(200);
    const review = happy.path.find((p) => p.expect === 'review')!.send as { data: Record<string, unknown> };
    const done = await api('POST', `/api/tasks/${task.id}/complete`, {
      token: worker,
      body: { outcome: 'issue', data: review.data },
    });
    expect(done.status).toBe(200);

    // The certificate is rendered and delivered to the same postbox; the case is closed.
    const closed = await eventually('closed case', async () => {
      const detail = await api('GET', `/api/cases/${caseId}`, { token: worker });
      return detail.body.state === 'closed' ? detail.body : undefined;
    });
    expect(closed.jobs.map((j: { status: string }) => j.status)).toEqual(closed.jobs.map(() => 'done'));
    const again = await (await fetch(inboxUrl)).text();
    expect(again).toMatch(/<caption>2 Nachrichten<\/caption>/);
    expect(again).toContain('Ihre Geburtsurkunde');
  }, 110_000);
});
