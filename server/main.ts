import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { builtinConnectors } from '../connectors/index.ts';
import { createApp } from './app.ts';
import { ConfigError, parseConfig } from './config.ts';
import { ConnectorLoadError, loadConnectors } from './connectors/connector-loader.ts';
import { startDemoCounterparts, wantsDemoCounterparts } from './demo/demo-counterparts.ts';
import { seedDemo } from './demo/seed.ts';
import { startRunners } from './runners.ts';
import { createServices } from './services.ts';

/**
 * Starts the server: load the connectors (built-in and `CONNECTORS`), migrate, seed the demo on an empty database,
 * listen, start the demo counterparts (demo mode), then the runners, so no job runs before its connector is set up.
 */
export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = parseConfig(env);
  const connectors = await loadConnectors(builtinConnectors, config.connectors);
  const services = await createServices(config, { connectors });
  const seeded = config.seedDemo ? await seedDemo(services, config.demoPassword) : false;
  const app = createApp(services);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const demo = wantsDemoCounterparts(env, seeded)
    ? await startDemoCounterparts(services, `http://127.0.0.1:${port}`, say)
    : undefined;
  const runners = config.runners
    ? startRunners(services, {
        jobIntervalMs: config.runnerPollMs,
        timerIntervalMs: Math.max(config.runnerPollMs, 500),
      })
    : undefined;
  services.log.info('server.listening', { port, connectors: connectors.length });
  say(`Verfahrenswerk läuft auf http://localhost:${port} (API-Doku: /docs)`);
  const shutdown = async () => {
    server.close();
    await runners?.stop();
    await demo?.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof ConnectorLoadError;
    process.stderr.write(
      `${known ? error.message : `Start fehlgeschlagen: ${error instanceof Error ? error.message : String(error)}`}\n`,
    );
    process.exit(1);
  });
}
