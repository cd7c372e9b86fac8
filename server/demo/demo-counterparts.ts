import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { startFachverfahrenCounterpart } from '../../connectors/fachverfahren-http/fachverfahren.counterpart.ts';
import { startPaymentCounterpart } from '../../connectors/payment/payment.counterpart.ts';
import { startPostboxCounterpart } from '../../connectors/postbox/postbox.counterpart.ts';
import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import { evaluateFeel } from '../../engine/expressions/feel.ts';
import { loadWorkflows, type Workflow } from '../../workflows/index.ts';
import { ConfigError } from '../config.ts';
import type { Services } from '../services.ts';
import { DEMO_TENANT } from './seed.ts';

/** `DEMO_COUNTERPARTS=true` starts the counterparts even on a database that was seeded before. */
const demoEnv = z.object({ DEMO_COUNTERPARTS: z.enum(['true', 'false']).default('false') });

/** True when the demo counterparts should run: a fresh demo seed, or `DEMO_COUNTERPARTS=true`. */
export function wantsDemoCounterparts(env: Record<string, string | undefined>, seeded: boolean): boolean {
  const parsed = demoEnv.safeParse(env);
  if (!parsed.success) throw new ConfigError(['DEMO_COUNTERPARTS: true oder false']);
  return seeded || parsed.data.DEMO_COUNTERPARTS === 'true';
}

/** The running demo counterparts; `close` stops them (they keep everything in memory). */
export type DemoCounterparts = { urls: Record<string, string>; close(): Promise<void> };

/**
 * Register entries for the Fachverfahren counterpart, taken from the sample applications: wherever a sample expects a
 * register look-up to find a record, the query the step sends (evaluated from the sample's data) plus the record.
 */
export function demoRegisterSeed(workflows: readonly Workflow[]): Record<string, Record<string, unknown>[]> {
  const seed: Record<string, Record<string, unknown>[]> = {};
  for (const workflow of workflows) {
    const definition = definitionSchema.parse(workflow.definition);
    for (const sample of workflow.samples) {
      const vars = { ...definition.constants, ...sample.data };
      for (const step of sample.path) {
        const state = definition.states[step.expect];
        if (state?.kind !== 'service' || state.connector !== 'fachverfahren-http@1' || state.operation !== 'lookup')
          continue;
        const answer = z
          .object({
            type: z.literal('job:done'),
            result: z.object({ found: z.literal(true), record: z.record(z.string(), z.unknown()) }),
          })
          .safeParse(step.send);
        if (!answer.success || !state.input.register || !state.input.query) continue;
        try {
          const register = evaluateFeel(state.input.register, vars);
          const query = evaluateFeel(state.input.query, vars);
          if (typeof register !== 'string' || typeof query !== 'object' || query === null) continue;
          seed[register] ??= [];
          seed[register].push({ ...query, ...answer.data.result.record });
        } catch {
          // A query that needs variables of later steps cannot be seeded from the application alone.
        }
      }
    }
  }
  return seed;
}

/**
 * Starts the payment provider, the citizen postbox and the Fachverfahren on free ports of 127.0.0.1 and points the
 * demo tenant's connectors at them with fresh keys, so the seeded procedures run end to end. `say` gets the lines a
 * person trying the demo needs (the counterparts' addresses, the postbox link of each new message).
 */
export async function startDemoCounterparts(
  services: Services,
  engineUrl: string,
  say: (line: string) => void,
): Promise<DemoCounterparts> {
  const apiKey = randomBytes(24).toString('base64url');
  const webhookSecret = randomBytes(32).toString('base64url');
  const seed = demoRegisterSeed(await loadWorkflows());
  const [payment, postbox, fachverfahren] = await Promise.all([
    startPaymentCounterpart({
      apiKey,
      notifyUrl: `${engineUrl}/api/hooks/${DEMO_TENANT}/payment@1`,
      webhookSecret,
    }),
    startPostboxCounterpart({
      apiKey,
      onDelivered: (notice) => say(`Bürgerpostfach: neue Nachricht ${notice.messageId} – ${notice.inboxUrl}`),
    }),
    startFachverfahrenCounterpart({ apiKey, seed }),
  ]);
  const now = services.clock.now();
  const save = (id: string, config: Record<string, unknown>, secrets: Record<string, string> = {}) =>
    services.connectors.connector(id)
      ? services.connectorConfigs.save(DEMO_TENANT, id, config, secrets, now)
      : undefined;
  await save('payment@1', { baseUrl: payment.url }, { apiKey, webhookSecret });
  await save('postbox@1', { baseUrl: postbox.url }, { apiKey });
  await save('fachverfahren-http@1', { baseUrl: fachverfahren.url }, { apiKey });
  await save('document-pdf@1', {});
  const urls = { payment: payment.url, postbox: `${postbox.url}/postfach`, fachverfahren: fachverfahren.url };
  say(
    `Demo-Gegenstellen: Zahlungsanbieter ${urls.payment}, Bürgerpostfach ${urls.postbox}, Fachverfahren ${urls.fachverfahren}`,
  );
  services.log.info('demo.counterparts.started', { tenant: DEMO_TENANT });
  return {
    urls,
    async close() {
      await Promise.all([payment.close(), postbox.close(), fachverfahren.close()]);
    },
  };
}
