import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const full = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(full);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name === 'fixtures') return [];
    const path = join(full, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path));
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports (static, dynamic, re-export). */
function importsOf(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g,
  )) {
    found.add(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return [...found];
}

function violations(dir: string, forbidden: (spec: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((spec) => forbidden(spec, file))
      .map((spec) => `${relative(root, file)} → ${spec}`),
  );
}

const resolvesInto = (spec: string, file: string, folder: string) =>
  spec.startsWith('.') && relative(root, resolve(file, '..', spec)).startsWith(`${folder}/`);

describe('folder boundaries (DESIGN.md §4)', () => {
  it('engine/ imports no HTTP framework, query builder, driver, UI library or server code', () => {
    const banned =
      /^(hono|@hono\/|kysely|better-sqlite3|pg|postgres|mysql2?|react|react-dom|@xyflow\/|node:http|node:https|http|https)(\/|$)/;
    expect(
      violations(
        'engine',
        (spec, file) =>
          banned.test(spec) || ['server', 'connectors', 'designer', 'test'].some((f) => resolvesInto(spec, file, f)),
      ),
    ).toEqual([]);
  });

  it('connectors/ use the SDK from engine/ but never server code', () => {
    expect(
      violations(
        'connectors',
        (spec, file) =>
          /^(hono|@hono\/|kysely|better-sqlite3|pg)(\/|$)/.test(spec) || resolvesInto(spec, file, 'server'),
      ),
    ).toEqual([]);
  });

  it('designer/ talks to the server only over HTTP', () => {
    expect(
      violations(
        'designer',
        (spec, file) => resolvesInto(spec, file, 'server') || /^(kysely|better-sqlite3|pg)(\/|$)/.test(spec),
      ),
    ).toEqual([]);
  });

  it('the scanner itself finds a forbidden import', () => {
    expect(importsOf("import { Hono } from 'hono';\nconst x = await import('kysely');\nexport * from 'pg';")).toEqual([
      'hono',
      'kysely',
      'pg',
    ]);
  });
});
