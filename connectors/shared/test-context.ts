import type { ConnectorContext, ConnectorDefinition, ConnectorLogger } from '../../engine/connectors/connector.ts';

/** A log line a connector wrote during a test. */
export type LoggedEvent = { level: 'info' | 'warn' | 'error'; event: string; fields?: Record<string, unknown> };

/** What a test may set; everything else gets a plain default (attempt 1, real fetch, a fresh signal). */
export type TestContextOptions = {
  config: unknown;
  secrets?: Record<string, string>;
  idempotencyKey?: string;
  signal?: AbortSignal;
};

/**
 * Builds the context the engine would hand a connector, with the config parsed by the connector's own schema, so
 * connector tests run the real code path without the engine.
 */
export function testContext<Config>(
  connector: ConnectorDefinition<Config>,
  options: TestContextOptions,
): ConnectorContext<Config> & { logged: LoggedEvent[] } {
  const logged: LoggedEvent[] = [];
  const log: ConnectorLogger = {
    info: (event, fields) => logged.push({ level: 'info', event, fields }),
    warn: (event, fields) => logged.push({ level: 'warn', event, fields }),
    error: (event, fields) => logged.push({ level: 'error', event, fields }),
  };
  const idempotencyKey = options.idempotencyKey ?? 'case-1:payment:1';
  return {
    signal: options.signal ?? new AbortController().signal,
    attempt: 1,
    idempotencyKey,
    tenantId: 'tenant-1',
    caseId: idempotencyKey.split(':')[0] ?? '',
    config: connector.config.parse(options.config),
    secret: (name) => options.secrets?.[name],
    fetch: globalThis.fetch,
    log,
    logged,
  };
}

/** Runs one operation the way the engine does: input parsed first, output parsed after. */
export async function runOperation<Config>(
  connector: ConnectorDefinition<Config>,
  name: string,
  input: unknown,
  ctx: ConnectorContext<Config>,
): Promise<unknown> {
  const operation = connector.operations[name];
  if (operation === undefined) throw new Error(`${connector.id} has no operation ${name}`);
  return operation.output.parse(await operation.run(operation.input.parse(input), ctx));
}
