import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { eventType } from '../../engine/compiler/compile.ts';
import { type Definition, definitionSchema } from '../../engine/definition/definition.schema.ts';
import type { CaseRow } from '../../engine/runtime/ports.ts';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem, zodFieldErrors } from '../http/problem.ts';
import type { Services } from '../services.ts';
import type { Principal } from '../store/identity-store.kysely.ts';
import { SandboxStore, sandboxIdOf } from '../store/sandbox-store.kysely.ts';
import { CaseSummary } from './cases.routes.ts';
import { definitionProblems } from './procedures.routes.ts';
import { bearer, IdParam, json, jsonBody, problem } from './schemas.ts';
import { Completion, checkedCompletion, checkedFormData, taskOutcomes } from './task-completion.ts';

const NewTestRun = z
  .object({
    definition: z.record(z.string(), z.unknown()),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .openapi('NewTestRun');
const TestRunEvent = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('timer') }),
    z.object({
      type: z.literal('message'),
      name: z.string().min(1).max(100),
      data: z.record(z.string(), z.unknown()).default({}),
    }),
  ])
  .openapi('TestRunEvent');
const TestRun = CaseSummary.omit({ createdAt: true, updatedAt: true })
  .extend({
    tenant: z.string(),
    trackingCode: z.string(),
    variables: z.record(z.string(), z.unknown()),
    history: z.array(
      z.object({
        at: z.string(),
        kind: z.string(),
        fromState: z.string().nullable(),
        toState: z.string().nullable(),
        event: z.string().nullable(),
        actor: z.string(),
        publicStatus: z.string().nullable(),
      }),
    ),
    tasks: z.array(
      z.object({
        id: z.string(),
        state: z.string(),
        title: z.string(),
        group: z.string(),
        assignee: z.string().nullable(),
        dueAt: z.string().nullable(),
        form: z.record(z.string(), z.unknown()).nullable(),
        outcomes: z.array(z.object({ id: z.string(), label: z.string() })),
      }),
    ),
    jobs: z.array(
      z.object({
        id: z.string(),
        state: z.string(),
        connector: z.string(),
        operation: z.string(),
        status: z.string(),
        attempts: z.number().int(),
        error: z.string().nullable(),
      }),
    ),
    timer: z.object({ dueAt: z.string() }).nullable(),
    messages: z.array(z.string()),
  })
  .openapi('TestRun');
const TaskParams = IdParam.extend({
  taskId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'taskId', in: 'path' } }),
});
const JobParams = IdParam.extend({
  jobId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'jobId', in: 'path' } }),
});

const sandboxes = (services: Services) => new SandboxStore(services.database.db, services.ids.id);

/** The test run (a case of the principal's sandbox); 404 for anything else, other tenants' test runs too. */
async function testRunCase(services: Services, p: Principal, id: string): Promise<CaseRow> {
  const row = await services.queries.case(sandboxIdOf(p.tenantId), id);
  if (!row) throw new Problem(404, 'Nicht gefunden', 'Testlauf nicht gefunden');
  return row;
}

