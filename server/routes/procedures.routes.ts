import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { connectorCatalog } from '../../connectors/index.ts';
import { exportBpmn } from '../../engine/bpmn/bpmn-export.ts';
import { importBpmn } from '../../engine/bpmn/bpmn-import.ts';
import { type Definition, definitionSchema } from '../../engine/definition/definition.schema.ts';
import { validateDefinition } from '../../engine/definition/validate.ts';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { Problem, zodFieldErrors } from '../http/problem.ts';
import type { Services } from '../services.ts';
import { isSandboxId } from '../store/sandbox-store.kysely.ts';
import { bearer, json, KeyParam, problem } from './schemas.ts';

const ProblemList = z.array(
  z.object({ path: z.string(), code: z.string(), message: z.string(), stateId: z.string().optional() }),
);
const DraftSaved = z.object({ key: z.string(), problems: ProblemList }).openapi('DraftSaved');
const Imported = z
  .object({
    key: z.string(),
    warnings: z.array(
      z.object({ elementId: z.string().optional(), elementType: z.string().optional(), message: z.string() }),
    ),
  })
  .openapi('Imported');
const CatalogueEntry = z
  .object({
    key: z.string(),
    title: z.string(),
    version: z.number().int(),
    description: z.string().optional(),
    category: z.string().optional(),
    synonyms: z.array(z.string()),
    fee: z.string().optional(),
    duration: z.string().optional(),
    requiresLogin: z.boolean(),
  })
  .openapi('CatalogueEntry');

/** Every definition problem against the tenant's groups and the installed connectors. */
export async function definitionProblems(services: Services, tenantId: string, definition: unknown) {
  return validateDefinition(definition, {
    groups: await services.identity.groupNames(tenantId),
    connectors: connectorCatalog(services.connectors.list()),
  });
}

/**
 * The tenant of a public request: the `x-tenant` header, else the configured default. A sandbox (the designer's test
 * runs) is never public: it is answered as an unknown tenant.
 */
export function tenantOf(c: { req: { header(name: string): string | undefined } }, services: Services): string {
  const tenant = c.req.header('x-tenant') ?? services.config.defaultTenant;
  if (isSandboxId(tenant)) throw new Problem(404, 'Nicht gefunden', 'Diesen Mandanten gibt es nicht');
  return tenant;
}

function parseDefinitionBody(body: unknown): Definition {
  const parsed = definitionSchema.safeParse(body);
  if (!parsed.success)
    throw new Problem(422, 'Ungültige Verfahrensdefinition', undefined, zodFieldErrors(parsed.error));
  return parsed.data;
}

