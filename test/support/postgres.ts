import pg from 'pg';

/** The Postgres server the dialect tests run against; unset means those tests are skipped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/**
 * Creates an empty database on a Postgres server for one test file or benchmark run (`prefix` names whose it is);
 * `drop()` removes it again.
 */
export async function freshPostgres(
  baseUrl: string,
  prefix = 'verfahren_t',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
