import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailConnector } from '../../connectors/email-smtp/email-smtp.connector.ts';
import { type SmtpCounterpart, startSmtpCounterpart } from '../../connectors/email-smtp/smtp.counterpart.ts';
import type { DefinitionInput } from '../../engine/definition/definition.schema.ts';
import { callsOf, type Rig, startRig, TEST_RETRY, withTimeout } from './rig.ts';

/** `email-probe`: sends one e-mail to `to` (no `failed` path: a final error is an incident). */
const probe: DefinitionInput = {
  schemaVersion: 1,
  key: 'email-probe',
  title: 'E-Mail (Test)',
  caseNumberPrefix: 'EMT',
  form: { type: 'object', properties: {} },
  initial: 'notify',
  states: {
    notify: {
      kind: 'service',
      connector: 'email-smtp@1',
      operation: 'send',
      input: { to: 'to', subject: '"Ihr Vorgang " + caseNumber', text: '"Guten Tag,\\n\\nIhr Vorgang ist erledigt."' },
      result: { messageId: 'result.messageId' },
      retry: TEST_RETRY,
      transitions: [{ on: 'done', target: 'notified' }],
    },
    notified: { kind: 'final', outcome: 'notified', status: 'Benachrichtigt' },
  },
};

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return address.port;
}

/** The e-mail connector through the real job runner against a real SMTP server in process. */
describe('email-smtp@1 through the job runner', () => {
  let rig: Rig;
  let smtp: SmtpCounterpart;
  let admin: string;
  const configure = (port: number, password = 'smtp-geheim') =>
    rig.configure(
      'email-smtp@1',
      { host: '127.0.0.1', port, user: 'verfahren', from: 'noreply@musterstadt.example' },
      { password },
    );

  beforeAll(async () => {
    smtp = await startSmtpCounterpart({ users: { verfahren: 'smtp-geheim' }, unknownDomains: ['unbekannt.example'] });
    rig = await startRig({ connectors: [withTimeout(emailConnector, 300)], breakers: { failureThreshold: 100 } });
    await configure(smtp.port);
    await rig.publish(probe);
    admin = await rig.login('admin');
  });
  afterAll(async () => {
    await rig.close();
    await smtp.close();
  });

  const sentTo = (address: string) => smtp.messages.filter((m) => m.to && 'text' in m.to && m.to.text === address);

  it('sends the mail once, with the Message-ID the case keeps', async () => {
    const { id } = await rig.start('email-probe', { to: 'anna@example.org' });
    await rig.runJobs();
    const after = await rig.caseOf(id);
    expect(after.state).toBe('notified');
    const [mail] = sentTo('anna@example.org');
    expect(mail).toMatchObject({
      messageId: after.vars.messageId,
      subject: expect.stringMatching(/^Ihr Vorgang EMT-/),
    });
    expect((await callsOf(rig, id)).map((c) => [c.connector, c.operation, c.attempt, c.outcome])).toEqual([
      ['email-smtp@1', 'send', 1, 'succeeded'],
    ]);
  });

  it('retries while the mail server is down or silent, and sends once it answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const closed = createServer();
    const closedPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    try {
      await configure(closedPort);
      const { id } = await rig.start('email-probe', { to: 'ben@example.org' });
      await rig.runJobs();
      await configure(await listen(silent));
      rig.clock.advance(10_000);
      await rig.runJobs();
      await configure(smtp.port);
      rig.clock.advance(20_000);
      await rig.runJobs();
      expect((await rig.caseOf(id)).state).toBe('notified');
      expect((await callsOf(rig, id)).map((c) => [c.outcome, c.code])).toEqual([
        ['retry', 'unavailable'],
        ['retry', 'timeout'],
        ['succeeded', undefined],
      ]);
      expect(sentTo('ben@example.org')).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await configure(smtp.port);
    }
  });

  it('makes an incident at once of a rejected login and of an unknown mailbox; an admin retry after the fix sends once', async () => {
    await configure(smtp.port, 'falsch');
    const login = await rig.start('email-probe', { to: 'carla@example.org' });
    await rig.runJobs();
    await configure(smtp.port);
    const unknown = await rig.start('email-probe', { to: 'niemand@unbekannt.example' });
    await rig.runJobs();
    const [loginJob] = await rig.jobsOf(login.id);
    const [unknownJob] = await rig.jobsOf(unknown.id);
    expect(loginJob).toMatchObject({
      status: 'incident',
      attempts: 1,
      lastError: expect.stringMatching(/^unauthorized/),
    });
    expect(unknownJob).toMatchObject({
      status: 'incident',
      attempts: 1,
      lastError: expect.stringMatching(/^rejected/),
    });

    expect((await rig.call('POST', `/api/incidents/${loginJob!.id}/retry`, { token: admin })).status).toBe(200);
    await rig.runJobs();
    expect((await rig.caseOf(login.id)).state).toBe('notified');
    expect(sentTo('carla@example.org')).toHaveLength(1);
    expect((await callsOf(rig, login.id)).map((c) => c.outcome)).toEqual(['incident', 'succeeded']);
  });
});
