import { createMiddleware } from 'hono/factory';
import type { Services } from '../services.ts';
import type { Principal, Role } from '../store/identity-store.kysely.ts';
import { Problem } from './problem.ts';

/** Hono variables every handler can read. */
export type AppEnv = { Variables: { principal: Principal | undefined; services: Services } };

/** Reads `Authorization: Bearer <token>` (or the `session` cookie of the web app) and sets the principal. */
export function authenticate(services: Services) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('services', services);
    const token = sessionToken(c.req.header('authorization'), c.req.header('cookie'));
    c.set('principal', token ? await services.identity.authenticate(token, services.clock.now()) : undefined);
    await next();
  });
}

/** The session token of a request: the bearer token, else the web app's `session` cookie. */
export function sessionToken(authorization: string | undefined, cookie: string | undefined): string | undefined {
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  return /(?:^|;\s*)session=([A-Za-z0-9_-]+)/.exec(cookie ?? '')?.[1];
}

/** The signed-in principal holding one of the roles; 401 when nobody is signed in, 403 for other roles. */
export function requirePrincipal(principal: Principal | undefined, ...roles: Role[]): Principal {
  if (!principal) throw new Problem(401, 'Anmeldung erforderlich', 'Bitte melden Sie sich an');
  if (roles.length && !roles.some((r) => principal.roles.includes(r))) {
    throw new Problem(403, 'Keine Berechtigung', `Erforderliche Rolle: ${roles.join(' oder ')}`);
  }
  return principal;
}
