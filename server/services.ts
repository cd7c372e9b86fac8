import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CalendarSettings, Land } from '../engine/calendar/working-days.ts';
import type { ConnectorLogger } from '../engine/connectors/connector.ts';
import { CaseEngine } from '../engine/runtime/case-engine.ts';
import { JobRunner } from '../engine/runtime/job-runner.ts';
import type { EngineClock, EngineIds, EngineStore, ProcedureSource } from '../engine/runtime/ports.ts';
import { ProcedureRuntime } from '../engine/runtime/runtime.ts';
import { TimerRunner } from '../engine/runtime/timer-runner.ts';
import type { Config } from './config.ts';
import { type BreakerSettings, CockatielCircuitBreakers } from './connectors/circuit-breakers.ts';
import { ConnectorConfigStore } from './connectors/connector-config-store.kysely.ts';
import { type AnyConnector, RegistryConnectorHost } from './connectors/connector-host.ts';
import { SecretBox } from './connectors/secret-box.ts';
import { processIds } from './ids.ts';
import { createLogger, type Logger } from './logger.ts';
import { CaseQueries } from './store/case-queries.kysely.ts';
import { type Database, migrate, openDatabase } from './store/database.ts';
import { KyselyEngineStore } from './store/engine-store.kysely.ts';
import { IdentityStore } from './store/identity-store.kysely.ts';
import { ProcedureStore } from './store/procedure-store.kysely.ts';

/** Everything a running server holds; built by `createServices`, torn down by `close`. */
export type Services = {
  config: Config;
  database: Database;
  /** The engine's store (group commit on SQLite); the engine and the runners write through it. */
  store: EngineStore;
  clock: EngineClock;
  ids: EngineIds;
  log: Logger;
  identity: IdentityStore;
  procedures: ProcedureStore;
  queries: CaseQueries;
  connectorConfigs: ConnectorConfigStore;
  connectors: RegistryConnectorHost;
  /** Circuit breakers per connector and tenant (this process). */
  breakers: CockatielCircuitBreakers;
  engine: CaseEngine;
  jobs: JobRunner;
  timers: TimerRunner;
  runtimeFor(tenantId: string, key: string, version: number): Promise<ProcedureRuntime>;
  close(): Promise<void>;
};

function secretBox(config: Config): SecretBox {
  if (config.secretsKey) return SecretBox.fromEnv(config.secretsKey);
  // Embedded default: a key generated once into the data directory (readable by the server user only).
  const file = join(config.dataDir, 'secrets.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return SecretBox.fromEnv(readFileSync(file, 'utf8'));
}

/** Opens the database, migrates it and wires stores, engine and runners (nothing listens or polls yet). */
export async function createServices(
  config: Config,
  options: {
    connectors: readonly AnyConnector[];
    clock?: EngineClock;
    fetch?: typeof fetch;
    breakers?: BreakerSettings;
  },
): Promise<Services> {
  const log = createLogger(config.logLevel);
  const database = openDatabase({
    url: config.databaseUrl,
    poolSize: config.poolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    synchronous: config.sqliteSynchronous,
    walAutocheckpoint: config.walAutocheckpoint,
    onConnectionLost: (error) => log.warn('database.connection.lost', { code: (error as { code?: unknown }).code }),
  });
  await migrate(database.db);
  const clock = options.clock ?? { now: () => new Date() };
  const ids = processIds();
  const identity = new IdentityStore(database.db, ids.id);
  const procedures = new ProcedureStore(database.db);
  const connectorConfigs = new ConnectorConfigStore(database.db, secretBox(config));
  const connectorLog: ConnectorLogger = {
    info: (event, fields) => log.info(event, fields),
    warn: (event, fields) => log.warn(event, fields),
    error: (event, fields) => log.error(event, fields),
  };
  const connectors = new RegistryConnectorHost(options.connectors, connectorConfigs, connectorLog, options.fetch);
  const secrets = await connectorConfigs.resealAll(clock.now());
  if (secrets.resealed > 0) log.info('connector.secrets.resealed', { configs: secrets.resealed });
  if (secrets.unreadable > 0) log.error('connector.secrets.unreadable', { configs: secrets.unreadable });
  const breakers = new CockatielCircuitBreakers(options.breakers, (event, fields) => log.warn(event, fields));
  const runtimes = new Map<string, ProcedureRuntime>();
  const runtimeFor = async (tenantId: string, key: string, version: number) => {
    const cacheKey = `${tenantId}/${key}@${version}`;
    let runtime = runtimes.get(cacheKey);
    if (!runtime) {
      const published = await procedures.version(tenantId, key, version);
      if (!published) throw new Error(`procedure ${key}@${version} not published`);
      runtime = new ProcedureRuntime(published.definition);
      runtimes.set(cacheKey, runtime);
    }
    return runtime;
  };
  const calendars = new Map<string, CalendarSettings>();
  const source: ProcedureSource = {
    runtime: runtimeFor,
    async calendar(tenantId) {
      let settings = calendars.get(tenantId);
      if (!settings) {
        const tenant = await identity.tenant(tenantId);
        settings = { land: (tenant?.land ?? 'NW') as Land, extraHolidays: tenant?.extraHolidays ?? [] };
        calendars.set(tenantId, settings);
      }
      return settings;
    },
  };
  const store = new KyselyEngineStore(database, {
    groupCommit: { windowMs: config.commitWindowMs, maxBatch: config.commitBatchMax },
  });
  const links = { statusUrl: (code: string) => `${config.publicUrl}/status/${encodeURIComponent(code)}` };
  const engine = new CaseEngine({ store, clock, ids, procedures: source, links });
  const jobs = new JobRunner({
    store,
    engine,
    connectors,
    breakers,
    clock,
    ids,
    leaseMs: config.jobLeaseMs,
    log: (event, fields) => log.info(event, fields),
  });
  const timers = new TimerRunner({ store, engine, clock });
  return {
    config,
    database,
    store,
    clock,
    ids,
    log,
    identity,
    procedures,
    queries: new CaseQueries(database.db),
    connectorConfigs,
    connectors,
    breakers,
    engine,
    jobs,
    timers,
    runtimeFor,
    close: () => database.close(),
  };
}
