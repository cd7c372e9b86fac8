import { type Kysely, sql } from 'kysely';
import { rows } from './rows.ts';
import type { DB } from './schema.ts';

export type TaskListFilter = {
  tenantId: string;
  username: string;
  groups: string[];
  scope: 'mine' | 'group';
  state: 'open' | 'done';
  procedure?: string;
  overdue?: boolean;
  now: Date;
  limit: number;
  offset: number;
};

/** Sort key of a task without due date: after every real one (epoch milliseconds), as in `tasks_inbox_order`. */
const NO_DUE_DATE = 9007199254740991;

/** Read models for the API: inbox, case lists, history, incidents; every query filters by tenant. */
export class CaseQueries {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * A page of the inbox, by due date (none last), then id. A group inbox reads, per group, only the first
   * `offset + limit` tasks in index order (`tasks_inbox_order`) and merges those, so the first pages cost the same
   * with a hundred or a hundred thousand open tasks; the case columns are joined for the page's rows only.
   */
  async tasks(f: TaskListFilter) {
    if (f.scope === 'group' && f.groups.length === 0) return [];
    const perGroup = f.scope === 'group' ? f.groups : [undefined];
    const candidates = perGroup.map((group, n) => {
      let q = this.db
        .selectFrom('tasks')
        .select([
          'id',
          'caseId',
          'title',
          'status',
          'groupName',
          'assignee',
          'dueAt',
          'createdAt',
          'completedAt',
          'outcome',
          sql<number>`coalesce(due_at, ${sql.lit(NO_DUE_DATE)})`.as('sortKey'),
        ])
        .where('tenantId', '=', f.tenantId)
        .where('status', '=', f.state);
      if (group !== undefined) q = q.where('groupName', '=', group);
      else q = f.state === 'open' ? q.where('assignee', '=', f.username) : q.where('completedBy', '=', f.username);
      if (f.overdue) q = q.where('dueAt', '<', f.now.getTime());
      if (f.procedure) {
        const procedure = f.procedure;
        q = q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('cases')
              .select('cases.id')
              .whereRef('cases.id', '=', 'tasks.caseId')
              .where('cases.procedureKey', '=', procedure),
          ),
        );
      }
      const ordered = q
        .orderBy(sql`coalesce(due_at, ${sql.lit(NO_DUE_DATE)})`)
        .orderBy('id')
        .limit(f.offset + f.limit);
      return this.db.selectFrom(ordered.as(`g${n}`)).selectAll();
    });
    const merged = candidates.slice(1).reduce((all, next) => all.unionAll(next), candidates[0]!);
    const page = this.db
      .selectFrom(merged.as('u'))
      .selectAll()
      .orderBy('u.sortKey')
      .orderBy('u.id')
      .limit(f.limit)
      .offset(f.offset);
    const found = await this.db
      .selectFrom(page.as('t'))
      .innerJoin('cases', 'cases.id', 't.caseId')
      .select([
        't.id',
        't.caseId',
        'cases.caseNumber',
        'cases.procedureKey as procedure',
        't.title',
        't.status as state',
        't.groupName as group',
        't.assignee',
        't.dueAt',
        't.createdAt',
        't.completedAt',
        't.outcome',
      ])
      .orderBy('t.sortKey')
      .orderBy('t.id')
      .execute();
    return found.map((t) => ({
      ...t,
      dueAt: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
      createdAt: new Date(t.createdAt).toISOString(),
      completedAt: t.completedAt === null ? null : new Date(t.completedAt).toISOString(),
      overdue: t.state === 'open' && t.dueAt !== null && t.dueAt < f.now.getTime(),
    }));
  }

  async task(tenantId: string, taskId: string) {
    const r = await this.db
      .selectFrom('tasks')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', taskId)
      .executeTakeFirst();
    return r ? rows.task(r) : undefined;
  }

  /** Claims an open task for a user; false when it is done or someone else holds it. */
  async claim(tenantId: string, taskId: string, username: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set({ assignee: username })
      .where('tenantId', '=', tenantId)
      .where('id', '=', taskId)
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('assignee', 'is', null), eb('assignee', '=', username)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Releases a task the user holds (admins may release any). */
  async unclaim(tenantId: string, taskId: string, username: string | null): Promise<boolean> {
    let q = this.db
      .updateTable('tasks')
      .set({ assignee: null })
      .where('tenantId', '=', tenantId)
      .where('id', '=', taskId)
      .where('status', '=', 'open');
    if (username !== null) q = q.where('assignee', '=', username);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async case(tenantId: string, caseId: string) {
    const r = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', caseId)
      .executeTakeFirst();
    return r ? rows.case(r) : undefined;
  }

  async caseByTrackingCode(trackingCode: string) {
    const r = await this.db.selectFrom('cases').selectAll().where('trackingCode', '=', trackingCode).executeTakeFirst();
    return r ? rows.case(r) : undefined;
  }

  async cases(f: { tenantId: string; procedure?: string; state?: string; limit: number; offset: number }) {
    let q = this.db.selectFrom('cases').selectAll().where('tenantId', '=', f.tenantId);
    if (f.procedure) q = q.where('procedureKey', '=', f.procedure);
    if (f.state) q = q.where('state', '=', f.state);
    const found = await q.orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
    return found.map(rows.case);
  }

  async history(tenantId: string, caseId: string) {
    const found = await this.db
      .selectFrom('history')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('caseId', '=', caseId)
      .orderBy('id')
      .execute();
    return found.map(rows.history);
  }

  async caseTasks(tenantId: string, caseId: string) {
    const found = await this.db
      .selectFrom('tasks')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('caseId', '=', caseId)
      .orderBy('id')
      .execute();
    return found.map(rows.task);
  }

  async caseJobs(tenantId: string, caseId: string) {
    const found = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('caseId', '=', caseId)
      .orderBy('id')
      .execute();
    return found.map(rows.job);
  }

  async incidents(tenantId: string) {
    const found = await this.db
      .selectFrom('jobs')
      .innerJoin('cases', 'cases.id', 'jobs.caseId')
      .selectAll('jobs')
      .select('cases.caseNumber')
      .where('jobs.tenantId', '=', tenantId)
      .where('jobs.status', '=', 'incident')
      .orderBy('jobs.updatedAt', 'desc')
      .execute();
    return found.map((j) => ({ ...rows.job(j), caseNumber: j.caseNumber }));
  }

  /** Puts an incident back into the queue with fresh attempts; false when it is no incident (any more). */
  async retryIncident(tenantId: string, jobId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({
        status: 'pending',
        attempts: 0,
        nextRunAt: now.getTime(),
        leaseToken: null,
        leaseUntil: null,
        leaseExpired: 0,
        updatedAt: now.getTime(),
      })
      .where('tenantId', '=', tenantId)
      .where('id', '=', jobId)
      .where('status', '=', 'incident')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countRunningCases(tenantId: string): Promise<Record<string, number>> {
    const found = await this.db
      .selectFrom('cases')
      .select(['procedureKey', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenantId', '=', tenantId)
      // A literal, so SQLite may read the partial index of active cases (`cases_active`).
      .where('status', '=', sql.lit('active'))
      .groupBy('procedureKey')
      .execute();
    return Object.fromEntries(found.map((r) => [r.procedureKey, Number(r.n)]));
  }
}
