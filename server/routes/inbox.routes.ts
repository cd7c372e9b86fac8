import { TZDate } from '@date-fns/tz';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { listAttachments, readAttachment } from '../forms/attachments.ts';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem } from '../http/problem.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../store/identity-store.kysely.ts';
import { InboxStore, QUEUES, SORT_KEYS } from '../store/inbox-store.kysely.ts';
import { bearer, IdParam, json, jsonBody, Paging, problem } from './schemas.ts';

const ZONE = 'Europe/Berlin';
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT');

/** 00:00 Europe/Berlin of a calendar day (`days` later). */
function startOfDay(date: string, days = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d + days, ZONE).getTime();
}

/** `sort` values: a key ascending, or with `-` descending. */
const SORT_PARAMS = SORT_KEYS.flatMap((key) => [key, `-${key}`] as const);

const InboxTask = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseNumber: z.string(),
    procedure: z.string(),
    title: z.string(),
    state: z.string(),
    group: z.string(),
    assignee: z.string().nullable(),
    applicant: z.string().nullable(),
    dueAt: z.string().nullable(),
    receivedAt: z.string().openapi({ description: 'Eingang: Beginn des Vorgangs' }),
    overdue: z.boolean(),
    completedAt: z.string().nullable(),
    outcome: z.string().nullable(),
    followUpUntil: z.string().nullable(),
  })
  .openapi('InboxTask');

const Note = z
  .object({ id: z.string(), taskId: z.string().nullable(), author: z.string(), at: z.string(), text: z.string() })
  .openapi('InboxNote');

const BulkResult = z
  .array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      reason: z.enum(['not_found', 'taken', 'not_member']).optional(),
    }),
  )
  .openapi('InboxBulkResult');

const Username = z.string().min(1).max(100);
const TaskIds = z.array(z.string().min(1).max(100)).min(1).max(200);

function inbox(services: Services) {
  return new InboxStore(services.database.db, services.database.dialect);
}

/** A task of one of the caseworker's groups in their tenant; any other answers 404, so ids reveal nothing. */
async function groupTask(services: Services, p: Principal, id: string) {
  const task = await services.queries.task(p.tenantId, id);
  if (!task || !p.groups.includes(task.groupName)) throw new Problem(404, 'Nicht gefunden', 'Aufgabe nicht gefunden');
  return task;
}

/** Usernames of the active caseworkers of a group in the tenant. */
async function members(services: Services, tenantId: string, group: string): Promise<string[]> {
  const users = await services.identity.listUsers(tenantId);
  return users
    .filter((u) => !u.disabled && u.roles.includes('caseworker') && u.groups.includes(group))
    .map((u) => u.username);
}

/** Hands one task over; the reason when it cannot be done. */
async function handOver(
  services: Services,
  p: Principal,
  id: string,
  to: string,
): Promise<'not_found' | 'taken' | 'not_member' | undefined> {
  const task = await services.queries.task(p.tenantId, id);
  if (!task || !p.groups.includes(task.groupName)) return 'not_found';
  if (!(await members(services, p.tenantId, task.groupName)).includes(to)) return 'not_member';
  return (await inbox(services).handOver(p.tenantId, id, p.username, to)) ? undefined : 'taken';
}

/**
 * The caseworker inbox beyond the plain task routes: queues with sort, filter and search, hand-over to a
 * colleague of the group (also in bulk), bulk claim, follow-up dates, internal notes, attachments and the
 * task's context (history, diagram). Caseworkers only; everything filters by the principal's tenant and groups.
 */
