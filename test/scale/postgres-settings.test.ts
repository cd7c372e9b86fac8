import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config.ts';
import { createServices, type Services } from '../../server/services.ts';
import { openDatabase } from '../../server/store/database.ts';
import { freshPostgres, TEST_DATABASE_URL } from '../support/postgres.ts';

describe.skipIf(!TEST_DATABASE_URL)('Postgres settings of a server process', () => {
  let services: Services;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const db = await freshPostgres(TEST_DATABASE_URL!);
    drop = db.drop;
    const config = parseConfig({
      DATABASE_URL: db.url,
      DB_POOL_SIZE: '2',
      DB_STATEMENT_TIMEOUT_MS: '300',
      LOG_LEVEL: 'silent',
      SECRETS_KEY: Buffer.alloc(32, 6).toString('base64'),
    });
    services = await createServices(config, { connectors: [] });
  }, 60_000);

  afterAll(async () => {
    await services?.close();
    await drop();
  });

  it('cancels a statement that runs longer than DB_STATEMENT_TIMEOUT_MS', async () => {
    await expect(sql`select pg_sleep(2)`.execute(services.database.db)).rejects.toMatchObject({ code: '57014' });
    const fine = await sql<{ one: number }>`select 1 as one`.execute(services.database.db);
    expect(fine.rows).toEqual([{ one: 1 }]);
  });

  it('opens at most DB_POOL_SIZE connections, however many queries wait', async () => {
    const observer = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await observer.connect();
    try {
      const name = (await sql<{ name: string }>`select current_database() as name`.execute(services.database.db))
        .rows[0]!.name;
      const busy = Array.from({ length: 8 }, () => sql`select pg_sleep(0.2)`.execute(services.database.db));
      let most = 0;
      for (let round = 0; round < 10; round++) {
        const seen = await observer.query(
          `select count(*) as n from pg_stat_activity where datname = $1 and backend_type = 'client backend'`,
          [name],
        );
        most = Math.max(most, Number(seen.rows[0].n));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await Promise.all(busy);
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(2);
    } finally {
      await observer.end();
    }
  });

  it('keeps running when Postgres ends its idle pooled connections, and reports it', async () => {
    const lost: unknown[] = [];
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${(await sql<{ name: string }>`select current_database() as name`.execute(services.database.db)).rows[0]!.name}`;
    const own = openDatabase({
      url: url.toString(),
      onConnectionLost: (error) => lost.push((error as { code?: string }).code),
    });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Both pools now hold an idle connection; the administrator ends every session of the database.
      await sql`select 1`.execute(own.db);
      await sql`select 1`.execute(services.database.db);
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
        [url.pathname.slice(1)],
      );
      await expect.poll(() => lost, { timeout: 5000 }).toEqual(['57P01']);
      const again = await sql<{ one: number }>`select 1 as one`.execute(own.db);
      expect(again.rows).toEqual([{ one: 1 }]);
      const server = await sql<{ one: number }>`select 1 as one`.execute(services.database.db);
      expect(server.rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await own.close();
    }
  });
});
