import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const sources = [join(root, 'src'), join(root, 'index.html'), join(root, 'vite.config.ts')];
const builtIndex = join(root, 'dist', 'index.html');

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** True when `dist/` is missing or older than any source of the web app. */
export function webBuildIsStale(): boolean {
  try {
    return statSync(builtIndex).mtimeMs < Math.max(...sources.map(newest));
  } catch {
    return true;
  }
}

/** Builds the web app into `designer/dist` when it is missing or stale (`npm start` and the browser tests). */
export async function ensureWebBuild(): Promise<void> {
  if (!webBuildIsStale()) return;
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const force = process.argv.includes('--force');
  (force ? build({ configFile: join(root, 'vite.config.ts') }) : ensureWebBuild()).catch((error: unknown) => {
    process.stderr.write(`Web-Oberfläche konnte nicht gebaut werden: ${String(error)}\n`);
    process.exit(1);
  });
}
