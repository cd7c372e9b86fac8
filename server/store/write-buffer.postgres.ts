import type { EngineTable } from './engine-sql.ts';

/** An INSERT or UPDATE with `$n` placeholders (its only `$` signs) and its values. */
export type BufferedWrite = { sql: string; values: unknown[] };

/**
 * Collects a Postgres step's writes whose outcome the engine does not look at (inserting tasks, jobs, timers and
 * history, cancelling open work, the update of a case the step holds locked) and sends them as ONE statement —
 * data-modifying CTEs — instead of one round trip each. Nothing changes about what is written or locked: the
 * statements still run inside the step's transaction, after the case row was locked, and before COMMIT (`flush`); a
 * failing one fails the step as before.
 *
 * The statements of one CTE statement all see the database as it was before it, so the buffer is flushed first
 * whenever that could differ from running them one by one: before a statement whose result the engine reads, on a
 * table with writes waiting (read your own writes), and before an UPDATE on a table with writes waiting. Inserts
 * only add rows, so they share a statement with anything; foreign keys are checked at its end.
 */
export class WriteBuffer {
  private readonly pending: BufferedWrite[] = [];
  private readonly touched = new Set<EngineTable>();

  /** `execute` runs one statement in the step's transaction. */
  constructor(private readonly execute: (sql: string, values: unknown[]) => Promise<unknown>) {}

  /** Queues an INSERT. */
  insert(table: EngineTable, write: BufferedWrite): void {
    this.pending.push(write);
    this.touched.add(table);
  }

  /** Queues an UPDATE of this table (sent after the waiting writes to it, never together with them). */
  async update(table: EngineTable, write: BufferedWrite): Promise<void> {
    await this.before([table]);
    this.pending.push(write);
    this.touched.add(table);
  }

  /** Call before running a statement on these tables at once: sends the waiting writes when they touch one. */
  async before(tables: EngineTable[]): Promise<void> {
    if (tables.some((table) => this.touched.has(table))) await this.flush();
  }

  /** Sends every waiting write, as one statement. */
  async flush(): Promise<void> {
    const writes = this.pending.splice(0);
    this.touched.clear();
    if (writes.length === 0) return;
    if (writes.length === 1) {
      await this.execute(writes[0]!.sql, writes[0]!.values);
      return;
    }
    const parts: string[] = [];
    const values: unknown[] = [];
    for (const [i, write] of writes.entries()) {
      const offset = values.length;
      parts.push(`w${i} as (${write.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`);
      values.push(...write.values);
    }
    await this.execute(`with ${parts.join(', ')} select 1`, values);
  }
}
