import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem } from '../http/problem.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../store/identity-store.kysely.ts';
import { bearer, IdParam, json, jsonBody, Paging, problem, TaskSummary } from './schemas.ts';
import { Completion, checkedCompletion, taskOutcomes } from './task-completion.ts';

async function visibleTask(services: Services, p: Principal, id: string) {
  const task = await services.queries.task(p.tenantId, id);
  if (!task || !(p.groups.includes(task.groupName) || task.assignee === p.username || p.roles.includes('admin'))) {
    throw new Problem(404, 'Nicht gefunden', 'Aufgabe nicht gefunden');
  }
  return task;
}

/** The caseworker's inbox: list, claim, release and complete tasks. */
export function taskRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tasks',
      tags: ['Aufgaben'],
      summary: 'Aufgaben: meine oder die meiner Gruppen, nach Fälligkeit',
      security: bearer,
      request: {
        query: z.object({
          scope: z.enum(['mine', 'group']).default('mine'),
          state: z.enum(['open', 'done']).default('open'),
          procedure: z.string().max(63).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          ...Paging,
        }),
      },
      responses: { 200: json(z.array(TaskSummary), 'Aufgaben') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker', 'admin');
      const q = c.req.valid('query');
      const tasks = await services.queries.tasks({
        tenantId: p.tenantId,
        username: p.username,
        groups: p.groups,
        scope: q.scope,
        state: q.state,
        procedure: q.procedure,
        overdue: q.overdue === 'true',
        now: services.clock.now(),
        limit: q.limit,
        offset: q.offset,
      });
      return c.json(tasks, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tasks/{id}',
      tags: ['Aufgaben'],
      summary: 'Aufgabe mit Antragsdaten und Formular',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(z.record(z.string(), z.unknown()), 'Aufgabe'), 404: problem('Nicht gefunden') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker', 'admin');
      const task = await visibleTask(services, p, c.req.valid('param').id);
      const row = await services.queries.case(p.tenantId, task.caseId);
      if (!row) throw new Problem(404, 'Nicht gefunden', 'Vorgang nicht gefunden');
      const runtime = await services.runtimeFor(row.tenantId, row.procedureKey, row.procedureVersion);
      const state = runtime.definition.states[task.state];
      return c.json(
        {
          id: task.id,
          caseId: task.caseId,
          caseNumber: row.caseNumber,
          procedure: row.procedureKey,
          procedureTitle: runtime.definition.title,
          title: task.title,
          state: task.status,
          step: task.state,
          group: task.groupName,
          assignee: task.assignee,
          dueAt: task.dueAt?.toISOString() ?? null,
          outcome: task.outcome,
          data: task.data,
          form: state?.kind === 'task' ? (state.form ?? null) : null,
          outcomes: state?.kind === 'task' ? taskOutcomes(state) : [],
          applicationForm: runtime.definition.form,
          caseData: row.snapshot.context.vars,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tasks/{id}/claim',
      tags: ['Aufgaben'],
      summary: 'Aufgabe übernehmen',
      security: bearer,
      request: { params: IdParam },
      responses: {
        200: json(TaskSummary.pick({ id: true, assignee: true }), 'Übernommen'),
        409: problem('Von jemand anderem übernommen'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const task = await visibleTask(services, p, c.req.valid('param').id);
      if (!p.groups.includes(task.groupName))
        throw new Problem(403, 'Keine Berechtigung', 'Sie gehören nicht zur Gruppe der Aufgabe');
      if (!(await services.queries.claim(p.tenantId, task.id, p.username))) {
        const fresh = await services.queries.task(p.tenantId, task.id);
        throw new Problem(
          409,
          'Übernahme nicht möglich',
          fresh?.status !== 'open'
            ? 'Die Aufgabe ist bereits erledigt'
            : 'Die Aufgabe hat bereits jemand anderes übernommen',
          undefined,
          {
            assignee: fresh?.assignee ?? null,
          },
        );
      }
      return c.json({ id: task.id, assignee: p.username }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tasks/{id}/unclaim',
      tags: ['Aufgaben'],
      summary: 'Aufgabe zurückgeben',
      security: bearer,
      request: { params: IdParam },
      responses: {
        200: json(TaskSummary.pick({ id: true, assignee: true }), 'Zurückgegeben'),
        409: problem('Nicht Ihre Aufgabe'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker', 'admin');
      const task = await visibleTask(services, p, c.req.valid('param').id);
      const ok = await services.queries.unclaim(p.tenantId, task.id, p.roles.includes('admin') ? null : p.username);
      if (!ok)
        throw new Problem(
          409,
          'Rückgabe nicht möglich',
          'Die Aufgabe ist nicht Ihnen zugewiesen oder bereits erledigt',
        );
      return c.json({ id: task.id, assignee: null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tasks/{id}/complete',
      tags: ['Aufgaben'],
      summary: 'Aufgabe mit einem Ergebnis abschließen',
      security: bearer,
      request: { params: IdParam, body: jsonBody(Completion) },
      responses: {
        200: json(z.object({ caseId: z.string(), state: z.string(), status: z.string().nullable() }), 'Erledigt'),
        409: problem('Nicht übernommen oder bereits erledigt'),
        422: problem('Formular ungültig'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker');
      const task = await visibleTask(services, p, c.req.valid('param').id);
      const body = c.req.valid('json');
      if (task.status !== 'open')
        throw new Problem(409, 'Aufgabe nicht bearbeitbar', 'Die Aufgabe ist bereits erledigt');
      if (task.assignee !== p.username)
        throw new Problem(409, 'Aufgabe nicht bearbeitbar', 'Bitte übernehmen Sie die Aufgabe zuerst');
      const row = await services.queries.case(p.tenantId, task.caseId);
      if (!row) throw new Problem(404, 'Nicht gefunden', 'Vorgang nicht gefunden');
      const runtime = await services.runtimeFor(row.tenantId, row.procedureKey, row.procedureVersion);
      const { outcome, data } = checkedCompletion(
        runtime.definition.states[task.state],
        body,
        row.snapshot.context.vars,
      );
      const next = await services.engine.completeTask({
        tenantId: p.tenantId,
        taskId: task.id,
        username: p.username,
        outcome,
        data,
      });
      return c.json({ caseId: next.id, state: next.state, status: next.publicStatus }, 200);
    },
  );
}
