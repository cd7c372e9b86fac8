import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { operationJsonSchemas } from '../../connectors/index.ts';
import { breakerKey } from '../../engine/runtime/job-runner.ts';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem, zodFieldErrors } from '../http/problem.ts';
import { ROLES } from '../store/identity-store.kysely.ts';
import { bearer, json, jsonBody, problem } from './schemas.ts';

const NewUser = z
  .object({
    username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'Kleinbuchstaben, Ziffern, . _ -'),
    password: z.string().min(8, 'Mindestens 8 Zeichen').max(500),
    roles: z.array(z.enum(ROLES)).min(1),
    groups: z.array(z.string().min(1).max(100)).default([]),
  })
  .openapi('NewUser');
const User = z
  .object({
    id: z.string(),
    username: z.string(),
    roles: z.array(z.string()),
    groups: z.array(z.string()),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');

/** Administration: users and connector configuration of the admin's tenant. */
export function adminRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/admin/users',
      tags: ['Verwaltung'],
      summary: 'Benutzer anlegen (Gruppen werden bei Bedarf angelegt)',
      security: bearer,
      request: { body: jsonBody(NewUser) },
      responses: {
        201: json(z.object({ id: z.string(), username: z.string() }), 'Angelegt'),
        409: problem('Benutzername vergeben'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const body = c.req.valid('json');
      const created = await services.identity.createUser({ tenantId: p.tenantId, ...body, now: services.clock.now() });
      if ('error' in created) {
        throw new Problem(409, 'Benutzername vergeben', undefined, [
          { path: 'username', message: 'Diesen Benutzernamen gibt es schon' },
        ]);
      }
      return c.json({ id: created.id, username: body.username }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/admin/users',
      tags: ['Verwaltung'],
      summary: 'Benutzer des Mandanten',
      security: bearer,
      responses: { 200: json(z.array(User), 'Benutzer') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      return c.json(await services.identity.listUsers(p.tenantId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/connectors',
      tags: ['Anbindungen'],
      summary: 'Installierte Anbindungen mit Operationen (Ein-/Ausgabe als JSON Schema) und Zustand',
      description:
        'Je Anbindung: Konfigurationsschema, Namen der Geheimnisse (nie ihre Werte), ob der Mandant sie eingerichtet ' +
        'hat, das Ergebnis ihrer Verbindungsprüfung (höchstens 3 s; null ohne Prüfung oder Einrichtung) und der ' +
        'Zustand ihres Schutzschalters (closed, open, half-open) in diesem Serverprozess.',
      security: bearer,
      responses: { 200: json(z.array(z.record(z.string(), z.unknown())), 'Anbindungen') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner', 'admin');
      const list = await Promise.all(
        services.connectors.list().map(async (connector) => {
          const stored = await services.connectorConfigs.describe(p.tenantId, connector.id);
          return {
            id: connector.id,
            title: connector.title,
            description: connector.description ?? null,
            secrets: connector.secrets ?? [],
            configSchema: z.toJSONSchema(connector.config, { io: 'input', unrepresentable: 'any' }),
            operations: operationJsonSchemas(connector),
            configured: stored !== undefined,
            health: stored === undefined ? null : ((await services.connectors.health(p.tenantId, connector)) ?? null),
            circuit: services.breakers.state(breakerKey(p.tenantId, connector.id)),
          };
        }),
      );
      return c.json(list, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/admin/connectors/{id}/config',
      tags: ['Anbindungen'],
      summary: 'Konfiguration und Geheimnisse einer Anbindung für den Mandanten (Geheimnisse nur schreibbar)',
      security: bearer,
      request: {
        params: z.object({
          id: z
            .string()
            .max(100)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
        body: jsonBody(
          z.object({
            config: z.record(z.string(), z.unknown()).default({}),
            secrets: z.record(z.string(), z.string().max(10_000)).default({}),
          }),
        ),
      },
      responses: {
        200: json(
          z.object({ id: z.string(), config: z.record(z.string(), z.unknown()), secretNames: z.array(z.string()) }),
          'Gespeichert',
        ),
        404: problem('Unbekannte Anbindung'),
        422: problem('Konfiguration ungültig'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'admin');
      const { id } = c.req.valid('param');
      const connector = services.connectors.connector(id);
      if (!connector) throw new Problem(404, 'Nicht gefunden', `Anbindung „${id}“ ist nicht installiert`);
      const body = c.req.valid('json');
      const parsed = connector.config.safeParse(body.config);
      if (!parsed.success)
        throw new Problem(422, 'Konfiguration ungültig', undefined, zodFieldErrors(parsed.error, 'config'));
      const unknown = Object.keys(body.secrets).filter((s) => !(connector.secrets ?? []).includes(s));
      if (unknown.length)
        throw new Problem(
          422,
          'Unbekanntes Geheimnis',
          undefined,
          unknown.map((s) => ({ path: `secrets.${s}`, message: 'Die Anbindung kennt dieses Geheimnis nicht' })),
        );
      await services.connectorConfigs.save(p.tenantId, id, body.config, body.secrets, services.clock.now());
      const stored = await services.connectorConfigs.describe(p.tenantId, id);
      return c.json({ id, config: stored?.config ?? {}, secretNames: stored?.secretNames ?? [] }, 200);
    },
  );
}
