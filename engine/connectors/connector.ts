import type { z } from 'zod';

/** Logger handed to connectors: event name plus fields, never personal data. */
export type ConnectorLogger = {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
};

/** What a connector operation gets besides its input. */
export type ConnectorContext<Config = Record<string, unknown>> = {
  /** Aborted when the engine's timeout for the operation runs out. */
  signal: AbortSignal;
  /** 1 for the first call, counting retries and restarts. */
  attempt: number;
  /** Same on every retry and after a restart (case id + step); send it to the outside system. */
  idempotencyKey: string;
  tenantId: string;
  caseId: string;
  config: Config;
  secret(name: string): string | undefined;
  fetch: typeof fetch;
  log: ConnectorLogger;
};

/** A connector failure; `retryable` tells the engine whether another attempt may help. */
export class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** Default time an operation may take before the engine aborts it (30 s). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Longest timeout an operation may declare (10 min): a job's lease must outlast its call. */
export const MAX_TIMEOUT_MS = 600_000;

export type OperationDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, Config = never> = {
  title: string;
  input: I;
  output: O;
  /** `safe`: the outside system deduplicates by idempotency key, so the engine may retry. */
  retry: 'safe' | 'never';
  /** Milliseconds before the engine aborts the call (via `signal`); default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  run(input: z.output<I>, ctx: ConnectorContext<Config>): Promise<z.input<O>>;
};

/**
 * A message an outside system pushes to the engine (a payment notification). `id` names the fact it reports
 * (e.g. `pay-1:paid`), so a repeated delivery of a message the case already took is answered as a duplicate.
 */
export type InboundMessage = { caseId: string; message: string; data?: Record<string, unknown>; id?: string };

export type WebhookContext<Config> = {
  tenantId: string;
  config: Config;
  secret(name: string): string | undefined;
  fetch: typeof fetch;
  log: ConnectorLogger;
};

/** What a health check gets: no case, no attempt; `signal` ends it after a few seconds. */
export type HealthContext<Config> = Omit<ConnectorContext<Config>, 'idempotencyKey' | 'caseId' | 'attempt'>;

export type ConnectorDefinition<Config = Record<string, unknown>> = {
  /** Versioned id: `payment@1`. */
  id: string;
  title: string;
  description?: string;
  config: z.ZodType<Config>;
  secrets?: string[];
  // biome-ignore lint/suspicious/noExplicitAny: operations differ in their input and output types
  operations: Record<string, OperationDefinition<any, any, Config>>;
  health?(ctx: HealthContext<Config>): Promise<{ ok: boolean; message?: string }>;
  /**
   * Inbound webhook: authenticates and parses a request from the outside system. Returns the message for
   * a case, or throws a ConnectorError (code `unauthorized` or `bad_request`; retryable when the outside system
   * could not be asked, so it delivers again later).
   */
  webhook?(
    request: { headers: Record<string, string>; body: string },
    ctx: WebhookContext<Config>,
  ): Promise<InboundMessage>;
};

/** A connector manifest that cannot be installed; `problems` names every fault in German. */
export class ConnectorManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ungültige Anbindung:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConnectorManifestError';
  }
}

/** Versioned connector id: lower-case name, `@`, major version (`payment@1`, `webhook-notify@2`). */
export const CONNECTOR_ID = /^[a-z][a-z0-9-]{0,62}@[1-9]\d{0,3}$/;
const OPERATION_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** A zod schema, also one built by another copy of zod (an external package): it parses. */
const isSchema = (value: unknown) => isRecord(value) && typeof value.safeParse === 'function';
const isText = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/**
 * Checks a connector manifest as loaded from a module (shape only; nothing is called) and returns every problem,
 * empty when it can be installed. External connectors are plain objects, so nothing here trusts the types.
 */
export function connectorProblems(candidate: unknown): string[] {
  if (!isRecord(candidate)) return ['ist kein Objekt'];
  const id = typeof candidate.id === 'string' ? candidate.id : undefined;
  const problems: string[] = [];
  const at = (field: string) => `${id ?? '(ohne id)'}: ${field}`;
  if (id === undefined || !CONNECTOR_ID.test(id)) {
    problems.push(`${at('id')} muss wie „name@1“ aussehen (Kleinbuchstaben, Ziffern, -, dann @Version)`);
  }
  if (!isText(candidate.title)) problems.push(`${at('title')} fehlt`);
  if (candidate.description !== undefined && typeof candidate.description !== 'string') {
    problems.push(`${at('description')} muss Text sein`);
  }
  if (!isSchema(candidate.config)) problems.push(`${at('config')} muss ein zod-Schema sein`);
  if (
    candidate.secrets !== undefined &&
    !(Array.isArray(candidate.secrets) && candidate.secrets.every((s) => typeof s === 'string' && s !== ''))
  ) {
    problems.push(`${at('secrets')} muss eine Liste von Namen sein`);
  }
  for (const hook of ['health', 'webhook'] as const) {
    if (candidate[hook] !== undefined && typeof candidate[hook] !== 'function') {
      problems.push(`${at(hook)} muss eine Funktion sein`);
    }
  }
  if (!isRecord(candidate.operations) || Object.keys(candidate.operations).length === 0) {
    problems.push(`${at('operations')} muss mindestens eine Operation enthalten`);
    return problems;
  }
  for (const [name, operation] of Object.entries(candidate.operations)) {
    const op = (field: string) => at(`operations.${name}${field}`);
    if (!OPERATION_NAME.test(name)) problems.push(`${op('')}: ungültiger Operationsname`);
    if (!isRecord(operation)) {
      problems.push(`${op('')} ist kein Objekt`);
      continue;
    }
    if (!isText(operation.title)) problems.push(`${op('.title')} fehlt`);
    if (!isSchema(operation.input)) problems.push(`${op('.input')} muss ein zod-Schema sein`);
    if (!isSchema(operation.output)) problems.push(`${op('.output')} muss ein zod-Schema sein`);
    if (operation.retry !== 'safe' && operation.retry !== 'never') {
      problems.push(`${op('.retry')} muss „safe“ oder „never“ sein`);
    }
    const timeout = operation.timeoutMs;
    if (
      timeout !== undefined &&
      !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0 && timeout <= MAX_TIMEOUT_MS)
    ) {
      problems.push(`${op('.timeoutMs')} muss eine ganze Zahl zwischen 1 und ${MAX_TIMEOUT_MS} sein`);
    }
    if (typeof operation.run !== 'function') problems.push(`${op('.run')} muss eine Funktion sein`);
  }
  return problems;
}

/** Identity helper so TypeScript infers a connector's config and operation types; throws on a bad manifest. */
export function defineConnector<Config>(definition: ConnectorDefinition<Config>): ConnectorDefinition<Config> {
  const problems = connectorProblems(definition);
  if (problems.length > 0) throw new ConnectorManifestError(problems);
  return definition;
}

/** What the validator and the designer need to know about installed connectors. */
export type ConnectorCatalog = Record<string, { operations: Record<string, { inputFields: string[] }> }>;
