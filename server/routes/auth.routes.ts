import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/auth.ts';
import { Problem } from '../http/problem.ts';
import { json, jsonBody, problem } from './schemas.ts';

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(500) }).openapi('Login');
const Session = z
  .object({
    token: z.string(),
    user: z.object({
      username: z.string(),
      roles: z.array(z.string()),
      groups: z.array(z.string()),
      tenant: z.string(),
    }),
  })
  .openapi('Session');

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
      c.header('set-cookie', `session=${session.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`);
      const p = session.principal;
      return c.json(
        { token: session.token, user: { username: p.username, roles: p.roles, groups: p.groups, tenant: p.tenantId } },
        200,
      );
    },
  );
}
