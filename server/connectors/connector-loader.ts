import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectorProblems } from '../../engine/connectors/connector.ts';
import type { AnyConnector } from './connector-host.ts';

/** External connectors could not be installed; the server does not start, and `problems` says why, in German. */
export class ConnectorLoadError extends Error {
  constructor(readonly problems: string[]) {
    super(`Anbindungen konnten nicht geladen werden:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConnectorLoadError';
  }
}

/** Imports a module; injected so tests can load modules from anywhere. */
export type ModuleImporter = (url: string) => Promise<Record<string, unknown>>;

/**
 * The URL to import for a `CONNECTORS` entry: a path (`./x.ts`, `../x`, `/abs/x.js`) relative to `cwd`, or an npm
 * package name resolved like any import of the server (from the project's node_modules).
 */
export function moduleUrl(specifier: string, cwd: string): string {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  return isPath ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
}

/**
 * The connectors a module exports: its default export (one connector or a list), else every named export that
 * looks like a connector (an object with `id` and `operations`).
 */
function exportedConnectors(module: Record<string, unknown>): unknown[] {
  const fallback = module.default;
  if (fallback !== undefined) return Array.isArray(fallback) ? fallback : [fallback];
  return Object.values(module).filter(
    (value) => typeof value === 'object' && value !== null && 'id' in value && 'operations' in value,
  );
}

/**
 * The built-in connectors plus the external ones named in `specifiers` (npm package names or paths), checked:
 * an unloadable module, a bad manifest or an id that is already taken stops the start with every problem listed.
 */
export async function loadConnectors(
  builtins: readonly AnyConnector[],
  specifiers: readonly string[],
  options: { cwd?: string; importer?: ModuleImporter } = {},
): Promise<AnyConnector[]> {
  const cwd = options.cwd ?? process.cwd();
  const importer: ModuleImporter = options.importer ?? ((url) => import(url));
  const problems: string[] = [];
  const loaded: AnyConnector[] = [...builtins];
  const origin = new Map<string, string>();
  for (const builtin of builtins) {
    if (origin.has(builtin.id)) problems.push(`Anbindung ${builtin.id} ist doppelt eingebaut`);
    origin.set(builtin.id, 'eingebaut');
  }
  for (const specifier of specifiers) {
    let module: Record<string, unknown>;
    try {
      module = await importer(moduleUrl(specifier, cwd));
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      problems.push(`${specifier}: Modul nicht ladbar (${reason})`);
      continue;
    }
    const candidates = exportedConnectors(module);
    if (candidates.length === 0) {
      problems.push(`${specifier}: exportiert keine Anbindung (erwartet: default-Export mit id und operations)`);
      continue;
    }
    for (const candidate of candidates) {
      const found = connectorProblems(candidate);
      if (found.length > 0) {
        problems.push(...found.map((problem) => `${specifier}: ${problem}`));
        continue;
      }
      const connector = candidate as AnyConnector;
      const taken = origin.get(connector.id);
      if (taken !== undefined) {
        problems.push(`${specifier}: Anbindung ${connector.id} gibt es schon (${taken})`);
        continue;
      }
      origin.set(connector.id, specifier);
      loaded.push(connector);
    }
  }
  if (problems.length > 0) throw new ConnectorLoadError(problems);
  return loaded;
}
