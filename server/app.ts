import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { type AppEnv, authenticate } from './http/auth.ts';
import { mountDocs } from './http/docs.ts';
import { Problem, problemJson, toProblem, zodFieldErrors } from './http/problem.ts';
import { mountWebApp } from './http/web-app.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { adminConsoleRoutes } from './routes/admin-console.routes.ts';
import { applicationRoutes } from './routes/applications.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { caseRoutes } from './routes/cases.routes.ts';
import { designerRoutes } from './routes/designer.routes.ts';
import { inboxRoutes } from './routes/inbox.routes.ts';
import { portalRoutes } from './routes/portal.routes.ts';
import { procedureRoutes } from './routes/procedures.routes.ts';
import { taskRoutes } from './routes/tasks.routes.ts';
import { testRunRoutes } from './routes/test-runs.routes.ts';
import type { Services } from './services.ts';

const MiB = 1024 * 1024;

/** Builds the HTTP app without listening, so tests call `app.request()` and `main` serves it. */
export function createApp(services: Services) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const body = result.target === 'json';
      return problemJson(
        c,
        new Problem(
          body ? 422 : 400,
          body ? 'Ungültige Angaben' : 'Ungültige Anfrage',
          undefined,
          zodFieldErrors(result.error, body ? '' : result.target),
        ),
      );
    },
  });

  app.onError((error, c) => {
    const problem = toProblem(error);
    if (problem) return problemJson(c, problem);
    services.log.error('http.unhandled', { path: c.req.path, method: c.req.method, error: error.name });
    return problemJson(c, new Problem(500, 'Interner Fehler', 'Bitte später erneut versuchen'));
  });
  app.notFound((c) => problemJson(c, new Problem(404, 'Nicht gefunden', `Keine Ressource unter ${c.req.path}`)));

  app.use('/api/*', async (c, next) => {
    const method = c.req.method;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      const type = c.req.header('content-type') ?? '';
      const xml = c.req.path === '/api/procedures/import' && /^(application|text)\/xml\b/.test(type);
      const length = Number(c.req.header('content-length') ?? '0');
      const hasBody = length > 0 || c.req.header('transfer-encoding') !== undefined;
      if (hasBody && !xml && !/^application\/json\b/.test(type) && !c.req.path.startsWith('/api/hooks/')) {
        return problemJson(c, new Problem(415, 'Falscher Inhaltstyp', 'Erwartet Content-Type: application/json'));
      }
    }
    await next();
  });
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => problemJson(c, new Problem(413, 'Inhalt zu groß', `Höchstens ${maxSize / MiB} MiB`)),
    });
  app.use('/api/applications', limit(12 * MiB));
  app.use('/api/procedures/import', limit(2 * MiB));
  app.use('/api/*', async (c, next) =>
    c.req.path === '/api/applications' || c.req.path === '/api/procedures/import' ? next() : limit(MiB)(c, next),
  );
  app.use('*', authenticate(services));

  app.get('/healthz', async (c) => {
    await services.identity.isEmpty();
    return c.json({ status: 'ok' });
  });

  authRoutes(app);
  procedureRoutes(app);
  portalRoutes(app);
  applicationRoutes(app);
  taskRoutes(app);
  inboxRoutes(app);
  caseRoutes(app);
  adminRoutes(app);
  adminConsoleRoutes(app);
  designerRoutes(app);
  testRunRoutes(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Verfahrenswerk API', version: '1', description: 'Verfahren, Anträge, Aufgaben und Vorgänge' },
  });
  mountDocs(app);
  mountWebApp(app);
  return app;
}
