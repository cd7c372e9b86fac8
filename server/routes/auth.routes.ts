import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requirePrincipal, sessionToken } from '../http/auth.ts';
import { Problem } from '../http/problem.ts';
import { json, jsonBody, problem } from './schemas.ts';

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(500) }).openapi('Login');
const User = z
  .object({
    username: z.string(),
    roles: z.array(z.string()),
    groups: z.array(z.string()),
    tenant: z.string(),
  })
  .openapi('User');
const Session = z.object({ token: z.string(), user: User }).openapi('Session');

const COOKIE = 'HttpOnly; SameSite=Strict; Path=/';

/** Staff sign-in: a bearer token (and an HttpOnly cookie for the web app). */
export function authRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/login',
      tags: ['Anmeldung'],
      summary: 'Anmelden',
      request: { body: jsonBody(Login) },
      responses: {
        200: json(Session, 'Angemeldet'),
        401: problem('Benutzername oder Passwort falsch'),
        422: problem('Ungültige Angaben'),
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const services = c.get('services');
      const session = await services.identity.login(username, password, services.clock.now());
      if (!session) throw new Problem(401, 'Anmeldung fehlgeschlagen', 'Benutzername oder Passwort falsch');
      c.header('set-cookie', `session=${session.token}; ${COOKIE}; Max-Age=43200`);
      const p = session.principal;
      return c.json(
        { token: session.token, user: { username: p.username, roles: p.roles, groups: p.groups, tenant: p.tenantId } },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/auth/me',
      tags: ['Anmeldung'],
      summary: 'Wer ist angemeldet?',
      responses: { 200: json(User, 'Die angemeldete Person'), 401: problem('Nicht angemeldet') },
    }),
    (c) => {
      const p = requirePrincipal(c.get('principal'));
      return c.json({ username: p.username, roles: p.roles, groups: p.groups, tenant: p.tenantId }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/auth/logout',
      tags: ['Anmeldung'],
      summary: 'Abmelden (beendet die Sitzung)',
      responses: { 204: { description: 'Abgemeldet' } },
    }),
    async (c) => {
      const token = sessionToken(c.req.header('authorization'), c.req.header('cookie'));
      if (token) await c.get('services').identity.logout(token);
      c.header('set-cookie', `session=; ${COOKIE}; Max-Age=0`);
      return c.body(null, 204);
    },
  );
}
