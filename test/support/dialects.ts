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
