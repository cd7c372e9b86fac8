import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../../server/store/database.ts';
import { freshPostgres, TEST_DATABASE_URL } from './postgres.ts';

/** A database to run a suite on: a fresh SQLite file (the harness makes one) or a fresh Postgres database. */
export type DialectUnderTest = {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ databaseUrl?: string; drop(): Promise<void> }>;
};

/** SQLite always; Postgres too when TEST_DATABASE_URL is set — the same suite runs on both. */
export function dialectsUnderTest(): DialectUnderTest[] {
  const list: DialectUnderTest[] = [{ name: 'sqlite', open: async () => ({ drop: async () => {} }) }];
  const url = TEST_DATABASE_URL;
  if (url) {
    list.push({
      name: 'postgres',
      async open() {
        const db = await freshPostgres(url);
        return { databaseUrl: db.url, drop: db.drop };
      },
    });
  }
  return list;
}

/**
 * A fresh, empty database of the dialect (a SQLite file in a temporary directory); `url` opens it once more (a second
 * connection, as a second process would), `close` removes it again.
 */
export async function openFreshDatabase(
  dialect: DialectUnderTest,
): Promise<{ database: Database; url: string; close(): Promise<void> }> {
  const { databaseUrl, drop } = await dialect.open();
  const dir = mkdtempSync(join(tmpdir(), 'db-'));
  const url = databaseUrl ?? join(dir, 'db.sqlite');
  const database = openDatabase({ url });
  return {
    database,
    url,
    async close() {
      await database.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
