import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinConnectors } from '../../connectors/index.ts';
import { ConnectorLoadError, loadConnectors } from '../../server/connectors/connector-loader.ts';
import { ROOT } from '../crash/server-process.ts';
import { type Rig, startRig } from './rig.ts';

const EXAMPLE = './connectors/examples/webhook-notify/webhook-notify.connector.ts';

/** The example procedure of the README: it sends one event through the example connector. */
const notifyProcedure: unknown = JSON.parse(
  readFileSync(join(ROOT, 'connectors/examples/webhook-notify/eingang-melden.json'), 'utf8'),
);

describe('external connectors from CONNECTORS', () => {
  let rig: Rig;
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/eingang`;
    rig = await startRig({ connectors: await loadConnectors(builtinConnectors, [EXAMPLE], { cwd: ROOT }) });
  });
  afterAll(async () => {
    await rig.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('loads the example by path, lists it, and runs it in a published procedure', async () => {
    const admin = await rig.login('admin');
    const listed = await rig.call('GET', '/api/connectors', { token: admin });
    const example = listed.body.find((c: { id: string }) => c.id === 'webhook-notify@1');
    expect(example).toMatchObject({
      title: 'Benachrichtigung per Webhook (Beispiel)',
      secrets: ['signingKey'],
      configured: false,
      health: null,
      circuit: 'closed',
      operations: { notify: { retry: 'safe', input: { required: ['event'] } } },
    });
    await rig.configure('webhook-notify@1', { url: receiverUrl }, { signingKey: 'geheim' });

    const owner = await rig.login('prozess');
    const draft = await rig.call('POST', '/api/procedures', { token: owner, body: notifyProcedure });
    expect(draft.body.problems).toEqual([]);
    expect((await rig.call('POST', '/api/procedures/eingang-melden/publish', { token: owner })).status).toBe(200);

    const applied = await rig.call('POST', '/api/applications', {
      body: { procedure: 'eingang-melden', data: { topic: 'Sperrmüll an der Ecke' } },
    });
    expect(applied.status).toBe(201);
    const id = applied.body.caseId as string;
    await rig.runJobs();
    expect(await rig.caseOf(id)).toMatchObject({ state: 'done', vars: { notified: 202 } });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'antrag.eingegangen', caseId: id });
    expect(received[0]!.headers['idempotency-key']).toBe(`${id}:notify:1`);
    expect(received[0]!.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('names every problem at once: unloadable module, no export, bad manifest, taken id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'external-connectors-'));
    try {
      const schema = '{ safeParse: () => ({ success: true }) }';
      writeFileSync(join(dir, 'nothing.mjs'), 'export const answer = 42;\n');
      writeFileSync(
        join(dir, 'bad.mjs'),
        `export default { id: 'Schlecht', config: {}, operations: { send: { title: '', input: ${schema}, output: ${schema}, retry: 'always', timeoutMs: -1 } } };\n`,
      );
      writeFileSync(
        join(dir, 'taken.mjs'),
        `export default { id: 'payment@1', title: 'Zweite Bezahlung', config: ${schema}, operations: { create: { title: 'x', input: ${schema}, output: ${schema}, retry: 'never', run: async () => ({}) } } };\n`,
      );
      const error = await loadConnectors(
        builtinConnectors,
        ['./fehlt.mjs', './nothing.mjs', './bad.mjs', './taken.mjs', EXAMPLE, EXAMPLE].map((s) =>
          s === EXAMPLE ? join(ROOT, s) : s,
        ),
        { cwd: dir },
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectorLoadError);
      const problems = (error as ConnectorLoadError).problems;
      expect(problems[0]).toMatch(/^\.\/fehlt\.mjs: Modul nicht ladbar/);
      expect(problems.slice(1)).toEqual([
        './nothing.mjs: exportiert keine Anbindung (erwartet: default-Export mit id und operations)',
        './bad.mjs: Schlecht: id muss wie „name@1“ aussehen (Kleinbuchstaben, Ziffern, -, dann @Version)',
        './bad.mjs: Schlecht: title fehlt',
        './bad.mjs: Schlecht: config muss ein zod-Schema sein',
        './bad.mjs: Schlecht: operations.send.title fehlt',
        './bad.mjs: Schlecht: operations.send.retry muss „safe“ oder „never“ sein',
        './bad.mjs: Schlecht: operations.send.timeoutMs muss eine ganze Zahl zwischen 1 und 600000 sein',
        './bad.mjs: Schlecht: operations.send.run muss eine Funktion sein',
        './taken.mjs: Anbindung payment@1 gibt es schon (eingebaut)',
        `${join(ROOT, EXAMPLE)}: Anbindung webhook-notify@1 gibt es schon (${join(ROOT, EXAMPLE)})`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops the server start with a clear message when a connector cannot be loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'external-start-'));
    try {
      const started = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', CONNECTORS: `./fehlt.ts,${EXAMPLE}` },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(started.status).toBe(1);
      expect(started.stderr).toMatch(
        /^Anbindungen konnten nicht geladen werden:\n {2}- \.\/fehlt\.ts: Modul nicht ladbar/,
      );
      expect(started.stdout).not.toContain('läuft auf');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
