import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from './database.ts';
import { GroupCommit, type GroupCommitOptions } from './group-commit.sqlite.ts';

type Tx = { insert(id: string): void; sqlite: SQLite.Database };

let dir: string;
let sqlite: SQLite.Database;
let reader: SQLite.Database;
let batches: number;

function groupCommit(options: GroupCommitOptions = {}) {
  const insert = sqlite.prepare('insert into t (id) values (?)');
  const tx: Tx = { insert: (id) => insert.run(id), sqlite };
  const exclusive = async <T>(fn: () => Promise<T>) => {
    batches++;
    return fn();
  };
  return new GroupCommit<Tx>(sqlite, tx, exclusive, options);
}

/** The files this process has open (Linux): SQLite unlinks a temporary file at once but keeps it open. */
const openFiles = () =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });

/** What another connection sees: only committed rows. */
const committed = () => (reader.prepare('select id from t order by id').all() as { id: string }[]).map((r) => r.id);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  sqlite = openSqlite(join(dir, 'g.db'));
  sqlite.exec('create table t (id text primary key)');
  reader = openSqlite(join(dir, 'g.db'));
  batches = 0;
});

afterEach(() => {
  sqlite.close();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite group commit', () => {
  it('puts writes that arrive together into one transaction, and resolves each only once it is committed', async () => {
    const commits = groupCommit();
    const seenAtResolve: string[][] = [];
    const ids = Array.from({ length: 50 }, (_, n) => `w${String(n).padStart(2, '0')}`);
    await Promise.all(
      ids.map((id) =>
        commits
          .write(async (tx) => tx.insert(id))
          .then(() => {
            seenAtResolve.push(committed());
          }),
      ),
    );
    expect(batches).toBe(1);
    expect(committed()).toEqual(ids);
    for (const seen of seenAtResolve) expect(seen).toEqual(ids);
  });

  it('rolls back a failing write alone; the others of its transaction commit', async () => {
    const commits = groupCommit();
    const results = await Promise.allSettled([
      commits.write(async (tx) => tx.insert('a')),
      commits.write(async (tx) => {
        tx.insert('b');
        throw new Error('step failed');
      }),
      commits.write(async (tx) => tx.insert('b')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('step failed'));
    expect(committed()).toEqual(['a', 'b']);
    expect(batches).toBe(1);
  });

  it('rolls back a failing first write of a transaction alone; the writes after it commit', async () => {
    const commits = groupCommit();
    const results = await Promise.allSettled([
      commits.write(async (tx) => {
        tx.insert('first');
        throw new Error('step failed');
      }),
      commits.write(async (tx) => {
        tx.insert('again');
        throw new Error('step failed');
      }),
      commits.write(async (tx) => tx.insert('a')),
      commits.write(async (tx) => tx.insert('b')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(committed()).toEqual(['a', 'b']);
    expect(batches).toBe(1);
    await commits.write(async (tx) => tx.insert('first'));
    expect(committed()).toEqual(['a', 'b', 'first']);
  });

  it('rejects a failed first write with its own error also when the next transaction cannot begin', async () => {
    // The database's answer when another process holds the write lock past busy_timeout, at the second BEGIN.
    let begins = 0;
    const locked = new Proxy(sqlite, {
      get(target, key) {
        if (key === 'prepare')
          return (source: string) => {
            const statement = target.prepare(source);
            if (source !== 'begin immediate') return statement;
            return {
              run: () => {
                if (++begins === 2) throw new Error('database is locked');
                return statement.run();
              },
            };
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const insert = sqlite.prepare('insert into t (id) values (?)');
    const commits = new GroupCommit<Tx>(locked, { insert: (id) => insert.run(id), sqlite }, async (fn) => fn());
    const results = await Promise.allSettled([
      commits.write(async (tx) => {
        tx.insert('failed');
        throw new Error('step failed');
      }),
      commits.write(async (tx) => tx.insert('after')),
    ]);
    expect(results[0]).toEqual({ status: 'rejected', reason: new Error('step failed') });
    expect(results[1]?.status).toBe('fulfilled');
    expect(committed()).toEqual(['after']);
  });

  it('lets a write retried after its failure join the same transaction', async () => {
    const commits = groupCommit();
    let attempts = 0;
    const retried = async (): Promise<void> => {
      try {
        await commits.write(async (tx) => {
          attempts++;
          if (attempts === 1) throw new Error('conflict');
          tx.insert('retried');
        });
      } catch {
        await retried();
      }
    };
    await Promise.all([retried(), commits.write(async (tx) => tx.insert('other'))]);
    expect(attempts).toBe(2);
    expect(committed()).toEqual(['other', 'retried']);
    expect(batches).toBe(1);
  });

  it('acknowledges nothing of a transaction that failed as a whole, and carries on afterwards', async () => {
    const commits = groupCommit();
    const results = await Promise.allSettled([
      commits.write(async (tx) => tx.insert('before')),
      commits.write(async (tx) => {
        // What SQLite does on disk full or an I/O error: the whole transaction is gone.
        tx.sqlite.exec('rollback');
        throw new Error('disk I/O error');
      }),
      commits.write(async (tx) => tx.insert('after')),
    ]);
    // `before` ran in the lost transaction: it is rejected, not acknowledged; `after` was still waiting.
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['after']);
    await commits.write(async (tx) => tx.insert('later'));
    expect(committed()).toEqual(['after', 'later']);
  });

  it('keeps a savepoint that changes many pages in memory, without a temporary file', async () => {
    // 60 rows of 3 KiB, one page each: a write that changes 30 of them makes its savepoint journal 120 KiB of
    // pages, past the 64 KiB at which SQLite would move that journal to a temporary file.
    sqlite.exec('create table big (id integer primary key, payload text)');
    const fill = sqlite.prepare('insert into big (id, payload) values (?, ?)');
    for (let n = 0; n < 60; n++) fill.run(n, 'a'.repeat(3072));
    const update = sqlite.prepare('update big set payload = ? where id = ?');
    const commits = groupCommit();
    const filesBefore = new Set(openFiles());
    const opened: string[] = [];
    await Promise.all(
      [0, 1, 2].map((w) =>
        commits.write(async (tx) => {
          for (let n = w; n < 60; n += 2) update.run(`${w}${'b'.repeat(3071)}`, n);
          tx.insert(`w${w}`);
          opened.push(...openFiles().filter((file) => !filesBefore.has(file)));
        }),
      ),
    );
    expect(batches).toBe(1);
    expect(committed()).toEqual(['w0', 'w1', 'w2']);
    expect(opened).toEqual([]);
  });

  it('splits a large burst into transactions of at most maxBatch writes', async () => {
    const commits = groupCommit({ maxBatch: 3 });
    await Promise.all(Array.from({ length: 10 }, (_, n) => commits.write(async (tx) => tx.insert(`x${n}`))));
    expect(batches).toBe(4);
    expect(committed()).toHaveLength(10);
  });

  it('commits a single write on an idle store at once, whatever the window', async () => {
    const commits = groupCommit({ windowMs: 100_000 });
    // With a 100 s wait, this would run into the test's timeout: an idle store does not wait for company.
    for (let n = 0; n < 3; n++) await commits.write(async (tx) => tx.insert(`single${n}`));
    expect(committed()).toEqual(['single0', 'single1', 'single2']);
    expect(batches).toBe(3);
  });
});
