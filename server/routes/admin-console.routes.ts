import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { LAENDER } from '../../engine/calendar/working-days.ts';
import { checkConnector } from '../connectors/connector-check.ts';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem, zodFieldErrors } from '../http/problem.ts';
import type { Services } from '../services.ts';
import { AdminStore } from '../store/admin-store.kysely.ts';
import type { Principal } from '../store/identity-store.kysely.ts';
import { ROLES } from '../store/identity-store.kysely.ts';
import { isSandboxId, SANDBOX_SUFFIX } from '../store/sandbox-store.kysely.ts';
import { bearer, IdParam, json, jsonBody, Paging, problem, TenantContactSchema } from './schemas.ts';

const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'Kleinbuchstaben, Ziffern, . _ -');
const GroupName = z.string().trim().min(1, 'Bitte einen Namen angeben').max(100);

const ConnectorParam = z.object({
  id: z
    .string()
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const Tenant = z
  .object({ id: z.string(), name: z.string(), land: z.string(), createdAt: z.string() })
  .openapi('Tenant');
const NewTenant = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,40}$/, 'Kleinbuchstaben, Ziffern und -, beginnt mit einem Buchstaben')
      .refine((id) => !isSandboxId(id), `Endet nicht auf ${SANDBOX_SUFFIX} (Testumgebungen)`),
    name: z.string().trim().min(1, 'Bitte einen Namen angeben').max(200),
    land: z.enum(LAENDER),
    admin: z.object({ username: Username, password: z.string().min(8, 'Mindestens 8 Zeichen').max(500) }),
  })
  .openapi('NewTenant');
const Group = z.object({ id: z.string(), name: z.string(), members: z.number().int() }).openapi('Group');
const Access = z
  .object({ roles: z.array(z.enum(ROLES)).min(1, 'Mindestens eine Rolle'), groups: z.array(GroupName).max(100) })
  .openapi('UserAccess');
const HealthResult = z
  .object({
    id: z.string(),
    ok: z.boolean(),
    code: z.enum([
      'ok',
      'failed',
      'not_configured',
      'invalid_config',
      'missing_secrets',
      'secrets_unreadable',
      'no_check',
    ]),
    message: z.string().nullable(),
    checkedAt: z.string(),
  })
  .openapi('ConnectorHealth');