/** A test run as the designer shows it: the case, its history, open tasks with forms, jobs, timer and messages. */
async function testRunView(services: Services, row: CaseRow): Promise<z.infer<typeof TestRun>> {
  const runtime = await services.runtimeFor(row.tenantId, row.procedureKey, row.procedureVersion);
  const active = row.status === 'active';
  const [history, tasks, jobs, timer] = await Promise.all([
    services.queries.history(row.tenantId, row.id),
    services.queries.caseTasks(row.tenantId, row.id),
    services.queries.caseJobs(row.tenantId, row.id),
    active ? sandboxes(services).pendingTimer(row.tenantId, row.id, row.state) : undefined,
  ]);
  const current = runtime.definition.states[row.state];
  const messages =
    active && current?.kind === 'wait'
      ? [...new Set(current.transitions.flatMap((t) => (t.on ? [t.on] : [])))].filter((on) =>
          eventType(current, on).startsWith('message:'),
        )
      : [];
  return {
    id: row.id,
    tenant: row.tenantId,
    caseNumber: row.caseNumber,
    trackingCode: row.trackingCode,
    procedure: row.procedureKey,
    version: row.procedureVersion,
    state: row.state,
    status: row.status,
    publicStatus: row.publicStatus,
    outcome: row.outcome,
    variables: row.snapshot.context.vars,
    history: history.map((h) => ({
      at: h.at.toISOString(),
      kind: h.kind,
      fromState: h.fromState,
      toState: h.toState,
      event: h.event,
      actor: h.actor,
      publicStatus: h.publicStatus,
    })),
    tasks: tasks
      .filter((t) => t.status === 'open')
      .map((t) => {
        const state = runtime.definition.states[t.state];
        return {
          id: t.id,
          state: t.state,
          title: t.title,
          group: t.groupName,
          assignee: t.assignee,
          dueAt: t.dueAt?.toISOString() ?? null,
          form: state?.kind === 'task' ? (state.form ?? null) : null,
          outcomes: state?.kind === 'task' ? taskOutcomes(state) : [],
        };
      }),
    jobs: jobs.map((j) => ({
      id: j.id,
      state: j.state,
      connector: j.connector,
      operation: j.operation,
      status: j.status,
      attempts: j.attempts,
      error: j.lastError,
    })),
    timer: timer ? { dueAt: timer.dueAt.toISOString() } : null,
    messages,
  };
}

/** The checked definition of a new test run: it must parse and have no validation problem (422 naming each). */
async function checkedDefinition(services: Services, tenantId: string, body: unknown): Promise<Definition> {
  const parsed = definitionSchema.safeParse(body);
  if (!parsed.success) {
    throw new Problem(422, 'Ungültige Verfahrensdefinition', undefined, zodFieldErrors(parsed.error, 'definition'));
  }
  const problems = await definitionProblems(services, tenantId, parsed.data);
  if (problems.length) {
    throw new Problem(
      422,
      'Der Entwurf hat Fehler',
      `${problems.length} Problem(e) beheben, dann erneut starten`,
      problems.map((p) => ({ path: `definition.${p.path}`, message: p.message })),
    );
  }
  return parsed.data;
}

/**
 * The designer's test runs: a process owner starts a real case of a draft in the tenant's sandbox (see
 * `SandboxStore`), watches it, completes its tasks and sends it what would come from outside (a due timer, a
 * message). Every route needs the role process-owner and reaches only the own tenant's sandbox.
 */
