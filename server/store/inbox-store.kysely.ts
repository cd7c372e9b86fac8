import { type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Dialect } from './database.ts';
import type { DB } from './schema.ts';

/** The caseworker's queues: held by me, my groups', my groups' overdue, held by me on follow-up, completed by me. */
export const QUEUES = ['mine', 'group', 'overdue', 'followUp', 'done'] as const;
export type Queue = (typeof QUEUES)[number];

export type InboxFilter = {
  tenantId: string;
  username: string;
  groups: string[];
  queue: Queue;
  procedure?: string;
  /** Only tasks due before this instant (the end of the chosen day). */
  dueBefore?: number;
  /** Words matched (case-insensitive, substring) against case number, task title and applicant. */
  text?: string;
  sort: SortKey;
  descending: boolean;
  now: Date;
  limit: number;
  offset: number;
};

/**
 * What a queue can be sorted by: due date, when the case was received (its start), case number, procedure (key).
 * Ties are broken by the task id, so paging is stable.
 */
export const SORT_KEYS = ['due', 'received', 'caseNumber', 'procedure'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Sort key of a task without due date, as in the index `tasks_inbox_order` (002): after every real one. */
const NO_DUE_DATE = 9007199254740991;
const sortKey = sql<number>`coalesce(due_at, ${sql.lit(NO_DUE_DATE)})`;

/** The case columns the inbox sorts by (receipt, case number, procedure), all in the index `cases_sort_keys` (004). */
const SORT_COLUMNS = { received: 'created_at', caseNumber: 'case_number', procedure: 'procedure_key' } as const;

/**
 * Where a procedure's form keeps who applied: the first group with a family name (`applicant`, `owner`, `contact`,
 * `person`, in that order), else the contact e-mail address (anonymous reports).
 */
const NAME_GROUPS = ['applicant', 'owner', 'contact', 'person'] as const;

type TaskQuery<O> = SelectQueryBuilder<DB, 'tasks', O>;

/** Inbox read model and caseworker actions beyond the engine's: queues, hand-over, follow-ups, notes. */
export class InboxStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * The sort expression: due date straight from the index `tasks_inbox_order`; a case column through the covering
   * index `cases_sort_keys` (004), looked up per open task of the queue's groups (the case rows themselves, with their
   * snapshots, are never read), then a top-N sort. SQLite would take the primary key's index, which is not covering.
   */
  private sortExpression(key: SortKey): RawBuilder<number | string> {
    if (key === 'due') return sortKey;
    const hint = this.dialect === 'sqlite' ? sql.raw(' indexed by cases_sort_keys') : sql.raw('');
    return sql<
      number | string
    >`(select c.${sql.raw(SORT_COLUMNS[key])} from cases c${hint} where c.id = tasks.case_id)`;
  }

  /** A value of the case variables as text, read in the database so big attachments never reach the server. */
  private caseVar(path: string): RawBuilder<string | null> {
    return this.dialect === 'postgres'
      ? sql<string | null>`(cases.snapshot::jsonb #>> ${sql.lit(`{context,vars,${path.split('.').join(',')}}`)})`
      : sql<string | null>`json_extract(cases.snapshot, ${sql.lit(`$.context.vars.${path}`)})`;
  }

  private applicant(): RawBuilder<string | null> {
    const names = NAME_GROUPS.map(
      (g) => sql`${this.caseVar(`${g}.familyName`)} || ', ' || ${this.caseVar(`${g}.givenNames`)}`,
    );
    return sql<string | null>`coalesce(${sql.join([...names, this.caseVar('contact.email')])})`;
  }

  private filtered<O>(q: TaskQuery<O>, f: InboxFilter, group: string | undefined): TaskQuery<O> {
    q = q.where('tasks.tenantId', '=', f.tenantId);
    const followUp = (eb: ExpressionBuilder<DB, 'tasks'>) =>
      eb.exists(
        eb
          .selectFrom('taskFollowUps')
          .select('taskFollowUps.taskId')
          .whereRef('taskFollowUps.taskId', '=', 'tasks.id')
          .where('taskFollowUps.until', '>', f.now.getTime()),
      );
    switch (f.queue) {
      case 'mine':
        q = q.where('status', '=', 'open').where('assignee', '=', f.username);
        q = q.where((eb) => eb.not(followUp(eb)));
        break;
      case 'followUp':
        q = q.where('status', '=', 'open').where('assignee', '=', f.username).where(followUp);
        break;
      case 'done':
        q = q.where('status', '=', 'done').where('completedBy', '=', f.username);
        break;
      case 'overdue':
        q = q.where('status', '=', 'open').where(sortKey, '<', f.now.getTime());
        break;
      case 'group':
        q = q.where('status', '=', 'open');
        break;
    }
    if (group !== undefined) q = q.where('groupName', '=', group);
    if (f.dueBefore !== undefined) q = q.where(sortKey, '<', f.dueBefore);
    const procedure = f.procedure;
    const words = (f.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    if (procedure || words.length) {
      q = q.where(({ exists, selectFrom }) => {
        let cases = selectFrom('cases').select('cases.id').whereRef('cases.id', '=', 'tasks.caseId');
        if (procedure) cases = cases.where('cases.procedureKey', '=', procedure);
        for (const word of words) {
          const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          cases = cases.where(
            sql<boolean>`(lower(cases.case_number) like ${like} escape '\\' or lower(tasks.title) like ${like} escape '\\' or lower(${this.applicant()}) like ${like} escape '\\')`,
          );
        }
        return exists(cases);
      });
    }
    return q;
  }

  /** The groups a queue reads: one index range per group for the group queues, the user's own rows otherwise. */
  private scopes(f: InboxFilter): (string | undefined)[] {
    return f.queue === 'group' || f.queue === 'overdue' ? f.groups : [undefined];
  }

  /**
   * A page of a queue by the chosen key (due date: none last), either direction, then id, and the queue's size. A
   * group queue reads, per group, only the first `offset + limit` tasks in sort order and merges those; by due date
   * that is an index range, so a page costs the same with a hundred or a hundred thousand open tasks. The case
   * columns of the list are read for the page's rows only.
   */
  async list(f: InboxFilter) {
    const scopes = this.scopes(f);
    if (scopes.length === 0) return { total: 0, items: [] };
    const direction = f.descending ? 'desc' : 'asc';
    const key = this.sortExpression(f.sort);
    const candidates = scopes.map((group, n) => {
      const ordered = this.filtered(this.db.selectFrom('tasks'), f, group)
        .select(['tasks.id', 'tasks.caseId', key.as('sortKey')])
        .orderBy(key, direction)
        .orderBy('tasks.id', direction)
        .limit(f.offset + f.limit);
      return this.db.selectFrom(ordered.as(`g${n}`)).selectAll();
    });
    const merged = candidates.slice(1).reduce((all, next) => all.unionAll(next), candidates[0]!);
    const page = this.db
      .selectFrom(merged.as('u'))
      .selectAll()
      .orderBy('u.sortKey', direction)
      .orderBy('u.id', direction)
      .limit(f.limit)
      .offset(f.offset);
    const [found, counted] = await Promise.all([
      this.db
        .selectFrom(page.as('p'))
        .innerJoin('tasks', 'tasks.id', 'p.id')
        .innerJoin('cases', 'cases.id', 'tasks.caseId')
        .leftJoin('taskFollowUps', 'taskFollowUps.taskId', 'tasks.id')
        .select([
          'tasks.id',
          'tasks.caseId',
          'cases.caseNumber',
          'cases.procedureKey as procedure',
          'cases.createdAt as receivedAt',
          'tasks.title',
          'tasks.status as state',
          'tasks.groupName as group',
          'tasks.assignee',
          'tasks.dueAt',
          'tasks.completedAt',
          'tasks.outcome',
          'taskFollowUps.until as followUpUntil',
          this.applicant().as('applicant'),
        ])
        .orderBy('p.sortKey', direction)
        .orderBy('p.id', direction)
        .execute(),
      this.filtered(
        this.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')),
        f,
        undefined,
      )
        .$if(scopes[0] !== undefined, (q) => q.where('groupName', 'in', f.groups))
        .executeTakeFirstOrThrow(),
    ]);
    const now = f.now.getTime();
    return {
      total: Number(counted.n),
      items: found.map((t) => ({
        ...t,
        applicant: t.applicant === null ? null : String(t.applicant),
        dueAt: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
        receivedAt: new Date(t.receivedAt).toISOString(),
        completedAt: t.completedAt === null ? null : new Date(t.completedAt).toISOString(),
        followUpUntil:
          t.followUpUntil === null || t.followUpUntil <= now ? null : new Date(t.followUpUntil).toISOString(),
        overdue: t.state === 'open' && t.dueAt !== null && t.dueAt < now,
      })),
    };
  }

  /** Gives an open task to another user; only while nobody or `from` holds it. False otherwise. */
  async handOver(tenantId: string, taskId: string, from: string, to: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tasks')
      .set({ assignee: to })
      .where('tenantId', '=', tenantId)
      .where('id', '=', taskId)
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('assignee', 'is', null), eb('assignee', '=', from)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    // A follow-up date is the previous holder's reminder; the new holder sees the task at once.
    await this.db.deleteFrom('taskFollowUps').where('tenantId', '=', tenantId).where('taskId', '=', taskId).execute();
    return true;
  }

  async followUp(tenantId: string, taskId: string) {
    const row = await this.db
      .selectFrom('taskFollowUps')
      .select(['until', 'setBy'])
      .where('tenantId', '=', tenantId)
      .where('taskId', '=', taskId)
      .executeTakeFirst();
    return row ? { until: new Date(row.until).toISOString(), setBy: row.setBy } : null;
  }

  /** Sets (or moves) the follow-up date of a task the user holds; false when the user does not hold it open. */
  async setFollowUp(tenantId: string, taskId: string, username: string, until: number, now: Date): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const held = await tx
        .selectFrom('tasks')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where('id', '=', taskId)
        .where('status', '=', 'open')
        .where('assignee', '=', username)
        .executeTakeFirst();
      if (!held) return false;
      await tx
        .insertInto('taskFollowUps')
        .values({ taskId, tenantId, until, setBy: username, setAt: now.getTime() })
        .onConflict((oc) => oc.column('taskId').doUpdateSet({ until, setBy: username, setAt: now.getTime() }))
        .execute();
      return true;
    });
  }

  async clearFollowUp(tenantId: string, taskId: string): Promise<void> {
    await this.db.deleteFrom('taskFollowUps').where('tenantId', '=', tenantId).where('taskId', '=', taskId).execute();
  }

  async notes(tenantId: string, caseId: string) {
    const found = await this.db
      .selectFrom('caseNotes')
      .select(['id', 'taskId', 'author', 'at', 'text'])
      .where('tenantId', '=', tenantId)
      .where('caseId', '=', caseId)
      .orderBy('id')
      .execute();
    return found.map((n) => ({ ...n, at: new Date(n.at).toISOString() }));
  }

  async addNote(note: {
    id: string;
    tenantId: string;
    caseId: string;
    taskId: string;
    author: string;
    at: Date;
    text: string;
  }) {
    await this.db
      .insertInto('caseNotes')
      .values({ ...note, at: note.at.getTime() })
      .execute();
    return { id: note.id, taskId: note.taskId, author: note.author, at: note.at.toISOString(), text: note.text };
  }
}
