/**
 * `http-submit`: citizens' applications (`POST /api/applications`, W1, about 1 KB) against the real server over
 * loopback, at a fixed 200 requests per second with autocannon; reports the rate reached and p50/p99 latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createServices } from '../server/services.ts';
import { startServer } from './server-process.ts';
import { w1Connectors } from './w1.connectors.ts';
import { W1, w1Application } from './w1.definition.ts';
import { benchConfig, publishW1 } from './w1-setup.ts';

type Args = { rate: number; durationMs: number; warmupMs: number };
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
const file = join(dir, 'http.db');
const config = benchConfig(dir, file);
const services = await createServices(config, { connectors: w1Connectors });
await publishW1(services);
await services.close();

const server = await startServer({ DATA_DIR: dir, DATABASE_URL: file, SECRETS_KEY: config.secretsKey ?? '' });
const load = (durationMs: number) =>
  autocannon({
    url: `${server.url}/api/applications`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ procedure: W1.key, data: w1Application(7) }),
    connections: 10,
    overallRate: args.rate,
    duration: durationMs / 1000,
  });
try {
  await load(args.warmupMs);
  const result = await load(args.durationMs);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`http-submit: ${result.non2xx} answers other than 2xx, ${result.errors} errors`);
  }
  process.send?.({
    type: 'result',
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  });
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
