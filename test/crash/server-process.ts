import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root, the working directory of every child process the crash tests start. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Listens on the port for a moment: true when it is free on 127.0.0.1. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 below Linux's ephemeral range (32768+): the server keeps it across restarts, and no
 * outgoing connection takes it as its local port while the server is down.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const LISTENING = /läuft auf http:\/\/localhost:\d+/;
const OUTPUT_LIMIT = 200;

/**
 * The real server (`server/main.ts`) as a child process of its own: `kill()` is a SIGKILL of that process,
 * not of a wrapper, so nothing of it runs on — no shutdown hook, no flush, no finished transaction.
 */
export class ServerProcess {
  /** How many times the server came up (listening). */
  lives = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly output: string[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** Starts the server and resolves once it listens; rejects with its output when it exits or hangs first. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.child !== undefined) throw new Error('server already running');
    this.output.length = 0;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const remember = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') this.output.push(line);
      this.output.splice(0, Math.max(0, this.output.length - OUTPUT_LIMIT));
    };
    child.stderr?.on('data', remember);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => fail(new Error(`server did not listen within ${timeoutMs} ms`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        remember(chunk);
        seen += chunk.toString('utf8');
        if (LISTENING.test(seen)) {
          cleanup();
          resolve();
        }
      };
      const onExit = (code: number | null, signal: string | null) =>
        fail(new Error(`server exited before listening (code ${code}, signal ${signal})`));
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.stdout?.on('data', remember);
      };
      const fail = (error: Error) => {
        cleanup();
        reject(new Error(`${error.message}\n${this.log()}`));
      };
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
    });
    this.lives += 1;
  }

  /** SIGKILL, then waits until the process is gone (its port is free again). */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.exited;
  }

  /** The last lines the current (or last) server process wrote, stdout and stderr, for failure messages. */
  log(): string {
    return this.output.join('\n');
  }
}

/** True when the request certainly never reached a server (nothing listened); false when its outcome is unknown. */
export function connectionRefused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED';
}
