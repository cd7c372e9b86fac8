import type SQLite from 'better-sqlite3';

/** How the group commit batches; see {@link GroupCommit}. */
export type GroupCommitOptions = {
  /**
   * While several writers are busy (the last commit carried more than one write and ended less than this many
   * milliseconds ago), a new batch waits until this long after that commit, so more writers join it. A single
   * writer or an idle store commits at once. Default 2 ms; 0 turns the wait off (writers that arrive while a batch
   * runs still join the next one).
   */
  windowMs?: number;
  /** Most writes in one transaction; the rest wait for the next one. Default 256. */
  maxBatch?: number;
};

type Pending<Tx> = {
  run(tx: Tx): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** `ran`: succeeded in its savepoint, waits for the COMMIT; `failed`: already rejected. */
  state: 'queued' | 'running' | 'ran' | 'failed';
  result?: unknown;
};

/**
 * Group commit for SQLite: writes that arrive together share one `BEGIN IMMEDIATE … COMMIT` (one WAL flush with
 * synchronous=FULL), each in a savepoint of its own, so a failing write rolls back alone. A writer's promise
 * resolves only after the shared COMMIT returned: an acknowledged write is on disk. The batch runs while it holds
 * the connection (`exclusive`), so no other query of the process can slip into the open transaction.
 */
export class GroupCommit<Tx> {
  private readonly queue: Pending<Tx>[] = [];
  private scheduled = false;
  private flushing = false;
  private lastCommitEnd = Number.NEGATIVE_INFINITY;
  private lastBatchSize = 0;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  /** The transaction control statements, prepared once (parsing them per step shows in the profile). */
  private readonly control: Record<
    'begin' | 'savepoint' | 'release' | 'rollbackTo' | 'commit' | 'rollback',
    SQLite.Statement
  >;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly tx: Tx,
    private readonly exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 2;
    this.maxBatch = options.maxBatch ?? 256;
    this.control = {
      begin: sqlite.prepare('begin immediate'),
      savepoint: sqlite.prepare('savepoint step'),
      release: sqlite.prepare('release step'),
      rollbackTo: sqlite.prepare('rollback to step'),
      commit: sqlite.prepare('commit'),
      rollback: sqlite.prepare('rollback'),
    };
  }

  /** Runs `fn` in the next shared transaction; resolves after that transaction committed. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: fn, resolve: resolve as (value: unknown) => void, reject, state: 'queued' });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const sinceCommit = performance.now() - this.lastCommitEnd;
    const flush = () => void this.flush();
    if (this.lastBatchSize > 1 && sinceCommit < this.windowMs) setTimeout(flush, this.windowMs - sinceCommit);
    else setImmediate(flush);
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    const batch: Pending<Tx>[] = [];
    let failure: { error: unknown } | undefined;
    try {
      await this.exclusive(() => this.runBatch(batch));
    } catch (error) {
      failure = { error };
      // BEGIN itself failed (the file stayed locked past busy_timeout): the waiting writers learn it now.
      if (batch.length === 0) batch.push(...this.queue.splice(0, this.maxBatch));
    }
    this.lastCommitEnd = performance.now();
    this.lastBatchSize = batch.length;
    this.flushing = false;
    for (const pending of batch) {
      if (pending.state === 'failed') continue;
      if (failure) pending.reject(failure.error);
      else pending.resolve(pending.result);
    }
    if (this.queue.length > 0) this.schedule();
  }

  /**
   * One transaction: every queued write in its savepoint, also those queued while the batch runs (a failed write's
   * retry joins the same batch). A failed write is rejected at once: nothing of it will be committed. The first write
   * of a transaction needs no savepoint: when it fails, the transaction holds nothing else, so it is rolled back as a
   * whole and begun again (the common case of one write per batch pays for no savepoint).
   */
  private async runBatch(batch: Pending<Tx>[]): Promise<void> {
    const control = this.control;
    control.begin.run();
    let empty = true;
    try {
      while (batch.length < this.maxBatch && this.queue.length > 0) {
        const pending = this.queue.shift()!;
        batch.push(pending);
        pending.state = 'running';
        const savepoint = !empty;
        if (savepoint) control.savepoint.run();
        try {
          pending.result = await pending.run(this.tx);
          if (savepoint) control.release.run();
          pending.state = 'ran';
          empty = false;
        } catch (error) {
          // Some errors (disk full, I/O) end the whole transaction; then the batch fails as a whole.
          if (!this.sqlite.inTransaction) throw error;
          // Rejected with its own error first: if beginning the next transaction fails, the batch fails without it.
          pending.state = 'failed';
          pending.reject(error);
          if (savepoint) {
            control.rollbackTo.run();
            control.release.run();
          } else {
            control.rollback.run();
            control.begin.run();
          }
        }
      }
      control.commit.run();
    } catch (error) {
      if (this.sqlite.inTransaction) control.rollback.run();
      throw error;
    }
  }
}
