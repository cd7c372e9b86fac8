/**
 * `inbox-100k`: the first page of the group inbox (`GET /api/tasks?scope=group&state=open`) from the real server
 * while 100,000 tasks are open, one request at a time; reports p50 and p95 of the response time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../server/services.ts';
import { INBOX_GROUPS, seedW1Cases } from './seed.ts';
import { startServer } from './server-process.ts';
import { peakRssMiB, percentile, round } from './stats.ts';
import { w1Connectors } from './w1.connectors.ts';
import { benchConfig } from './w1-setup.ts';

type Args = { tasks: number; durationMs: number; warmupRequests: number };
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const PASSWORD = 'inbox-bench-2026';

const dir = mkdtempSync(join(tmpdir(), 'bench-inbox-'));
const file = join(dir, 'inbox.db');
const config = benchConfig(dir, file);
const services = await createServices(config, { connectors: w1Connectors });
await seedW1Cases(services, args.tasks, 'review');
await services.identity.createUser({
  tenantId: 'demo',
  username: 'inbox',
  password: PASSWORD,
  roles: ['caseworker'],
  groups: INBOX_GROUPS,
  now: new Date(),
});
await services.close();

const server = await startServer({ DATA_DIR: dir, DATABASE_URL: file, SECRETS_KEY: config.secretsKey ?? '' });
try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'inbox', password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const page = async () => {
    const started = performance.now();
    const res = await fetch(`${server.url}/api/tasks?scope=group&state=open`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as unknown[];
    if (res.status !== 200 || body.length !== 50) throw new Error(`inbox answered ${res.status} with ${body.length}`);
    return performance.now() - started;
  };
  for (let i = 0; i < args.warmupRequests; i++) await page();
  const samples: number[] = [];
  const until = performance.now() + args.durationMs;
  while (performance.now() < until) samples.push(await page());
  process.send?.({
    type: 'result',
    p50Ms: round(percentile(samples, 50), 2),
    p95Ms: round(percentile(samples, 95), 2),
    requests: samples.length,
    seederPeakRssMiB: peakRssMiB(),
  });
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
