import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector } from '../../engine/connectors/connector.ts';
import { callsOf, type Rig, startRig } from './rig.ts';

/** A connector that ignores its abort signal and never answers. */
const stubborn = defineConnector({
  id: 'stubborn@1',
  title: 'Antwortet nie',
  config: z.object({}),
  operations: {
    wait: {
      title: 'Warten',
      input: z.object({}),
      output: z.object({}),
      retry: 'safe',
      timeoutMs: 200,
      run: () => new Promise<never>(() => undefined),
    },
  },
});

describe('engine-owned timeout', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ connectors: [stubborn] });
    await rig.configure('stubborn@1', {});
    await rig.publish({
      schemaVersion: 1,
      key: 'stubborn',
      title: 'Hängt (Test)',
      caseNumberPrefix: 'HNG',
      form: { type: 'object', properties: {} },
      initial: 'wait',
      states: {
        wait: {
          kind: 'service',
          connector: 'stubborn@1',
          operation: 'wait',
          retry: { maxAttempts: 2, initialDelay: 'PT1S', maxDelay: 'PT1S', factor: 1 },
          transitions: [{ on: 'done', target: 'done' }],
        },
        done: { kind: 'final', outcome: 'done', status: 'Erledigt' },
      },
    });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('gives up on a call that ignores its signal after the operation’s timeout, retries, then makes an incident', async () => {
    const { id } = await rig.start('stubborn');
    await rig.runJobs();
    rig.clock.advance(1_000);
    await rig.runJobs();
    expect((await rig.jobsOf(id))[0]).toMatchObject({ status: 'incident', attempts: 2 });
    expect((await callsOf(rig, id)).map((c) => [c.outcome, c.code])).toEqual([
      ['retry', 'timeout'],
      ['incident', 'timeout'],
    ]);
  });
});
