import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.ts';
import { createServices } from '../../server/services.ts';
import { DEFAULT_WAL_AUTOCHECKPOINT, openSqlite } from '../../server/store/database.ts';

const PAGE = 4096;
let dir: string;
const open: SQLite.Database[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-settings-'));
});

afterEach(() => {
  for (const sqlite of open.splice(0)) sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A database of one table whose rows fill a page each, opened with `walAutocheckpoint`. */
function database(walAutocheckpoint?: number) {
  const sqlite = openSqlite(join(dir, 'w.db'), 'FULL', walAutocheckpoint);
  open.push(sqlite);
  sqlite.exec('create table t (id integer primary key, body blob)');
  const insert = sqlite.prepare('insert into t (body) values (zeroblob(3500))');
  return {
    sqlite,
    /** Commits `count` transactions of `rows` rows (about a page each). */
    commit(count: number, rows: number) {
      const write = sqlite.transaction(() => {
        for (let n = 0; n < rows; n++) insert.run();
      });
      for (let n = 0; n < count; n++) write();
    },
    walBytes: () => statSync(join(dir, 'w.db-wal')).size,
  };
}

describe('SQLite settings of a server process', () => {
  it('checkpoints every 10,000 WAL pages unless told otherwise, and trims the WAL beyond twice that', () => {
    const { sqlite } = database();
    expect(DEFAULT_WAL_AUTOCHECKPOINT).toBe(10_000);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(sqlite.pragma('journal_size_limit', { simple: true })).toBe(2 * 10_000 * PAGE);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('SQLITE_WAL_AUTOCHECKPOINT reaches the connection of the server', async () => {
    const services = await createServices(
      parseConfig({
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
        SQLITE_WAL_AUTOCHECKPOINT: '2500',
      }),
      { connectors: [] },
    );
    try {
      expect(services.database.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(2_500);
      expect(services.database.sqlite?.pragma('journal_size_limit', { simple: true })).toBe(2 * 2_500 * PAGE);
    } finally {
      await services.close();
    }
  });

  it('refuses a checkpoint size below 100 pages and names the variable', () => {
    try {
      parseConfig({ SQLITE_WAL_AUTOCHECKPOINT: '50' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^SQLITE_WAL_AUTOCHECKPOINT: /)]);
    }
  });

  it('keeps the WAL near the checkpoint size: commits past it copy the pages into the database and reuse the WAL', () => {
    const small = database(200);
    small.commit(60, 20); // about 1,200 pages in all
    expect(small.walBytes()).toBeLessThan(300 * (PAGE + 24));
    expect(small.sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 1_200 });
  });

  it('lets the WAL grow up to the checkpoint size before it copies anything', () => {
    const large = database(5_000);
    large.commit(60, 20);
    expect(large.walBytes()).toBeGreaterThan(1_200 * PAGE); // SQLite alone would have reused it after 1,000
  });

  it('trims a WAL that a large transaction grew beyond twice the checkpoint size once it is reused', () => {
    const { sqlite, commit, walBytes } = database(200);
    commit(1, 1_000); // one transaction of about 1,000 pages: the WAL grows to hold it
    expect(walBytes()).toBeGreaterThan(1_000 * PAGE);
    commit(1, 1); // reuses the checkpointed WAL from its start and trims the file
    expect(walBytes()).toBeLessThanOrEqual(2 * 200 * PAGE);
    expect(sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 1_001 });
  });
});
