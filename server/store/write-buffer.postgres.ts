import { type OperationNodeSource, sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

type Table = keyof DB;
/** An INSERT or UPDATE query builder of the transaction, not yet executed. */
type Statement = OperationNodeSource & { execute(): Promise<unknown> };

/**
 * Collects a Postgres step's writes whose outcome the engine does not look at (inserting tasks, jobs, timers and
 * history, cancelling open work) and sends them as ONE statement — data-modifying CTEs — instead of one round trip
 * each. Nothing changes about what is written or locked: the statements still run inside the step's transaction,
 * after the case row was locked, and before COMMIT (`flush`); a failing one fails the step as before.
 *
 * The statements of one CTE statement all see the database as it was before it, so the buffer is flushed first
 * whenever that could differ from running them one by one: before a statement whose result the engine reads, on a
 * table with writes waiting (read your own writes), and before an UPDATE on a table with writes waiting. Inserts
 * only add rows, so they share a statement with anything; foreign keys are checked at its end.
 */
export class WriteBuffer {
  private readonly pending: Statement[] = [];
  private readonly touched = new Set<Table>();

  constructor(private readonly tx: Transaction<DB>) {}

  /** Queues an INSERT. */
  async insert(table: Table, statement: Statement): Promise<void> {
    this.pending.push(statement);
    this.touched.add(table);
  }

  /** Queues an UPDATE of these tables (sent after the waiting writes to them, never together with them). */
  async update(tables: Table[], statement: Statement): Promise<void> {
    await this.before(tables);
    this.pending.push(statement);
    for (const table of tables) this.touched.add(table);
  }

  /** Call before running a statement on these tables at once: sends the waiting writes when they touch one. */
  async before(tables: Table[]): Promise<void> {
    if (tables.some((table) => this.touched.has(table))) await this.flush();
  }

  /** Sends every waiting write, as one statement. */
  async flush(): Promise<void> {
    const statements = this.pending.splice(0);
    this.touched.clear();
    if (statements.length === 0) return;
    if (statements.length === 1) {
      await statements[0]!.execute();
      return;
    }
    const parts = statements.map((statement, i) => sql`${sql.id(`w${i}`)} as (${statement})`);
    await sql`with ${sql.join(parts)} select 1`.execute(this.tx);
  }
}
