import type { EngineTable, Statement } from './engine-sql.ts';

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
  private readonly pending: Statement[] = [];
  private readonly touched = new Set<EngineTable>();

  /**
   * `execute` runs one statement in the step's transaction. The statements are INSERTs and UPDATEs with `$n`
   * placeholders (their only `$` signs).
   */
  constructor(private readonly execute: (statement: Statement) => Promise<unknown>) {}

  /** Queues an INSERT. */
  insert(table: EngineTable, write: Statement): void {
    this.pending.push(write);
    this.touched.add(table);
  }

  /** Queues an UPDATE of this table (sent after the waiting writes to it, never together with them). */
  async update(table: EngineTable, write: Statement): Promise<void> {
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
      await this.execute(writes[0]!);
      return;
    }
    const values: unknown[] = [];
    for (const write of writes) values.push(...write.values);
    await this.execute({ sql: joined(writes), values });
  }
}

/** Ids of the statement texts seen, so that a joined statement is found by a short key. */
const textIds = new Map<string, number>();
/** Joined statements by the ids and value counts of their parts; a step writes in few distinct shapes. */
const joinedTexts = new Map<string, string>();
/** Kept shapes at most (beyond, a joined statement is built each time). */
const MOST_SHAPES = 1000;

/** `with w0 as (…), w1 as (…) select 1`, each part's placeholders moved past the values of the parts before it. */
function joined(writes: Statement[]): string {
  const key = writes
    .map((write) => {
      let id = textIds.get(write.sql);
      if (id === undefined) {
        id = textIds.size;
        textIds.set(write.sql, id);
      }
      return `${id}:${write.values.length}`;
    })
    .join(' ');
  let sql = joinedTexts.get(key);
  if (!sql) {
    let offset = 0;
    const parts = writes.map((write, i) => {
      const shift = offset;
      offset += write.values.length;
      return `w${i} as (${write.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`)})`;
    });
    sql = `with ${parts.join(', ')} select 1`;
    if (joinedTexts.size < MOST_SHAPES) joinedTexts.set(key, sql);
  }
  return sql;
}
