import { type Kysely, type Selectable, sql } from 'kysely';
import type pg from 'pg';
import { ConcurrencyConflictError } from '../../engine/runtime/case-engine.ts';
import type { EngineStore, EngineTx, JobRow, TimerRow } from '../../engine/runtime/ports.ts';
import type { Database } from './database.ts';
import { PostgresEngineTx } from './engine-tx.postgres.ts';
import { SqliteEngineTx, SqliteStatements } from './engine-tx.sqlite.ts';
import { GroupCommit, type GroupCommitOptions } from './group-commit.sqlite.ts';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';

/** Settings of the engine store; only SQLite has any (Postgres commits each step in its own transaction). */
export type EngineStoreOptions = { groupCommit?: GroupCommitOptions };

/**
 * The engine's store on the server database.
 *
 * Postgres: one transaction per step on a connection of the pool, with named prepared statements (see
 * {@link PostgresEngineTx}); a connection whose ROLLBACK failed is dropped, not handed out again. A job claim is one statement for the whole batch, the canonical shape
 * for `limit` rows: `UPDATE … WHERE id = <picked> AND <still eligible> RETURNING *`, the ids picked by
 * `SELECT … FOR UPDATE SKIP LOCKED LIMIT n` (materialized once), each with a lease token of its own.
 *
 * SQLite: prepared statements on the one connection, and group commit: steps that arrive together share one
 * transaction and one flush, each in its own savepoint (see {@link GroupCommit}). Job claims are one write of
 * the group too. SQLite has one writer at a time, so the claim needs no lock clause.
 */
export class KyselyEngineStore implements EngineStore {
  private readonly db: Kysely<DB>;
  private readonly sqlite: { statements: SqliteStatements; commits: GroupCommit<EngineTx> } | undefined;
  private readonly pool: pg.Pool | undefined;

  constructor(database: Database, options: EngineStoreOptions = {}) {
    this.db = database.db;
    this.pool = database.pool;
    if (database.dialect === 'sqlite') {
      if (!database.sqlite) throw new Error('SQLite database without its connection');
      const statements = new SqliteStatements(database.sqlite);
      const exclusive = <T>(fn: () => Promise<T>) => this.db.connection().execute(fn);
      this.sqlite = {
        statements,
        commits: new GroupCommit<EngineTx>(
          database.sqlite,
          new SqliteEngineTx(statements),
          exclusive,
          options.groupCommit,
        ),
      };
    }
  }

  async write<T>(fn: (tx: EngineTx) => Promise<T>): Promise<T> {
    if (this.sqlite) return this.sqlite.commits.write(fn);
    if (!this.pool) throw new Error('Postgres database without its pool');
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const engineTx = new PostgresEngineTx(client);
      const result = await fn(engineTx);
      await engineTx.buffer.flush();
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackFailed: Error) => {
        // The connection is gone or unusable: the pool drops it instead of handing it out again.
        broken = rollbackFailed;
      });
      // Postgres aborts one side of a deadlock or serialization conflict; the engine retries the step afresh.
      const code = (error as { code?: unknown }).code;
      if (code === '40P01' || code === '40001') throw new ConcurrencyConflictError('Gleichzeitige Änderung');
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async claimJobs(now: Date, leaseToken: () => string, leaseUntil: Date, limit: number): Promise<JobRow[]> {
    const sqlite = this.sqlite;
    if (sqlite) {
      const due = await this.db.connection().execute(async () => sqlite.statements.hasDueJobs(now.getTime()));
      if (!due) return [];
      return sqlite.commits.write(async () =>
        sqlite.statements.claimJobs(now.getTime(), leaseToken, leaseUntil.getTime(), limit),
      );
    }
    const nowMs = now.getTime();
    const tokens = Array.from({ length: limit }, () => leaseToken());
    const eligible = sql`((jobs.status = 'pending' and jobs.next_run_at <= ${nowMs})
      or (jobs.status = 'running' and jobs.lease_until < ${nowMs}))`;
    const claimed = await sql<Selectable<DB['jobs']>>`
      with picked as materialized (
        select id, row_number() over () as n
        from (select id from jobs where ${eligible} order by next_run_at limit ${limit} for update skip locked) due
      ),
      tokens as (select token, n from unnest(${tokens}::text[]) with ordinality as t(token, n))
      update jobs
      set lease_expired = case when jobs.status = 'running' then 1 else 0 end, status = 'running',
          lease_token = tokens.token, lease_until = ${leaseUntil.getTime()}, attempts = jobs.attempts + 1,
          updated_at = ${nowMs}
      from picked join tokens on tokens.n = picked.n
      where jobs.id = picked.id and ${eligible}
      returning jobs.*`.execute(this.db);
    return claimed.rows.map(rows.job);
  }

  async dueTimers(now: Date, limit: number): Promise<TimerRow[]> {
    const sqlite = this.sqlite;
    if (sqlite) return this.db.connection().execute(async () => sqlite.statements.dueTimers(now.getTime(), limit));
    const found = await this.db
      .selectFrom('timers')
      .selectAll()
      .where('status', '=', 'pending')
      .where('dueAt', '<=', now.getTime())
      .orderBy('dueAt')
      .limit(limit)
      .execute();
    return found.map(rows.timer);
  }
}
