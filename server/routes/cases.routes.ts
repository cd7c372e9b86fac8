import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ConnectorError, type InboundMessage } from '../../engine/connectors/connector.ts';
import { EventNotAcceptedError } from '../../engine/runtime/runtime.ts';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem } from '../http/problem.ts';
import { bearer, IdParam, json, jsonBody, Paging, problem } from './schemas.ts';

/** A case as staff lists see it. */
export const CaseSummary = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    procedure: z.string(),
    version: z.number().int(),
    state: z.string(),
    status: z.string(),
    publicStatus: z.string().nullable(),
    outcome: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CaseSummary');

const STAFF = ['caseworker', 'process-owner', 'admin'] as const;

function summary(row: {
  id: string;
  caseNumber: string;
  procedureKey: string;
  procedureVersion: number;
  state: string;
  status: string;
  publicStatus: string | null;
  outcome: string | null;
  createdAt: Date;
  updatedAt: Date;
}) {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    procedure: row.procedureKey,
    version: row.procedureVersion,
    state: row.state,
    status: row.status,
    publicStatus: row.publicStatus,
    outcome: row.outcome,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The answer to a webhook request a connector refused; anything but 200 makes the sender deliver again later. */
function webhookProblem(error: ConnectorError): Problem {
  const status =
    error.code === 'unauthorized'
      ? 401
      : error.code === 'unknown_connector' || error.code === 'not_found'
        ? 404
        : error.retryable || error.code === 'not_configured'
          ? 503
          : 400;
  return new Problem(status, 'Benachrichtigung abgelehnt', error.message, undefined, { code: error.code });
}

/** Cases for staff, incidents for admins, and inbound messages (staff and connector webhooks). */
export function caseRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases',
      tags: ['Vorgänge'],
      summary: 'Vorgänge suchen',
      security: bearer,
      request: {
        query: z.object({ procedure: z.string().max(63).optional(), state: z.string().max(64).optional(), ...Paging }),
      },
      responses: { 200: json(z.array(CaseSummary), 'Vorgänge') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), ...STAFF);
      const q = c.req.valid('query');
      const found = await services.queries.cases({ tenantId: p.tenantId, ...q });
      return c.json(found.map(summary), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/cases/{id}',
      tags: ['Vorgänge'],
      summary: 'Ein Vorgang mit Variablen, Verlauf, Aufgaben und Aufrufen',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(z.record(z.string(), z.unknown()), 'Vorgang'), 404: problem('Nicht gefunden') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), ...STAFF);
      const { id } = c.req.valid('param');
      const row = await services.queries.case(p.tenantId, id);
      if (!row) throw new Problem(404, 'Nicht gefunden', 'Vorgang nicht gefunden');
      const [history, tasks, jobs] = await Promise.all([
        services.queries.history(p.tenantId, id),
        services.queries.caseTasks(p.tenantId, id),
        services.queries.caseJobs(p.tenantId, id),
      ]);
      return c.json(
        {
          ...summary(row),
          trackingCode: row.trackingCode,
          variables: row.snapshot.context.vars,
          history: history.map((h) => ({ ...h, at: h.at.toISOString() })),
          tasks: tasks.map((t) => ({
            id: t.id,
            state: t.state,
            title: t.title,
            group: t.groupName,
            assignee: t.assignee,
            status: t.status,
            outcome: t.outcome,
            dueAt: t.dueAt?.toISOString() ?? null,
            completedBy: t.completedBy,
          })),
          jobs: jobs.map((j) => ({
            id: j.id,
            state: j.state,
            connector: j.connector,
            operation: j.operation,
            status: j.status,
            attempts: j.attempts,
            lastError: j.lastError,
            idempotencyKey: j.idempotencyKey,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/cases/{id}/messages',
      tags: ['Vorgänge'],
      summary: 'Nachricht an einen wartenden Vorgang (z. B. Unterlagen eingegangen)',
      security: bearer,
      request: {
        params: IdParam,
        body: jsonBody(
          z.object({ name: z.string().min(1).max(100), data: z.record(z.string(), z.unknown()).default({}) }),
        ),
      },
      responses: {
        200: json(CaseSummary, 'Angenommen'),
        404: problem('Nicht gefunden'),
        409: problem('Der Vorgang wartet nicht auf diese Nachricht'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'caseworker', 'admin');
      const body = c.req.valid('json');
      const row = await services.engine.send({
        tenantId: p.tenantId,
        caseId: c.req.valid('param').id,
        event: { type: `message:${body.name}`, data: body.data },
        actor: { kind: 'user', username: p.username },
      });
      return c.json(summary(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/hooks/{tenant}/{connector}',
      tags: ['Anbindungen'],
      summary: 'Eingehende Benachrichtigung eines Fremdsystems (die Anbindung prüft die Signatur)',
      description:
        'Nur 200 heißt „verarbeitet“ (auch für eine schon verarbeitete Wiederholung); bei jeder anderen Antwort ' +
        'stellt das Fremdsystem die Nachricht später erneut zu.',
      request: {
        params: z.object({
          tenant: z
            .string()
            .max(49)
            .openapi({ param: { name: 'tenant', in: 'path' } }),
          connector: z
            .string()
            .max(100)
            .openapi({ param: { name: 'connector', in: 'path' } }),
        }),
      },
      responses: {
        200: json(z.object({ accepted: z.boolean(), duplicate: z.boolean() }), 'Verarbeitet'),
        400: problem('Nachricht abgelehnt'),
        401: problem('Signatur ungültig'),
        404: problem('Unbekannt'),
        409: problem('Der Vorgang wartet (noch) nicht auf diese Nachricht'),
        503: problem('Fremdsystem für die Bestätigung nicht erreichbar; später erneut zustellen'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const { tenant, connector } = c.req.valid('param');
      if (!(await services.identity.tenant(tenant))) throw new Problem(404, 'Nicht gefunden', 'Unbekannte Anbindung');
      let message: InboundMessage;
      try {
        message = await services.connectors.receive(tenant, connector, {
          headers: c.req.header(),
          body: await c.req.text(),
        });
      } catch (error) {
        if (!(error instanceof ConnectorError)) throw error;
        services.log.warn('connector.webhook.rejected', { tenant, connector, code: error.code });
        throw webhookProblem(error);
      }
      const event = { type: `message:${message.message}` as const, data: message.data ?? {} };
      try {
        await services.engine.send({
          tenantId: tenant,
          caseId: message.caseId,
          event,
          actor: { kind: 'system', name: connector },
          detail: message.id === undefined ? undefined : { inbound: message.id },
        });
      } catch (error) {
        // A repeated delivery of a message the case already took is acknowledged, so the sender stops repeating it.
        if (error instanceof EventNotAcceptedError && message.id !== undefined) {
          const history = await services.queries.history(tenant, message.caseId);
          if (history.some((h) => h.event === event.type && h.detail?.inbound === message.id)) {
            return c.json({ accepted: true, duplicate: true }, 200);
          }
        }
        throw error;
      }
      services.log.info('connector.webhook.accepted', { tenant, connector });
      return c.json({ accepted: true, duplicate: false }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/incidents',
      tags: ['Störungen'],
      summary: 'Aufrufe, die nach allen Versuchen gescheitert sind',
      security: bearer,
      responses: { 200: json(z.array(z.record(z.string(), z.unknown())), 'Störungen') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin', 'caseworker', 'process-owner');
      const incidents = await services.queries.incidents(p.tenantId);
      return c.json(
        incidents.map((j) => ({
          id: j.id,
          caseId: j.caseId,
          caseNumber: j.caseNumber,
          state: j.state,
          connector: j.connector,
          operation: j.operation,
          attempts: j.attempts,
          error: j.lastError,
          updatedAt: j.updatedAt.toISOString(),
        })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/incidents/{id}/retry',
      tags: ['Störungen'],
      summary: 'Störung erneut versuchen',
      security: bearer,
      request: { params: IdParam },
      responses: {
        200: json(z.object({ id: z.string(), status: z.literal('pending') }), 'Wieder eingeplant'),
        404: problem('Keine Störung'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { id } = c.req.valid('param');
      if (!(await services.queries.retryIncident(p.tenantId, id, services.clock.now()))) {
        throw new Problem(404, 'Nicht gefunden', 'Keine offene Störung mit dieser ID');
      }
      return c.json({ id, status: 'pending' as const }, 200);
    },
  );
}
