import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A benchmark process: a fresh Node with tsx, talking to the parent over IPC (stdout stays free for --json). */
export class BenchChild<Message extends { type: string }> {
  private readonly inbox: Message[] = [];
  private readonly waiters: { type: string; resolve(m: Message): void; reject(e: Error): void }[] = [];
  private readonly handlers = new Map<string, (message: Message) => void>();
  private output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(script: string, arg: unknown, env: Record<string, string> = {}) {
    this.child = fork(fileURLToPath(new URL(script, import.meta.url)), [JSON.stringify(arg)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-10_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('message', (message: Message) => this.deliver(message));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        for (const waiter of this.waiters.splice(0)) {
          waiter.reject(new Error(`${script} exited (${code}) before "${waiter.type}":\n${this.output}`));
        }
        resolve(code);
      });
    });
  }

  private deliver(message: Message) {
    if (message.type === 'failed') {
      const text = (message as { message?: string }).message ?? '';
      for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`${text}\n${this.output}`));
      return;
    }
    const handler = this.handlers.get(message.type);
    if (handler) return handler(message);
    const index = this.waiters.findIndex((w) => w.type === message.type);
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
    else this.inbox.push(message);
  }

  /** Handles every message of one type as it arrives (e.g. relays). */
  on(type: string, handler: (message: Message) => void): void {
    this.handlers.set(type, handler);
  }

  /** The next message of this type. */
  next<T extends Message['type']>(type: T): Promise<Extract<Message, { type: T }>> {
    const index = this.inbox.findIndex((m) => m.type === type);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as Extract<Message, { type: T }>);
    return new Promise((resolve, reject) =>
      this.waiters.push({ type, resolve: resolve as (m: Message) => void, reject }),
    );
  }

  send(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Runs a one-shot benchmark script and resolves with its `result` message. */
export async function runOnce<R>(script: string, arg: unknown, env: Record<string, string> = {}): Promise<R> {
  const child = new BenchChild<{ type: string }>(script, arg, env);
  try {
    const result = (await child.next('result')) as unknown as R;
    await child.exited;
    return result;
  } finally {
    child.kill();
  }
}
