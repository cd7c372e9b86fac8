import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DefinitionInput } from '../../engine/definition/definition.schema.ts';
import { type Call, httpClient } from '../support/http.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LISTENING = /läuft auf http:\/\/localhost:(\d+)/;
export const PASSWORD = 'scale-test-2026';

/** One `server/main.ts` process of a test, on 127.0.0.1 and a port of its choosing. */
export type ServerUnderTest = {
  url: string;
  call: Call;
  pid: number;
  /** Everything it wrote (stdout and stderr), the last 200,000 characters. */
  output(): string;
  /** SIGSTOP: the process stands still, its leases run on. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGTERM (graceful), SIGKILL when it is not gone after 10 s. */
  stop(): Promise<void>;
};

/** Starts the real server as its own process; resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<ServerUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'verfahren-scale-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      DEMO_PASSWORD: PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not listen within 90 s:\n${output}`)), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${output}`));
    });
    child.stdout?.on('data', () => {
      const found = LISTENING.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        done(found);
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    call: httpClient(url),
    pid: child.pid ?? 0,
    output: () => output,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Error lines a server logged (pino level 50 and above), for a test's final check. */
export function serverErrors(servers: ServerUnderTest[]): string[] {
  return servers.flatMap((s) => s.output().split('\n')).filter((line) => /"level":(50|60)\b/.test(line));
}

export async function login(call: Call, username: string, password = PASSWORD): Promise<string> {
  const res = await call('POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** Creates caseworkers of the demo tenant (as `admin`) in the given groups. */
export async function createCaseworkers(call: Call, usernames: string[], groups: string[]): Promise<void> {
  const admin = await login(call, 'admin');
  for (const username of usernames) {
    const res = await call('POST', '/api/admin/users', {
      token: admin,
      body: { username, password: PASSWORD, roles: ['caseworker'], groups },
    });
    if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Saves and publishes a procedure through the API as the demo process owner. */
export async function publish(call: Call, definition: DefinitionInput): Promise<void> {
  const owner = await login(call, 'prozess');
  const saved = await call('POST', '/api/procedures', { token: owner, body: definition });
  if (saved.status !== 200) throw new Error(`draft ${definition.key}: ${saved.status} ${JSON.stringify(saved.body)}`);
  const published = await call('POST', `/api/procedures/${definition.key}/publish`, { token: owner });
  if (published.status !== 200) {
    throw new Error(`publish ${definition.key}: ${published.status} ${JSON.stringify(published.body)}`);
  }
}

/** A small procedure with one form field `n`, starting at `initial`; the rest as given. */
export function probeDefinition(key: string, states: DefinitionInput['states'], initial: string): DefinitionInput {
  return {
    schemaVersion: 1,
    key,
    title: `Skalierungstest ${key}`,
    caseNumberPrefix: 'SKT',
    form: { type: 'object', properties: { n: { type: 'integer', minimum: 0 } }, required: ['n'] },
    initial,
    states,
  };
}