/** Designing (process owners) and the public catalogue. */
export function procedureRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures',
      tags: ['Verfahren'],
      summary: 'Entwurf anlegen oder ändern',
      security: bearer,
      request: {
        body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
      },
      responses: { 200: json(DraftSaved, 'Entwurf gespeichert'), 422: problem('Ungültige Definition') },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const definition = parseDefinitionBody(c.req.valid('json'));
      await services.procedures.saveDraft(p.tenantId, definition, services.clock.now());
      return c.json({ key: definition.key, problems: await definitionProblems(services, p.tenantId, definition) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures/import',
      tags: ['Verfahren'],
      summary: 'BPMN 2.0 (application/xml) oder JSON importieren',
      security: bearer,
      request: {
        body: {
          required: true,
          content: {
            'application/xml': { schema: z.string() },
            'application/json': { schema: z.record(z.string(), z.unknown()) },
          },
        },
      },
      responses: {
        200: json(Imported, 'Importiert als Entwurf'),
        415: problem('Falscher Inhaltstyp'),
        422: problem('Modell nicht ausführbar'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const type = c.req.header('content-type') ?? '';
      let definition: Definition;
      let warnings: { elementId?: string; elementType?: string; message: string }[] = [];
      if (/^(application|text)\/xml\b/.test(type)) {
        const result = await importBpmn(await c.req.text(), {
          knownConnectors: services.connectors.list().map((x) => x.id),
        });
        if (!result.ok) {
          throw new Problem(
            422,
            'BPMN-Modell nicht ausführbar',
            `${result.errors.length} Problem(e)`,
            result.errors.map((e) => ({ path: e.elementId ?? '(Modell)', message: e.message })),
            { warnings: result.warnings },
          );
        }
        definition = parseDefinitionBody(result.definition);
        warnings = result.warnings;
      } else if (/^application\/json\b/.test(type)) {
        definition = parseDefinitionBody(await c.req.json());
      } else {
        throw new Problem(415, 'Falscher Inhaltstyp', 'Erwartet application/xml (BPMN 2.0) oder application/json');
      }
      await services.procedures.saveDraft(p.tenantId, definition, services.clock.now());
      return c.json({ key: definition.key, warnings }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures/{key}/publish',
      tags: ['Verfahren'],
      summary: 'Entwurf als neue, unveränderliche Version veröffentlichen',
      security: bearer,
      request: { params: KeyParam },
      responses: {
        200: json(z.object({ key: z.string(), version: z.number().int() }), 'Veröffentlicht'),
        404: problem('Kein Entwurf'),
        422: problem('Die Definition hat Probleme'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const { key } = c.req.valid('param');
      const draft = await services.procedures.draft(p.tenantId, key);
      if (!draft) throw new Problem(404, 'Nicht gefunden', `Kein Entwurf „${key}“`);
      const problems = await definitionProblems(services, p.tenantId, draft);
      if (problems.length) {
        throw new Problem(
          422,
          'Veröffentlichung abgelehnt',
          `${problems.length} Problem(e) in der Definition`,
          problems.map((x) => ({ path: x.path, message: x.message })),
        );
      }
      const published = await services.procedures.publish(
        p.tenantId,
        key,
        p.username,
        services.ids.id(),
        services.clock.now(),
      );
      if (!published) throw new Problem(404, 'Nicht gefunden', `Kein Entwurf „${key}“`);
      return c.json({ key, version: published.version }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures/{key}/export',
      tags: ['Verfahren'],
      summary: 'Entwurf (oder neueste Version) als JSON oder BPMN 2.0',
      security: bearer,
      request: {
        params: KeyParam,
        query: z.object({
          format: z.enum(['json', 'bpmn']).default('json'),
          version: z.coerce.number().int().min(1).optional(),
        }),
      },
      responses: {
        200: {
          description: 'Definition',
          content: { 'application/json': { schema: z.unknown() }, 'application/xml': { schema: z.string() } },
        },
        404: problem('Nicht gefunden'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner', 'admin');
      const { key } = c.req.valid('param');
      const { format, version } = c.req.valid('query');
      const definition =
        version !== undefined
          ? (await services.procedures.version(p.tenantId, key, version))?.definition
          : ((await services.procedures.draft(p.tenantId, key)) ??
            (await services.procedures.version(p.tenantId, key))?.definition);
      if (!definition) throw new Problem(404, 'Nicht gefunden', `Verfahren „${key}“ gibt es nicht`);
      if (format === 'bpmn') {
        return c.body(await exportBpmn(definition), 200, {
          'content-type': 'application/xml; charset=utf-8',
          'content-disposition': `attachment; filename="${key}.bpmn"`,
        });
      }
      return c.json(definition, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures/{key}/versions',
      tags: ['Verfahren'],
      summary: 'Veröffentlichte Versionen',
      security: bearer,
      request: { params: KeyParam },
      responses: {
        200: json(
          z.array(
            z.object({
              version: z.number().int(),
              title: z.string(),
              publishedAt: z.string(),
              publishedBy: z.string(),
            }),
          ),
          'Versionen',
        ),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner', 'admin');
      return c.json(await services.procedures.versions(p.tenantId, c.req.valid('param').key), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedure-drafts',
      tags: ['Verfahren'],
      summary: 'Alle Verfahren des Mandanten mit Entwurf, Versionen und laufenden Vorgängen',
      security: bearer,
      responses: {
        200: json(
          z.array(
            z.object({
              key: z.string(),
              title: z.string(),
              updatedAt: z.string(),
              latestVersion: z.number().int().nullable(),
              runningCases: z.number().int(),
            }),
          ),
          'Verfahren',
        ),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner', 'admin');
      const [drafts, published, running] = await Promise.all([
        services.procedures.keys(p.tenantId),
        services.procedures.latestPublished(p.tenantId),
        services.queries.countRunningCases(p.tenantId),
      ]);
      return c.json(
        drafts.map((d) => ({
          key: d.key,
          title: d.title,
          updatedAt: d.updatedAt.toISOString(),
          latestVersion: published.find((v) => v.key === d.key)?.version ?? null,
          runningCases: running[d.key] ?? 0,
        })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures',
      tags: ['Leistungskatalog'],
      summary: 'Veröffentlichte Verfahren (öffentlich)',
      responses: { 200: json(z.array(CatalogueEntry), 'Katalog') },
    }),
    async (c) => {
      const services = c.get('services');
      const published = await services.procedures.latestPublished(tenantOf(c, services));
      return c.json(
        published.map(({ definition: d, version }) => ({
          key: d.key,
          title: d.title,
          version,
          description: d.description,
          category: d.category,
          synonyms: d.synonyms,
          fee: d.fee,
          duration: d.duration,
          requiresLogin: d.requiresLogin,
        })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures/{key}',
      tags: ['Leistungskatalog'],
      summary: 'Ein Verfahren mit seinem Antragsformular (öffentlich)',
      request: { params: KeyParam },
      responses: {
        200: json(CatalogueEntry.extend({ form: z.unknown() }), 'Verfahren'),
        404: problem('Nicht gefunden'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const { key } = c.req.valid('param');
      const published = await services.procedures.version(tenantOf(c, services), key);
      if (!published) throw new Problem(404, 'Nicht gefunden', `Verfahren „${key}“ gibt es nicht`);
      const d = published.definition;
      return c.json(
        {
          key: d.key,
          title: d.title,
          version: published.version,
          description: d.description,
          category: d.category,
          synonyms: d.synonyms,
          fee: d.fee,
          duration: d.duration,
          requiresLogin: d.requiresLogin,
          form: d.form,
        },
        200,
      );
    },
  );
}
