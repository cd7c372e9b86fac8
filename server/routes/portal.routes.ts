import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/auth.ts';
import { Problem } from '../http/problem.ts';
import { tenantOf } from './procedures.routes.ts';
import { json, problem, TenantContactSchema } from './schemas.ts';

const PortalTenant = z
  .object({
    name: z.string().openapi({ description: 'Name der Verwaltung (Mandant), z. B. „Musterstadt“' }),
    land: z
      .string()
      .openapi({ description: 'Kürzel des Bundeslandes (BW, BY, … NW …); bestimmt die Durchsetzungsstelle' }),
    contact: TenantContactSchema.nullable().openapi({
      description: 'Kontakt für Rückmeldungen zu Barrieren und Datum der Erklärung; null, solange nicht eingetragen',
    }),
  })
  .openapi('PortalTenant');

/**
 * Public facts about the tenant the citizen portal needs: the accessibility statement names the body, its Land and
 * its contact for feedback on barriers.
 */
export function portalRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/portal/tenant',
      tags: ['Bürgerportal'],
      summary: 'Verwaltung des Portals (öffentlich)',
      responses: { 200: json(PortalTenant, 'Verwaltung'), 404: problem('Unbekannter Mandant') },
    }),
    async (c) => {
      const services = c.get('services');
      const tenant = await services.identity.tenant(tenantOf(c, services));
      if (!tenant) throw new Problem(404, 'Nicht gefunden', 'Diesen Mandanten gibt es nicht');
      return c.json({ name: tenant.name, land: tenant.land, contact: tenant.contact }, 200);
    },
  );
}
