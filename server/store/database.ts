import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type Migration,
  Migrator,
  PostgresDialect,
  SqliteDialect,
} from 'kysely';
import pg from 'pg';
import * as initial from './migrations/001-initial.ts';
import * as hotPathIndexes from './migrations/002-hot-path-indexes.ts';
import * as inbox from './migrations/003-inbox.ts';
import * as tenantContact from './migrations/004-tenant-contact.ts';
import * as sandbox from './migrations/005-sandbox.ts';
import * as leanWriteIndexes from './migrations/006-lean-write-indexes.ts';
import * as historyByCase from './migrations/007-history-by-case.ts';
import * as caseListIndexes from './migrations/008-case-list-indexes.ts';
import type { DB } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/**
 * An open database: the Kysely instance, which dialect it speaks, and how to close it. On SQLite also the
 * better-sqlite3 connection under Kysely, for the engine's prepared statements (use it only while holding
 * the connection through `db.connection()`); on Postgres the pool under Kysely.
 */
export type Database = {
  db: Kysely<DB>;
  dialect: Dialect;
  sqlite?: SQLite.Database;
  /** On Postgres the pool under Kysely, for the engine's prepared statements (`engine-tx.postgres.ts`). */
  pool?: pg.Pool;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** `postgres://…` or a SQLite file path (`file:` prefix optional). */
  url: string;
  /** SQLite `synchronous`: FULL (durable default) or NORMAL (benchmarks only). */
  synchronous?: 'FULL' | 'NORMAL';
  /** SQLite: WAL pages after which a commit checkpoints; see {@link openSqlite}. */
  walAutocheckpoint?: number;
  poolSize?: number;
  statementTimeoutMs?: number;
  /**
   * An idle pooled Postgres connection failed (the server restarted, an administrator ended the session): the pool
   * drops it and opens a new one on demand; this only reports it.
   */
  onConnectionLost?: (error: Error) => void;
};

/** SQLite: WAL pages after which a commit copies them into the database file, unless told otherwise. */
export const DEFAULT_WAL_AUTOCHECKPOINT = 10_000;

/**
 * Opens a SQLite file with the pragmas set on every open: better-sqlite3 reopens a WAL database with
 * synchronous=NORMAL by default, which would lose acknowledged commits on power loss. Temporary storage stays in
 * memory: each engine step runs in a savepoint of the group commit's transaction, and SQLite keeps the pages a
 * savepoint may have to restore in a sub-journal, which would otherwise spill to a temporary file once a batch wrote
 * more than 64 KiB (one write call per page, and the file grows for the whole transaction).
 *
 * Checkpoints: a commit that leaves more than `walAutocheckpoint` pages in the WAL copies them into the database
 * file, in the committing thread, with a flush of the WAL before and of the database file after. SQLite's default of
 * 1,000 pages means a checkpoint every 14 W1 cases or so, each writing the same hot index pages again; 10,000 pages
 * (about 40 MiB of WAL) writes each of them once per 140 cases. The WAL file keeps its size between checkpoints
 * (reused from the start, no growth to flush); `journal_size_limit` trims it back after a larger burst (a
 * migration, a bulk import) once it has been checkpointed.
 */
export function openSqlite(
  path: string,
  synchronous: 'FULL' | 'NORMAL' = 'FULL',
  walAutocheckpoint = DEFAULT_WAL_AUTOCHECKPOINT,
): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('temp_store = MEMORY');
  const pageSize = Number(sqlite.pragma('page_size', { simple: true }));
  sqlite.pragma(`wal_autocheckpoint = ${Math.trunc(walAutocheckpoint)}`);
  sqlite.pragma(`journal_size_limit = ${2 * Math.trunc(walAutocheckpoint) * pageSize}`);
  return sqlite;
}

/** SQLite write transactions start with BEGIN IMMEDIATE so two writers never deadlock on the lock upgrade. */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

// Postgres bigint (epoch milliseconds) fits a JS number; parse it as one instead of a string.
pg.types.setTypeParser(20, (value) => Number(value));

/** Opens the database named by the URL; Postgres for `postgres://`, otherwise a SQLite file. */
export function openDatabase(options: DatabaseOptions): Database {
  const plugins = [new CamelCasePlugin()];
  if (/^postgres(ql)?:\/\//.test(options.url)) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
    });
    pool.on('error', (error) => options.onConnectionLost?.(error));
    // The pool hears a connection's errors only while it is idle. While a query holds it (Kysely or an engine step),
    // the error reaches that query, which fails, and the pool drops the connection on release; this listener only
    // keeps the event from ending the process.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
    return { db, dialect: 'postgres', pool, close: () => db.destroy() };
  }
  const path = options.url.replace(/^file:/, '');
  const sqlite = openSqlite(path, options.synchronous, options.walAutocheckpoint);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: sqlite }), plugins });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

/** Every migration by name, in the order they run (exported for the tests that migrate an older schema). */
export const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-hot-path-indexes': hotPathIndexes,
  '003-inbox': inbox,
  '004-tenant-contact': tenantContact,
  '005-sandbox': sandbox,
  '006-lean-write-indexes': leanWriteIndexes,
  '007-history-by-case': historyByCase,
  '008-case-list-indexes': caseListIndexes,
};

/** Brings the schema up to date; safe to run on every start and from several processes (Kysely locks). */
export async function migrate(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `Migration fehlgeschlagen: ${failed?.migrationName ?? ''} ${error instanceof Error ? error.message : String(error ?? '')}`,
    );
  }
}
