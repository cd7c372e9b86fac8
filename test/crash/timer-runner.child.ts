/**
 * A second server process for restart.test.ts: opens the services on the test's database file (DATA_DIR,
 * DATABASE_URL, SECRETS_KEY from the environment) with the clock fixed at CLOCK_MS, and runs timer rounds on
 * command, so two processes fire the same due timers at the same time.
 * stdin, one command a line: `due` (read the due timers and keep them), `runOnce` (a timer runner round),
 * `fireSeen` (fire the timers kept by `due`, as a runner does with a list it read earlier).
 * stdout: one JSON line per command, and `{"ready":true}` once open.
 */
import { createInterface } from 'node:readline';
import { builtinConnectors } from '../../connectors/index.ts';
import type { TimerRow } from '../../engine/runtime/ports.ts';
import { parseConfig } from '../../server/config.ts';
import { createServices } from '../../server/services.ts';
import { KyselyEngineStore } from '../../server/store/engine-store.kysely.ts';

const now = Number(process.env.CLOCK_MS);
const services = await createServices(parseConfig(process.env), {
  connectors: builtinConnectors,
  clock: { now: () => new Date(now) },
});
const store = new KyselyEngineStore(services.database);
const answer = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

let seen: TimerRow[] = [];
const commands: Record<string, () => Promise<unknown>> = {
  async due() {
    seen = await store.dueTimers(new Date(now), 100);
    return { due: seen.map((timer) => timer.caseId) };
  },
  async runOnce() {
    return { fired: await services.timers.runOnce() };
  },
  async fireSeen() {
    let fired = 0;
    for (const timer of seen) if (await services.engine.fireTimer(timer)) fired++;
    return { fired };
  },
};

answer({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  const command = commands[line.trim()];
  try {
    answer(command ? await command() : { error: `unknown command ${line}` });
  } catch (error) {
    answer({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}
await services.close();