export function testRunRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/designer/test-runs',
      tags: ['Verfahren'],
      summary: 'Testlauf starten: den Entwurf in der Testumgebung bereitstellen und einen Vorgang anlegen',
      description:
        'Die Testumgebung ist ein eigener Mandant mit Kopien der Gruppen und Anbindungen des Mandanten; ihre Vorgänge ' +
        'erscheinen in keinem Postkorb, keiner Suche und keiner Statusabfrage.',
      security: bearer,
      request: { body: jsonBody(NewTestRun) },
      responses: {
        201: json(TestRun, 'Gestartet'),
        403: problem('Keine Berechtigung'),
        409: problem('Testumgebung nicht verfügbar'),
        422: problem('Entwurf fehlerhaft oder Antragsdaten ungültig'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const body = c.req.valid('json');
      const definition = await checkedDefinition(services, p.tenantId, body.definition);
      const data = checkedFormData(
        definition.form,
        body.data,
        definition.constants,
        'Antragsdaten unvollständig oder ungültig',
        (count) => `${count} Feld(er) prüfen`,
      );
      const now = services.clock.now();
      const sandbox = await sandboxes(services).ensure(p.tenantId, now);
      if (!sandbox) {
        throw new Problem(409, 'Testumgebung nicht verfügbar', `Die Kennung ${sandboxIdOf(p.tenantId)} ist vergeben`);
      }
      // The sandbox's connector configurations were copied afresh: its calls must not use cached ones.
      services.connectorConfigs.forget(sandbox);
      await services.procedures.saveDraft(sandbox, definition, now);
      const published = await services.procedures.publish(sandbox, definition.key, p.username, services.ids.id(), now);
      if (!published) throw new Error('test run: sandbox draft vanished');
      const row = await services.engine.start({
        tenantId: sandbox,
        procedureKey: definition.key,
        version: published.version,
        data,
        actor: { kind: 'user', username: p.username },
      });
      services.log.info('designer.test-run.started', { tenant: p.tenantId, procedure: definition.key });
      return c.json(await testRunView(services, row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/designer/test-runs/{id}',
      tags: ['Verfahren'],
      summary: 'Testlauf: Stand, Verlauf, Variablen, offene Aufgaben, Aufrufe und Störungen',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(TestRun, 'Testlauf'), 404: problem('Nicht gefunden') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const row = await testRunCase(services, p, c.req.valid('param').id);
      return c.json(await testRunView(services, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/designer/test-runs/{id}/tasks/{taskId}/complete',
      tags: ['Verfahren'],
      summary: 'Aufgabe des Testlaufs mit Ergebnis und Formulardaten abschließen',
      security: bearer,
      request: { params: TaskParams, body: jsonBody(Completion) },
      responses: {
        200: json(TestRun, 'Erledigt'),
        404: problem('Nicht gefunden'),
        409: problem('Aufgabe nicht offen'),
        422: problem('Ergebnis oder Formular ungültig'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const { id, taskId } = c.req.valid('param');
      const row = await testRunCase(services, p, id);
      const task = await services.queries.task(row.tenantId, taskId);
      if (!task || task.caseId !== row.id) throw new Problem(404, 'Nicht gefunden', 'Aufgabe nicht gefunden');
      if (task.status !== 'open')
        throw new Problem(409, 'Aufgabe nicht bearbeitbar', 'Die Aufgabe ist bereits erledigt');
      const runtime = await services.runtimeFor(row.tenantId, row.procedureKey, row.procedureVersion);
      const { outcome, data } = checkedCompletion(
        runtime.definition.states[task.state],
        c.req.valid('json'),
        row.snapshot.context.vars,
      );
      if (!(await services.queries.claim(row.tenantId, task.id, p.username))) {
        throw new Problem(409, 'Aufgabe nicht bearbeitbar', 'Die Aufgabe bearbeitet bereits jemand anderes');
      }
      const next = await services.engine.completeTask({
        tenantId: row.tenantId,
        taskId: task.id,
        username: p.username,
        outcome,
        data,
      });
      return c.json(await testRunView(services, next), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/designer/test-runs/{id}/events',
      tags: ['Verfahren'],
      summary: 'Dem Testlauf senden, was sonst von außen kommt: die Frist jetzt ablaufen lassen, eine Nachricht',
      security: bearer,
      request: { params: IdParam, body: jsonBody(TestRunEvent) },
      responses: {
        200: json(TestRun, 'Angenommen'),
        404: problem('Nicht gefunden'),
        409: problem('Der Vorgang wartet nicht darauf'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const row = await testRunCase(services, p, c.req.valid('param').id);
      const body = c.req.valid('json');
      const actor = { kind: 'user' as const, username: p.username };
      if (body.type === 'message') {
        await services.engine.send({
          tenantId: row.tenantId,
          caseId: row.id,
          event: { type: `message:${body.name}`, data: body.data },
          actor,
        });
      } else {
        const timer =
          row.status === 'active' ? await sandboxes(services).pendingTimer(row.tenantId, row.id, row.state) : undefined;
        if (!timer) throw new Problem(409, 'Keine Frist', 'Der Testlauf wartet auf keine Frist');
        await services.engine.fireTimer(timer);
      }
      const next = await testRunCase(services, p, row.id);
      return c.json(await testRunView(services, next), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/designer/test-runs/{id}/incidents/{jobId}/retry',
      tags: ['Verfahren'],
      summary: 'Störung des Testlaufs erneut versuchen',
      security: bearer,
      request: { params: JobParams },
      responses: { 200: json(TestRun, 'Wieder eingeplant'), 404: problem('Keine Störung dieses Testlaufs') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const { id, jobId } = c.req.valid('param');
      const row = await testRunCase(services, p, id);
      const jobs = await services.queries.caseJobs(row.tenantId, row.id);
      const ours = jobs.some((j) => j.id === jobId);
      if (!ours || !(await services.queries.retryIncident(row.tenantId, jobId, services.clock.now()))) {
        throw new Problem(404, 'Nicht gefunden', 'Keine offene Störung dieses Testlaufs');
      }
      return c.json(await testRunView(services, row), 200);
    },
  );
}
