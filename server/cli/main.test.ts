import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './main.ts';

const root = join(import.meta.dirname, '../..');
let dir: string;
let env: Record<string, string>;

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
  env = { DATA_DIR: dir, DEMO_PASSWORD: 'demo', SECRETS_KEY: Buffer.alloc(32, 3).toString('base64') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verfahren CLI', () => {
  it('prints help with exit code 0 and rejects unknown commands with 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/validate <file>/);
    expect((await cli('fliegen')).code).toBe(2);
    expect((await cli('validate')).code).toBe(2);
  });

  it('migrates and seeds the demo only into an empty database', async () => {
    expect(await cli('migrate')).toMatchObject({ code: 0, out: expect.stringMatching(/aktuell/) });
    expect(await cli('seed', '--demo')).toMatchObject({ code: 0, out: expect.stringMatching(/eingespielt/) });
    expect(await cli('seed', '--demo')).toMatchObject({ code: 0, out: expect.stringMatching(/nicht leer/) });
  });

  it('validates JSON and BPMN files: 0 when sound, 1 with every problem listed', async () => {
    expect((await cli('validate', join(root, 'workflows/geburtsurkunde/definition.json'))).code).toBe(0);
    const broken = JSON.parse(readFileSync(join(root, 'workflows/maengelmelder/definition.json'), 'utf8'));
    broken.initial = 'nirgendwo';
    broken.states.verwaist = { kind: 'final', outcome: 'x', status: 'X' };
    const file = join(dir, 'kaputt.json');
    writeFileSync(file, JSON.stringify(broken));
    const result = await cli('validate', file);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/initial: Startzustand „nirgendwo“/);
    expect(result.out).toMatch(/states\.verwaist: Zustand ist vom Start aus nicht erreichbar/);
    expect((await cli('validate', join(root, 'engine/bpmn/fixtures/doctype-billion-laughs.bpmn'))).code).toBe(1);
    expect((await cli('validate', join(dir, 'fehlt.json'))).code).toBe(1);
  });

  it('imports, publishes and exports a procedure', async () => {
    const imported = await cli('import', join(root, 'workflows/hundeanmeldung/definition.json'), '--publish');
    expect(imported).toMatchObject({ code: 0, out: expect.stringMatching(/Version 2/) });
    const exported = await cli('export', 'hundeanmeldung');
    expect(JSON.parse(exported.out).key).toBe('hundeanmeldung');
    const bpmn = await cli('export', 'hundeanmeldung', '--format', 'bpmn');
    expect(bpmn.out).toMatch(/<bpmn:definitions/);
    expect((await cli('export', 'gibt-es-nicht')).code).toBe(1);
    expect((await cli('export', 'hundeanmeldung', '--format', 'pdf')).code).toBe(2);
  });

  it('adds users; a duplicate fails with 1, a bad role is a usage error', async () => {
    expect(
      await cli('user', 'add', 'erika', '--password', 'geheim123', '--roles', 'caseworker', '--groups', 'Steueramt'),
    ).toMatchObject({ code: 0 });
    expect((await cli('user', 'add', 'erika', '--password', 'geheim123', '--roles', 'caseworker')).code).toBe(1);
    expect((await cli('user', 'add', 'max', '--password', 'geheim123', '--roles', 'chef')).code).toBe(2);
  });
});
