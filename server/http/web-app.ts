import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { Problem, problemJson } from './problem.ts';

/** Where `npm run build:web` puts the web app (designer/). */
export const WEB_DIST = fileURLToPath(new URL('../../designer/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

/** Everything the web app loads comes from this server (no CDN); inline styles are needed by the canvas. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

const SERVER_PATHS = ['/api/', '/docs', '/openapi.json', '/healthz'];

/**
 * Serves the built web app on the API's port: files under `dist/`, and `index.html` for every other page path
 * (`/`, `/login`, `/inbox/…`) so bookmarks work. Paths of the API are never answered with the page.
 */
// biome-ignore lint/suspicious/noExplicitAny: mounts on any Hono app regardless of its env type
export function mountWebApp(app: Hono<any>, distDir = WEB_DIST) {
  app.get('*', async (c, next) => {
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return problemJson(c, new Problem(400, 'Ungültige Adresse', 'Die Adresse ist nicht richtig kodiert'));
    }
    if (SERVER_PATHS.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) return next();
    const file = normalize(join(distDir, path));
    if (file.startsWith(distDir + sep) && extname(file) && (await isFile(file))) {
      const immutable = path.startsWith('/assets/');
      return c.body(await readFile(file), 200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...SECURITY_HEADERS,
      });
    }
    if (extname(path)) return next();
    const index = join(distDir, 'index.html');
    if (!(await isFile(index))) {
      return problemJson(c, new Problem(503, 'Web-Oberfläche nicht gebaut', 'Bitte `npm run build:web` ausführen'));
    }
    return c.body(await readFile(index), 200, {
      'content-type': TYPES['.html']!,
      'cache-control': 'no-cache',
      ...SECURITY_HEADERS,
    });
  });
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