export function inboxRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/inbox/tasks',
      tags: ['Posteingang'],
      summary: 'Eine Seite einer Warteschlange (Meine, Gruppe, Überfällig, Wiedervorlage, Erledigt)',
      security: bearer,
      request: {
        query: z.object({
          queue: z.enum(QUEUES).default('mine'),
          procedure: z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,62}$/)
            .optional(),
          dueBy: isoDate.optional(),
          q: z.string().max(200).optional(),
          sort: z
            .enum(SORT_PARAMS)
            .default('due')
            .openapi({ description: 'Sortierung: due, received (Eingang), caseNumber, procedure; mit - absteigend' }),
          ...Paging,
        }),
      },
      responses: { 200: json(z.object({ total: z.number().int(), items: z.array(InboxTask) }), 'Aufgaben') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const q = c.req.valid('query');
      const page = await inbox(services).list({
        tenantId: p.tenantId,
        username: p.username,
        groups: p.groups,
        queue: q.queue,
        procedure: q.procedure,
        dueBefore: q.dueBy === undefined ? undefined : startOfDay(q.dueBy, 1),
        text: q.q,
        sort: SORT_KEYS.find((key) => q.sort === key || q.sort === `-${key}`) ?? 'due',
        descending: q.sort.startsWith('-'),
        now: services.clock.now(),
        limit: q.limit,
        offset: q.offset,
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/inbox/colleagues',
      tags: ['Posteingang'],
      summary: 'Sachbearbeitende, die eine Gruppe mit mir teilen (für die Übergabe), mit den gemeinsamen Gruppen',
      security: bearer,
      responses: {
        200: json(z.array(z.object({ username: z.string(), groups: z.array(z.string()) })), 'Kolleginnen und Kollegen'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const users = await services.identity.listUsers(p.tenantId);
      const colleagues = users
        .filter((u) => !u.disabled && u.roles.includes('caseworker'))
        .map((u) => ({ username: u.username, groups: u.groups.filter((g) => p.groups.includes(g)) }))
        .filter((u) => u.groups.length > 0);
      return c.json(colleagues, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/inbox/tasks/{id}',
      tags: ['Posteingang'],
      summary: 'Umfeld einer Aufgabe: Verlauf, Diagramm, Notizen, Anlagen, Wiedervorlage, Gruppenmitglieder',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(z.record(z.string(), z.unknown()), 'Umfeld'), 404: problem('Nicht gefunden') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const task = await groupTask(services, p, c.req.valid('param').id);
      const row = await services.queries.case(p.tenantId, task.caseId);
      if (!row) throw new Problem(404, 'Nicht gefunden', 'Vorgang nicht gefunden');
      const store = inbox(services);
      const [runtime, history, notes, followUp, colleagues] = await Promise.all([
        services.runtimeFor(row.tenantId, row.procedureKey, row.procedureVersion),
        services.queries.history(p.tenantId, row.id),
        store.notes(p.tenantId, row.id),
        store.followUp(p.tenantId, task.id),
        members(services, p.tenantId, task.groupName),
      ]);
      const states = runtime.definition.states;
      return c.json(
        {
          caseState: row.state,
          followUp,
          members: colleagues,
          notes,
          attachments: listAttachments(runtime.definition.form, row.snapshot.context.vars),
          history: history.map((h) => ({
            id: h.id,
            at: h.at.toISOString(),
            kind: h.kind,
            fromState: h.fromState,
            toState: h.toState,
            event: h.event,
            actor: h.actor,
          })),
          diagram: {
            initial: runtime.definition.initial,
            states: Object.entries(states).map(([id, s]) => ({ id, kind: s.kind, title: s.title ?? id })),
            transitions: Object.entries(states).flatMap(([from, s]) =>
              s.transitions.map((t) => ({
                from,
                to: t.target,
                label:
                  t.label ??
                  (s.kind === 'task' ? s.outcomes?.find((o) => o.id === t.on)?.label : undefined) ??
                  t.on ??
                  null,
              })),
            ),
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/inbox/tasks/{id}/attachments/{path}',
      tags: ['Posteingang'],
      summary: 'Eine Anlage des Antrags (Bild/PDF zum Ansehen, sonst zum Herunterladen)',
      security: bearer,
      request: {
        params: IdParam.extend({
          path: z
            .string()
            .regex(/^[A-Za-z0-9_.]{1,300}$/)
            .openapi({ param: { name: 'path', in: 'path' } }),
        }),
        query: z.object({ download: z.enum(['true', 'false']).default('false') }),
      },
      responses: { 200: { description: 'Die Datei' }, 404: problem('Nicht gefunden') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const { id, path } = c.req.valid('param');
      const task = await groupTask(services, p, id);
      const row = await services.queries.case(p.tenantId, task.caseId);
      const runtime = row && (await services.runtimeFor(row.tenantId, row.procedureKey, row.procedureVersion));
      const file = row && runtime && readAttachment(runtime.definition.form, row.snapshot.context.vars, path);
      if (!file) throw new Problem(404, 'Nicht gefunden', 'Anlage nicht gefunden');
      const inline = file.inline && c.req.valid('query').download === 'false';
      return c.body(new Uint8Array(file.bytes), 200, {
        'content-type': inline ? file.mediaType : 'application/octet-stream',
        'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${file.fileName}"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/inbox/tasks/{id}/handover',
      tags: ['Posteingang'],
      summary: 'Aufgabe an eine Kollegin oder einen Kollegen der Gruppe übergeben',
      security: bearer,
      request: { params: IdParam, body: jsonBody(z.object({ to: Username })) },
      responses: {
        200: json(z.object({ id: z.string(), assignee: z.string() }), 'Übergeben'),
        404: problem('Nicht gefunden'),
        409: problem('Von jemand anderem übernommen oder erledigt'),
        422: problem('Empfänger gehört nicht zur Gruppe'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const { id } = c.req.valid('param');
      const { to } = c.req.valid('json');
      const reason = await handOver(services, p, id, to);
      if (reason === 'not_found') throw new Problem(404, 'Nicht gefunden', 'Aufgabe nicht gefunden');
      if (reason === 'not_member') {
        throw new Problem(422, 'Übergabe nicht möglich', undefined, [
          { path: 'to', message: 'Keine Sachbearbeiterin und kein Sachbearbeiter der Gruppe der Aufgabe' },
        ]);
      }
      if (reason === 'taken') {
        throw new Problem(
          409,
          'Übergabe nicht möglich',
          'Die Aufgabe hat jemand anderes übernommen oder sie ist bereits erledigt',
        );
      }
      return c.json({ id, assignee: to }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/inbox/tasks/claim',
      tags: ['Posteingang'],
      summary: 'Mehrere Aufgaben übernehmen (Ergebnis je Aufgabe)',
      security: bearer,
      request: { body: jsonBody(z.object({ ids: TaskIds })) },
      responses: { 200: json(BulkResult, 'Ergebnis je Aufgabe') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const results = [];
      for (const id of new Set(c.req.valid('json').ids)) {
        const task = await services.queries.task(p.tenantId, id);
        if (!task || !p.groups.includes(task.groupName)) results.push({ id, ok: false, reason: 'not_found' as const });
        else if (await services.queries.claim(p.tenantId, id, p.username)) results.push({ id, ok: true });
        else results.push({ id, ok: false, reason: 'taken' as const });
      }
      return c.json(results, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/inbox/tasks/handover',
      tags: ['Posteingang'],
      summary: 'Mehrere Aufgaben übergeben (Ergebnis je Aufgabe)',
      security: bearer,
      request: { body: jsonBody(z.object({ ids: TaskIds, to: Username })) },
      responses: { 200: json(BulkResult, 'Ergebnis je Aufgabe') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const { ids, to } = c.req.valid('json');
      const results = [];
      for (const id of new Set(ids)) {
        const reason = await handOver(services, p, id, to);
        results.push(reason ? { id, ok: false, reason } : { id, ok: true });
      }
      return c.json(results, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/inbox/tasks/{id}/follow-up',
      tags: ['Posteingang'],
      summary: 'Wiedervorlage: die Aufgabe bis zum Datum aus „Meine Aufgaben“ nehmen',
      security: bearer,
      request: { params: IdParam, body: jsonBody(z.object({ until: isoDate })) },
      responses: {
        200: json(z.object({ until: z.string(), setBy: z.string() }), 'Wiedervorlage gesetzt'),
        404: problem('Nicht gefunden'),
        409: problem('Nicht Ihre offene Aufgabe'),
        422: problem('Datum ungültig'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const task = await groupTask(services, p, c.req.valid('param').id);
      const { until } = c.req.valid('json');
      const at = startOfDay(until);
      const now = services.clock.now();
      if (Number.isNaN(at) || at <= now.getTime()) {
        throw new Problem(422, 'Datum ungültig', undefined, [
          { path: 'until', message: 'Bitte ein Datum nach dem heutigen Tag angeben' },
        ]);
      }
      if (!(await inbox(services).setFollowUp(p.tenantId, task.id, p.username, at, now))) {
        throw new Problem(409, 'Wiedervorlage nicht möglich', 'Bitte übernehmen Sie die Aufgabe zuerst');
      }
      return c.json({ until: new Date(at).toISOString(), setBy: p.username }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/inbox/tasks/{id}/follow-up',
      tags: ['Posteingang'],
      summary: 'Wiedervorlage aufheben',
      security: bearer,
      request: { params: IdParam },
      responses: { 204: { description: 'Aufgehoben' }, 404: problem('Nicht gefunden') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const task = await groupTask(services, p, c.req.valid('param').id);
      await inbox(services).clearFollowUp(p.tenantId, task.id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/inbox/tasks/{id}/notes',
      tags: ['Posteingang'],
      summary: 'Interne Notiz zum Vorgang (nie für Antragstellende sichtbar)',
      security: bearer,
      request: {
        params: IdParam,
        body: jsonBody(z.object({ text: z.string().trim().min(1, 'Bitte einen Text eingeben').max(4000) })),
      },
      responses: { 201: json(Note, 'Gespeichert'), 404: problem('Nicht gefunden'), 422: problem('Text fehlt') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const task = await groupTask(services, p, c.req.valid('param').id);
      const note = await inbox(services).addNote({
        id: services.ids.id(),
        tenantId: p.tenantId,
        caseId: task.caseId,
        taskId: task.id,
        author: p.username,
        at: services.clock.now(),
        text: c.req.valid('json').text,
      });
      return c.json(note, 201);
    },
  );
}
