import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { builtinConnectors, connectorCatalog } from '../../connectors/index.ts';
import { exportBpmn } from '../../engine/bpmn/bpmn-export.ts';
import { importBpmn } from '../../engine/bpmn/bpmn-import.ts';
import { definitionSchema } from '../../engine/definition/definition.schema.ts';
import { validateDefinition } from '../../engine/definition/validate.ts';
import { ConfigError, parseConfig } from '../config.ts';
import { seedDemo } from '../demo/seed.ts';
import { main as serve } from '../main.ts';
import { createServices, type Services } from '../services.ts';
import { ROLES, type Role } from '../store/identity-store.kysely.ts';

/** A failure the CLI reports with exit code 1 (the command ran but did not succeed). */
class CliFailure extends Error {}

type Io = { out(text: string): void; err(text: string): void; env: Record<string, string | undefined> };

async function withServices<T>(io: Io, fn: (s: Services) => Promise<T>): Promise<T> {
  const services = await createServices(
    { ...parseConfig(io.env), logLevel: 'silent' },
    { connectors: builtinConnectors },
  );
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

async function readDefinitionFile(file: string): Promise<{ definition: unknown; warnings: string[] }> {
  const text = await readFile(file, 'utf8');
  if (/\.bpmn$|\.xml$/i.test(file)) {
    const result = await importBpmn(text, { knownConnectors: builtinConnectors.map((c) => c.id) });
    const warnings = result.warnings.map((w) => `${w.elementId ?? ''} ${w.message}`.trim());
    if (!result.ok)
      throw new CliFailure(result.errors.map((e) => `Fehler: ${e.elementId ?? ''} ${e.message}`.trim()).join('\n'));
    return { definition: result.definition, warnings };
  }
  try {
    return { definition: JSON.parse(text), warnings: [] };
  } catch {
    throw new CliFailure(`${file}: kein gültiges JSON`);
  }
}

/** Builds the command tree; `run` parses argv and resolves with the exit code (0 ok, 1 failed, 2 usage). */
export function buildCli(io: Io): Command {
  const program = new Command('verfahren')
    .description('Verfahrenswerk: Server, Datenbank und Verfahren von der Kommandozeile')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('serve')
    .description('Server starten (wie npm start)')
    .action(async () => serve(io.env));

  program
    .command('migrate')
    .description('Datenbankschema auf den neuesten Stand bringen')
    .action(async () => withServices(io, async () => io.out('Datenbank ist aktuell.\n')));

  program
    .command('seed')
    .description('Beispieldaten einspielen (nur in eine leere Datenbank)')
    .requiredOption('--demo', 'Demo-Mandant mit Beispielverfahren und Benutzern')
    .action(async () =>
      withServices(io, async (s) => {
        const seeded = await seedDemo(s, s.config.demoPassword);
        io.out(seeded ? 'Demo-Daten eingespielt.\n' : 'Datenbank ist nicht leer; nichts geändert.\n');
      }),
    );

  program
    .command('validate <file>')
    .description('Verfahrensdefinition (JSON oder BPMN) prüfen')
    .action(async (file: string) => {
      const { definition, warnings } = await readDefinitionFile(file);
      for (const w of warnings) io.out(`Warnung: ${w}\n`);
      const problems = validateDefinition(definition, { connectors: connectorCatalog(builtinConnectors) });
      for (const p of problems) io.out(`${p.path}: ${p.message}\n`);
      if (problems.length) throw new CliFailure(`${problems.length} Problem(e) gefunden`);
      io.out('Keine Probleme gefunden.\n');
    });

  program
    .command('import <file>')
    .description('Verfahren aus JSON oder BPMN als Entwurf importieren')
    .option('--tenant <id>', 'Mandant', 'demo')
    .option('--publish', 'gleich veröffentlichen')
    .action(async (file: string, opts: { tenant: string; publish?: boolean }) => {
      const { definition, warnings } = await readDefinitionFile(file);
      for (const w of warnings) io.out(`Warnung: ${w}\n`);
      const parsed = definitionSchema.safeParse(definition);
      if (!parsed.success)
        throw new CliFailure(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
      await withServices(io, async (s) => {
        if (!(await s.identity.tenant(opts.tenant))) throw new CliFailure(`Mandant „${opts.tenant}“ gibt es nicht`);
        await s.procedures.saveDraft(opts.tenant, parsed.data, s.clock.now());
        io.out(`Entwurf „${parsed.data.key}“ gespeichert.\n`);
        if (opts.publish) {
          const problems = validateDefinition(parsed.data, {
            groups: await s.identity.groupNames(opts.tenant),
            connectors: connectorCatalog(builtinConnectors),
          });
          if (problems.length) throw new CliFailure(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
          const published = await s.procedures.publish(opts.tenant, parsed.data.key, 'cli', s.ids.id(), s.clock.now());
          io.out(`Veröffentlicht als Version ${published?.version}.\n`);
        }
      });
    });

  program
    .command('export <key>')
    .description('Verfahren als JSON oder BPMN ausgeben')
    .option('--tenant <id>', 'Mandant', 'demo')
    .option('--format <format>', 'json oder bpmn', 'json')
    .action(async (key: string, opts: { tenant: string; format: string }) => {
      if (opts.format !== 'json' && opts.format !== 'bpmn')
        throw new CommanderError(2, 'usage', '--format: json oder bpmn');
      await withServices(io, async (s) => {
        const definition =
          (await s.procedures.draft(opts.tenant, key)) ?? (await s.procedures.version(opts.tenant, key))?.definition;
        if (!definition) throw new CliFailure(`Verfahren „${key}“ gibt es nicht`);
        io.out(opts.format === 'bpmn' ? await exportBpmn(definition) : `${JSON.stringify(definition, null, 2)}\n`);
      });
    });

  program
    .command('user')
    .description('Benutzer verwalten')
    .command('add <username>')
    .description('Benutzer anlegen')
    .requiredOption('--password <password>', 'Passwort (mindestens 8 Zeichen)')
    .requiredOption('--roles <roles>', `Rollen, kommagetrennt (${ROLES.join(', ')})`)
    .option('--groups <groups>', 'Gruppen, kommagetrennt', '')
    .option('--tenant <id>', 'Mandant', 'demo')
    .action(async (username: string, opts: { password: string; roles: string; groups: string; tenant: string }) => {
      const roles = opts.roles.split(',').map((r) => r.trim());
      const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (unknown.length) throw new CommanderError(2, 'usage', `Unbekannte Rolle(n): ${unknown.join(', ')}`);
      if (opts.password.length < 8) throw new CommanderError(2, 'usage', 'Passwort: mindestens 8 Zeichen');
      await withServices(io, async (s) => {
        await s.identity.ensureTenant(opts.tenant, opts.tenant, 'NW', s.clock.now());
        const created = await s.identity.createUser({
          tenantId: opts.tenant,
          username,
          password: opts.password,
          roles: roles as Role[],
          groups: opts.groups
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean),
          now: s.clock.now(),
        });
        if ('error' in created) throw new CliFailure(`Benutzer „${username}“ gibt es schon`);
        io.out(`Benutzer „${username}“ angelegt.\n`);
      });
    });

  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    await buildCli(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      if (error.code === 'usage') io.err(`${error.message}\n`);
      return 2;
    }
    if (error instanceof CliFailure) {
      io.err(`${error.message}\n`);
      return 1;
    }
    if (error instanceof ConfigError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    io.err(`Fehler: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
  }).then((code) => {
    if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
  });
}
