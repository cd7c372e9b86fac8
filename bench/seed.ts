import type SQLite from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import type { Services } from '../server/services.ts';
import { W1, w1Application } from './w1.definition.ts';
import { publishW1 } from './w1-setup.ts';

/** The groups of the benchmark's caseworker; seeded tasks are spread over them (half, a third, the rest). */
export const INBOX_GROUPS = [W1.group, 'Bürgerbüro', 'Ordnungsamt'];

const CLONED_TABLES = ['cases', 'tasks', 'jobs', 'history'] as const;
const CHUNK = 2000;

/**
 * Fills a SQLite database with `count` W1 cases quickly: one case is taken through the real engine (to its review,
 * or to its final state), then its rows — case, task, jobs, history — are copied `count` times with fresh time-ordered
 * ids, case numbers and tracking codes. The copies are what a long-running installation has stored.
 */
export async function seedW1Cases(services: Services, count: number, stage: 'review' | 'final'): Promise<void> {
  await publishW1(services);
  const template = await templateCase(services, stage);
  const sqlite = services.database.sqlite;
  if (!sqlite) throw new Error('seeding needs SQLite');
  const rows = Object.fromEntries(
    CLONED_TABLES.map((table) => [
      table,
      sqlite.prepare(`select * from ${table} where ${table === 'cases' ? 'id' : 'case_id'} = ?`).all(template),
    ]),
  ) as Record<(typeof CLONED_TABLES)[number], Record<string, unknown>[]>;
  const inserts = Object.fromEntries(
    CLONED_TABLES.map((table) => {
      const columns = Object.keys(rows[table][0] ?? { id: null });
      return [
        table,
        sqlite.prepare(
          `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
        ),
      ];
    }),
  ) as Record<(typeof CLONED_TABLES)[number], SQLite.Statement>;
  const insertChunk = sqlite.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const caseId = uuidv7();
      const shift = (value: unknown) => (typeof value === 'number' ? value - (count - n) * 1000 : value);
      for (const row of rows.cases) {
        inserts.cases.run({
          ...row,
          id: caseId,
          case_number: `BEN-SEED-${String(n).padStart(7, '0')}`,
          tracking_code: `S${caseId.replaceAll('-', '').slice(-11).toUpperCase()}`,
          created_at: shift(row.created_at),
          updated_at: shift(row.updated_at),
        });
      }
      for (const row of rows.tasks) {
        const group = INBOX_GROUPS[n % 6 < 3 ? 0 : n % 6 < 5 ? 1 : 2];
        const task = { ...row, id: uuidv7(), case_id: caseId, group_name: group, due_at: shift(row.due_at) };
        inserts.tasks.run({ ...task, created_at: shift(row.created_at) });
      }
      for (const row of rows.jobs) {
        const state = String(row.state);
        inserts.jobs.run({ ...row, id: uuidv7(), case_id: caseId, idempotency_key: `${caseId}:${state}:1` });
      }
      for (const row of rows.history) inserts.history.run({ ...row, id: uuidv7(), case_id: caseId, at: shift(row.at) });
    }
  });
  await services.database.db.connection().execute(async () => {
    for (let from = 0; from < count; from += CHUNK) insertChunk(from, Math.min(count, from + CHUNK));
  });
}

/** One W1 case through the real engine, left at its review (open task) or taken to its final state. */
async function templateCase(services: Services, stage: 'review' | 'final'): Promise<string> {
  const engine = services.engine;
  const row = await engine.start({
    tenantId: W1.tenant,
    procedureKey: W1.key,
    version: 1,
    data: w1Application(0),
    actor: { kind: 'citizen' },
  });
  if (stage === 'review') return row.id;
  const [task] = await services.queries.caseTasks(W1.tenant, row.id);
  if (!task || !(await services.queries.claim(W1.tenant, task.id, W1.caseworker))) throw new Error('no review task');
  await engine.completeTask({
    tenantId: W1.tenant,
    taskId: task.id,
    username: W1.caseworker,
    outcome: 'approve',
    data: { note: 'Vorlage' },
  });
  for (let round = 0; round < 10 && (await services.jobs.runOnce()) > 0; round++);
  const done = await services.queries.case(W1.tenant, row.id);
  if (done?.status !== 'done') throw new Error(`template case ended in ${done?.state}`);
  return row.id;
}
