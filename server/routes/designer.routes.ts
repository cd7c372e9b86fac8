import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requirePrincipal } from '../http/auth.ts';
import { bearer, json, problem } from './schemas.ts';

/** What the visual designer needs beyond the procedure routes: the tenant's groups for task assignment. */
export function designerRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/designer/groups',
      tags: ['Verfahren'],
      summary: 'Gruppen des Mandanten, denen Aufgaben zugewiesen werden können',
      security: bearer,
      responses: {
        200: json(z.array(z.string()), 'Gruppennamen'),
        401: problem('Nicht angemeldet'),
        403: problem('Keine Berechtigung'),
      },
    }),
    async (c) => {
      const services = c.get('services');
      const p = requirePrincipal(c.get('principal'), 'process-owner');
      const groups = await services.identity.groupNames(p.tenantId);
      return c.json(
        [...groups].sort((a, b) => a.localeCompare(b, 'de')),
        200,
      );
    },
  );
}
