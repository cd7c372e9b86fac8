import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_WAL_AUTOCHECKPOINT } from './store/database.ts';

const PUBLIC_URL_HINT = 'http(s)-Adresse ohne Anfrage und Anker, z. B. https://service.musterstadt.de';

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Address citizens reach the portal at (links back from the payment provider); default `http://localhost:<PORT>`. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: PUBLIC_URL_HINT })
    .refine((value) => !/[?#]/.test(value), PUBLIC_URL_HINT)
    .optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|file:|\/|\.)/, 'postgres://… oder ein Dateipfad')
    .optional(),
  DEMO_PASSWORD: z.string().min(4).default('demo'),
  /** Seed the demo tenant, users and procedures into an empty database. */
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** 32-byte key (base64 or 64 hex characters) for connector secrets; the demo generates one into DATA_DIR. */
  SECRETS_KEY: z.string().optional(),
  RUNNERS: z.enum(['true', 'false']).default('true'),
  /** How long a claimed connector job stays reserved; a crashed process's jobs are taken over after it. */
  JOB_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Idle wait between runner polls. */
  RUNNER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  /** Postgres: connections per server process (all processes together must stay below max_connections). */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Postgres: a statement running longer is cancelled by the server (statement_timeout). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** SQLite: FULL flushes every commit (durable); NORMAL may lose the last commits on power loss (benchmarks). */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  /** SQLite group commit: while busy, a commit waits this long after the last one so more steps share it. */
  SQLITE_COMMIT_WINDOW_MS: z.coerce.number().min(0).max(100).default(2),
  /** SQLite group commit: most steps in one transaction. */
  SQLITE_COMMIT_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(256),
  /** SQLite: pages the WAL may hold before a commit copies them into the database file (checkpoint). */
  SQLITE_WAL_AUTOCHECKPOINT: z.coerce.number().int().min(100).max(1_000_000).default(DEFAULT_WAL_AUTOCHECKPOINT),
  /** Tenant of the public routes (catalogue, applications) when the request names none (`x-tenant`). */
  DEFAULT_TENANT: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/)
    .default('demo'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** External connectors to load at start: npm package names or paths (relative to the working directory), comma-separated. */
  CONNECTORS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
});

/** Server configuration, parsed once at start from the environment and frozen. */
export type Config = Readonly<{
  port: number;
  host: string;
  /** Where citizens reach the portal, without a trailing slash (`PUBLIC_URL`). */
  publicUrl: string;
  dataDir: string;
  databaseUrl: string;
  demoPassword: string;
  seedDemo: boolean;
  secretsKey: string | undefined;
  runners: boolean;
  jobLeaseMs: number;
  runnerPollMs: number;
  poolSize: number;
  statementTimeoutMs: number;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  commitWindowMs: number;
  commitBatchMax: number;
  walAutocheckpoint: number;
  defaultTenant: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Module specifiers of external connectors (`CONNECTORS`). */
  connectors: readonly string[];
}>;

/** Thrown with every problem of the environment at once, so a bad start names all of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ungültige Konfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataDir,
    databaseUrl: e.DATABASE_URL ?? join(dataDir, 'verfahren.db'),
    demoPassword: e.DEMO_PASSWORD,
    seedDemo: e.SEED_DEMO === 'true',
    secretsKey: e.SECRETS_KEY,
    runners: e.RUNNERS === 'true',
    jobLeaseMs: e.JOB_LEASE_MS,
    runnerPollMs: e.RUNNER_POLL_MS,
    poolSize: e.DB_POOL_SIZE,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    commitWindowMs: e.SQLITE_COMMIT_WINDOW_MS,
    commitBatchMax: e.SQLITE_COMMIT_BATCH_MAX,
    walAutocheckpoint: e.SQLITE_WAL_AUTOCHECKPOINT,
    defaultTenant: e.DEFAULT_TENANT,
    logLevel: e.LOG_LEVEL,
    connectors: Object.freeze(e.CONNECTORS),
  });
}
