import { CaseEngine } from '../engine/runtime/case-engine.ts';
import type { ConnectorHost } from '../engine/runtime/job-runner.ts';
import { JobRunner } from '../engine/runtime/job-runner.ts';
import { MemoryEngineStore } from '../engine/runtime/memory-store.ts';
import type { EngineStore, ProcedureSource } from '../engine/runtime/ports.ts';
import { ProcedureRuntime } from '../engine/runtime/runtime.ts';
import { parseConfig } from '../server/config.ts';
import { processIds } from '../server/ids.ts';
import { createServices, type Services } from '../server/services.ts';
import { ObservedStore } from './observed-store.ts';
import { InProcessConnectorHost, w1Connectors } from './w1.connectors.ts';
import { W1, w1Definition } from './w1.definition.ts';
import type { W1Workload } from './w1-workload.ts';

/** Where a W1 run keeps its cases. */
export type W1Store =
  | { kind: 'memory' }
  | { kind: 'sqlite'; file: string; synchronous: 'FULL' | 'NORMAL' }
  | { kind: 'postgres'; url: string };

const calendar = async () => ({ land: 'NW' as const, extraHolidays: [] });

/** The server's configuration for a benchmark database (no demo seed, no logs). */
export function benchConfig(dataDir: string, databaseUrl: string, extra: Record<string, string> = {}) {
  return parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    SECRETS_KEY: Buffer.alloc(32, 3).toString('base64'),
    ...extra,
  });
}

/** The W1 tenant with W1 published as version 1 (idempotent: a second process finds it). */
export async function publishW1(services: Services): Promise<void> {
  const now = services.clock.now();
  await services.identity.ensureTenant(W1.tenant, 'Musterstadt', 'NW', now);
  if (await services.procedures.version(W1.tenant, W1.key, 1)) return;
  await services.procedures.saveDraft(W1.tenant, w1Definition(), now);
  await services.procedures.publish(W1.tenant, W1.key, 'bench', services.ids.id(), now);
}

/** The real engine and job runner on the chosen store; every write is observed by the workload. */
export async function setUpW1(
  store: W1Store,
  dataDir: string,
  workload: W1Workload,
  jobBatch: number,
): Promise<{ engine: CaseEngine; jobs: JobRunner; close(): Promise<void> }> {
  let inner: EngineStore;
  let connectors: ConnectorHost;
  let source: ProcedureSource;
  let close = async () => {};
  const clock = { now: () => new Date() };
  const ids = processIds();
  if (store.kind === 'memory') {
    const runtime = new ProcedureRuntime(w1Definition());
    inner = new MemoryEngineStore();
    connectors = new InProcessConnectorHost();
    source = { runtime: async () => runtime, calendar };
  } else {
    const url = store.kind === 'sqlite' ? store.file : store.url;
    const extra: Record<string, string> = store.kind === 'sqlite' ? { SQLITE_SYNCHRONOUS: store.synchronous } : {};
    const services = await createServices(benchConfig(dataDir, url, extra), { connectors: w1Connectors, clock });
    await publishW1(services);
    inner = services.store;
    connectors = services.connectors;
    source = { runtime: services.runtimeFor, calendar };
    close = () => services.close();
  }
  const observed = new ObservedStore(inner, workload.observer, W1.caseworker);
  const engine = new CaseEngine({ store: observed, clock, ids, procedures: source });
  const jobs = new JobRunner({ store: observed, engine, connectors, clock, ids, batchSize: jobBatch });
  // As the server does while its runners run: jobs a step enqueues go to this process's runner at once.
  engine.dispatchTo(jobs);
  return { engine, jobs, close };
}