const Incident = z
  .object({
    id: z.string(),
    caseId: z.string(),
    connector: z.string(),
    operation: z.string(),
    state: z.string(),
    attempts: z.number().int(),
    error: z.string().nullable(),
    input: z.record(z.string(), z.unknown()),
    inputSchema: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('IncidentDetail');
const AdminCase = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    procedure: z.string(),
    version: z.number().int(),
    state: z.string(),
    status: z.string(),
    publicStatus: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AdminCase');

/** The operator's admins (tenant `DEFAULT_TENANT`) run the installation: only they see all tenants and create new ones. */
function isOperator(services: Services, p: Principal): boolean {
  return p.tenantId === services.config.defaultTenant;
}

const store = (services: Services) => new AdminStore(services.database.db, services.ids.id);

/**
 * The admin console: tenants, groups, user access, connector checks, incidents and case search. Every route needs the
 * role admin and works on the admin's own tenant only.
 */
export function adminConsoleRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/tenants',
      tags: ['Verwaltung'],
      summary: 'Mandanten (Betreiber: alle; sonst nur der eigene)',
      security: bearer,
      responses: { 200: json(z.array(Tenant), 'Mandanten') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      return c.json(await store(services).tenants(isOperator(services, p) ? undefined : p.tenantId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/admin/tenants',
      tags: ['Verwaltung'],
      summary: 'Mandanten mit erstem Administrator anlegen (nur Betreiber)',
      description:
        'Nur Administratoren des Betreiber-Mandanten (DEFAULT_TENANT) dürfen Mandanten anlegen; die Verwaltung eines ' +
        'Mandanten übernimmt danach sein eigener Administrator, der in derselben Transaktion angelegt wird.',
      security: bearer,
      request: { body: jsonBody(NewTenant) },
      responses: {
        201: json(z.object({ id: z.string(), adminId: z.string() }), 'Angelegt'),
        403: problem('Nur der Betreiber legt Mandanten an'),
        409: problem('Kennung oder Benutzername vergeben'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      if (!isOperator(services, p)) {
        throw new Problem(403, 'Keine Berechtigung', 'Mandanten legt nur der Betreiber der Installation an');
      }
      const body = c.req.valid('json');
      const created = await store(services).createTenant({ ...body, now: services.clock.now() });
      if ('error' in created) {
        const field = created.error === 'tenant_taken' ? 'id' : 'admin.username';
        throw new Problem(409, 'Schon vergeben', undefined, [{ path: field, message: 'Diese Kennung gibt es schon' }]);
      }
      return c.json(created, 201);
    },
  );

  /** The admin's own tenant, else 403: even the operator's admins do not speak for another administration. */
  const ownTenant = (p: Principal, id: string) => {
    if (id !== p.tenantId) {
      throw new Problem(403, 'Keine Berechtigung', 'Kontaktdaten ändert nur die Verwaltung des Mandanten selbst');
    }
    return id;
  };
  const ContactReply = z.object({ contact: TenantContactSchema.nullable() }).openapi('TenantContactReply');
  const contactAnswers = {
    200: json(ContactReply, 'Kontakt (null: noch nicht eingetragen)'),
    403: problem('Nur der eigene Mandant'),
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/tenants/{id}/contact',
      tags: ['Verwaltung'],
      summary: 'Kontakt für Barrieremeldungen und Datum der Erklärung zur Barrierefreiheit (eigener Mandant)',
      security: bearer,
      request: { params: IdParam },
      responses: contactAnswers,
    }),
    async (c) => {
      const services = c.get('services');
      const id = ownTenant(requirePrincipal(c.get('principal'), 'admin'), c.req.valid('param').id);
      return c.json({ contact: (await services.identity.tenant(id))?.contact ?? null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/admin/tenants/{id}/contact',
      tags: ['Verwaltung'],
      summary: 'Kontakt für Barrieremeldungen und Datum der Erklärung ändern (eigener Mandant)',
      description: 'Nur Administratoren des Mandanten selbst; erscheint in der Erklärung zur Barrierefreiheit.',
      security: bearer,
      request: { params: IdParam, body: jsonBody(TenantContactSchema) },
      responses: { ...contactAnswers, 422: problem('Angaben ungültig; jedes Feld wird genannt') },
    }),
    async (c) => {
      const services = c.get('services');
      const id = ownTenant(requirePrincipal(c.get('principal'), 'admin'), c.req.valid('param').id);
      const contact = c.req.valid('json');
      await services.identity.setTenantContact(id, contact);
      services.log.info('tenant.contact.changed', { tenant: id });
      return c.json({ contact }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/groups',
      tags: ['Verwaltung'],
      summary: 'Gruppen des Mandanten mit Mitgliederzahl',
      security: bearer,
      responses: { 200: json(z.array(Group), 'Gruppen') },
    }),
    async (c) => {
      const p = requirePrincipal(c.get('principal'), 'admin');
      return c.json(await store(c.get('services')).groups(p.tenantId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/admin/groups',
      tags: ['Verwaltung'],
      summary: 'Gruppe anlegen',
      security: bearer,
      request: { body: jsonBody(z.object({ name: GroupName })) },
      responses: { 201: json(z.object({ id: z.string(), name: z.string() }), 'Angelegt'), 409: problem('Vergeben') },
    }),
    async (c) => {
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { name } = c.req.valid('json');
      const created = await store(c.get('services')).createGroup(p.tenantId, name);
      if ('error' in created) {
        throw new Problem(409, 'Schon vergeben', undefined, [{ path: 'name', message: 'Diese Gruppe gibt es schon' }]);
      }
      return c.json({ id: created.id, name }, 201);
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/admin/users/{id}/${action}`,
        tags: ['Verwaltung'],
        summary:
          action === 'disable'
            ? 'Benutzer sperren (beendet alle seine Sitzungen)'
            : 'Gesperrten Benutzer wieder zulassen',
        security: bearer,
        request: { params: IdParam },
        responses: {
          200: json(z.object({ id: z.string(), disabled: z.boolean() }), 'Geändert'),
          404: problem('Unbekannter Benutzer'),
          409: problem('Eigenes Konto'),
        },
      }),
      async (c) => {
        const p = requirePrincipal(c.get('principal'), 'admin');
        const { id } = c.req.valid('param');
        if (action === 'disable' && id === p.userId) {
          throw new Problem(409, 'Nicht möglich', 'Das eigene Konto lässt sich nicht sperren');
        }
        const refused = await store(c.get('services')).setDisabled(p.tenantId, id, action === 'disable');
        if (refused) throw new Problem(404, 'Nicht gefunden', 'Benutzer nicht gefunden');
        return c.json({ id, disabled: action === 'disable' }, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/admin/users/{id}/access',
      tags: ['Verwaltung'],
      summary: 'Rollen und Gruppen eines Benutzers setzen (die Gruppen müssen bestehen)',
      security: bearer,
      request: { params: IdParam, body: jsonBody(Access) },
      responses: {
        200: json(Access.extend({ id: z.string() }), 'Geändert'),
        404: problem('Unbekannter Benutzer'),
        422: problem('Unbekannte Gruppe oder eigene Verwaltungsrolle entzogen'),
      },
    }),
    async (c) => {
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      if (id === p.userId && !body.roles.includes('admin')) {
        throw new Problem(422, 'Ungültige Angaben', undefined, [
          { path: 'roles', message: 'Die eigene Rolle „admin“ lässt sich nicht entziehen' },
        ]);
      }
      const refused = await store(c.get('services')).setAccess(p.tenantId, id, body.roles, body.groups);
      if (refused?.error === 'user_not_found') throw new Problem(404, 'Nicht gefunden', 'Benutzer nicht gefunden');
      if (refused) {
        throw new Problem(
          422,
          'Ungültige Angaben',
          undefined,
          body.groups.flatMap((name, i) =>
            refused.names?.includes(name) ? [{ path: `groups.${i}`, message: `Gruppe „${name}“ gibt es nicht` }] : [],
          ),
        );
      }
      return c.json({ id, roles: body.roles, groups: [...new Set(body.groups)] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/connectors/{id}/config',
      tags: ['Anbindungen'],
      summary: 'Gespeicherte Konfiguration einer Anbindung und die Namen der gesetzten Geheimnisse (nie deren Werte)',
      security: bearer,
      request: { params: ConnectorParam },
      responses: {
        200: json(
          z.object({
            id: z.string(),
            configured: z.boolean(),
            config: z.record(z.string(), z.unknown()),
            secretNames: z.array(z.string()),
          }),
          'Konfiguration',
        ),
        404: problem('Unbekannte Anbindung'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { id } = c.req.valid('param');
      if (!services.connectors.connector(id)) {
        throw new Problem(404, 'Nicht gefunden', `Anbindung „${id}“ ist nicht installiert`);
      }
      const stored = await services.connectorConfigs.describe(p.tenantId, id);
      return c.json(
        { id, configured: stored !== undefined, config: stored?.config ?? {}, secretNames: stored?.secretNames ?? [] },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/admin/connectors/{id}/health',
      tags: ['Anbindungen'],
      summary: 'Verbindung einer Anbindung für den Mandanten prüfen',
      description:
        'Hat die Anbindung eine eigene Prüfung, läuft sie mit Konfiguration und Geheimnissen des Mandanten ' +
        '(höchstens 3 s). Sonst wird geprüft, ob die Konfiguration zum Schema passt und alle Geheimnisse gesetzt und ' +
        'lesbar sind (code `no_check` bei Erfolg); ein Fremdsystem wird dann nicht angefragt.',
      security: bearer,
      request: { params: ConnectorParam },
      responses: { 200: json(HealthResult, 'Ergebnis'), 404: problem('Unbekannte Anbindung') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { id } = c.req.valid('param');
      const connector = services.connectors.connector(id);
      if (!connector) throw new Problem(404, 'Nicht gefunden', `Anbindung „${id}“ ist nicht installiert`);
      const result = await checkConnector(services, p.tenantId, connector);
      services.log.info('connector.health.checked', { tenant: p.tenantId, connector: id, code: result.code });
      return c.json({ id, ...result, checkedAt: services.clock.now().toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/incidents/{id}',
      tags: ['Störungen'],
      summary: 'Eine Störung mit der Eingabe des Aufrufs und deren Schema',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(Incident, 'Störung'), 404: problem('Keine Störung') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const job = await store(services).incident(p.tenantId, c.req.valid('param').id);
      if (!job) throw new Problem(404, 'Nicht gefunden', 'Keine offene Störung mit dieser ID');
      const operation = services.connectors.connector(job.connector)?.operations[job.operation];
      return c.json(
        {
          id: job.id,
          caseId: job.caseId,
          connector: job.connector,
          operation: job.operation,
          state: job.state,
          attempts: job.attempts,
          error: job.lastError,
          input: job.input,
          inputSchema: operation
            ? (z.toJSONSchema(operation.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
            : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/admin/incidents/{id}/retry-with-input',
      tags: ['Störungen'],
      summary: 'Störung mit geänderter Eingabe erneut versuchen (der Verlauf vermerkt die Änderung)',
      security: bearer,
      request: { params: IdParam, body: jsonBody(z.object({ input: z.record(z.string(), z.unknown()) })) },
      responses: {
        200: json(z.object({ id: z.string(), status: z.literal('pending') }), 'Wieder eingeplant'),
        404: problem('Keine Störung'),
        422: problem('Eingabe passt nicht zur Operation'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { id } = c.req.valid('param');
      const { input } = c.req.valid('json');
      const admin = store(services);
      const job = await admin.incident(p.tenantId, id);
      if (!job) throw new Problem(404, 'Nicht gefunden', 'Keine offene Störung mit dieser ID');
      const operation = services.connectors.connector(job.connector)?.operations[job.operation];
      if (!operation) throw new Problem(409, 'Nicht möglich', `Anbindung ${job.connector} ist nicht installiert`);
      const parsed = operation.input.safeParse(input);
      if (!parsed.success) {
        throw new Problem(422, 'Eingabe passt nicht zur Operation', undefined, zodFieldErrors(parsed.error, 'input'));
      }
      const retried = await admin.retryIncidents({
        tenantId: p.tenantId,
        jobIds: [id],
        newInput: input,
        actor: p.username,
        now: services.clock.now(),
      });
      if (retried.length === 0) throw new Problem(404, 'Nicht gefunden', 'Keine offene Störung mit dieser ID');
      return c.json({ id, status: 'pending' as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/admin/incidents/retry',
      tags: ['Störungen'],
      summary: 'Mehrere Störungen erneut versuchen',
      security: bearer,
      request: { body: jsonBody(z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(500) })) },
      responses: {
        200: json(z.object({ retried: z.array(z.string()), skipped: z.array(z.string()) }), 'Wieder eingeplant'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { ids } = c.req.valid('json');
      const retried = await store(services).retryIncidents({
        tenantId: p.tenantId,
        jobIds: ids,
        actor: p.username,
        now: services.clock.now(),
      });
      return c.json({ retried, skipped: [...new Set(ids)].filter((id) => !retried.includes(id)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/admin/cases/{id}/cancel',
      tags: ['Vorgänge'],
      summary: 'Vorgang abbrechen (beendet offene Aufgaben, Aufrufe, Störungen und Fristen)',
      security: bearer,
      request: { params: IdParam },
      responses: {
        200: json(z.object({ id: z.string(), status: z.literal('cancelled') }), 'Abgebrochen'),
        404: problem('Nicht gefunden'),
        409: problem('Vorgang ist nicht mehr aktiv'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { id } = c.req.valid('param');
      const row = await services.engine.cancel({
        tenantId: p.tenantId,
        caseId: id,
        actor: { kind: 'user', username: p.username },
      });
      if (!row) throw new Problem(409, 'Nicht möglich', 'Der Vorgang ist abgeschlossen oder schon abgebrochen');
      return c.json({ id, status: 'cancelled' as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/cases',
      tags: ['Vorgänge'],
      summary: 'Vorgänge nach Aktenzeichen (Anfang), Verfahren, Zustand und Status suchen',
      security: bearer,
      request: {
        query: z.object({
          number: z.string().trim().max(40).optional(),
          procedure: z.string().max(63).optional(),
          state: z.string().max(64).optional(),
          status: z.enum(['active', 'done', 'cancelled']).optional(),
          ...Paging,
        }),
      },
      responses: { 200: json(z.array(AdminCase), 'Vorgänge') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const found = await store(services).cases({ tenantId: p.tenantId, ...c.req.valid('query') });
      return c.json(
        found.map((r) => ({
          id: r.id,
          caseNumber: r.caseNumber,
          procedure: r.procedureKey,
          version: r.procedureVersion,
          state: r.state,
          status: r.status,
          publicStatus: r.publicStatus,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
        })),
        200,
      );
    },
  );
}
