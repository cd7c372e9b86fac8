import { z } from 'zod';
import { type ConnectorDefinition, ConnectorError, defineConnector } from '../engine/connectors/connector.ts';
import type { ConnectorHost } from '../engine/runtime/job-runner.ts';
import type { JobRow } from '../engine/runtime/ports.ts';

const noConfig = z.object({});

/**
 * The outside systems of workload W1, answering at once in process: payment, document, postbox. They are part of
 * the benchmark workload (the engine's own cost is measured, not a network's), and they honour the idempotency key.
 */
export const w1Connectors: ConnectorDefinition<Record<string, never>>[] = [
  defineConnector({
    id: 'bench-payment@1',
    title: 'Zahlung (Benchmark, sofort bezahlt)',
    config: noConfig,
    operations: {
      collect: {
        title: 'Gebühr einziehen',
        input: z.object({ amountCents: z.number().int().positive(), reference: z.string() }),
        output: z.object({ paymentId: z.string(), status: z.literal('paid') }),
        retry: 'safe',
        run: async (_input, ctx) => ({ paymentId: `pay-${ctx.idempotencyKey}`, status: 'paid' as const }),
      },
    },
  }),
  defineConnector({
    id: 'bench-document@1',
    title: 'Urkunde (Benchmark, sofort erstellt)',
    config: noConfig,
    operations: {
      issue: {
        title: 'Urkunde erstellen',
        input: z.object({ caseNumber: z.string(), familyName: z.string() }),
        output: z.object({ documentId: z.string() }),
        retry: 'safe',
        run: async (input) => ({ documentId: `doc-${input.caseNumber}` }),
      },
    },
  }),
  defineConnector({
    id: 'bench-postbox@1',
    title: 'Postfach (Benchmark, sofort zugestellt)',
    config: noConfig,
    operations: {
      deliver: {
        title: 'Zustellen',
        input: z.object({ recipient: z.string(), subject: z.string() }),
        output: z.object({ messageId: z.string() }),
        retry: 'safe',
        run: async (_input, ctx) => ({ messageId: `msg-${ctx.idempotencyKey}` }),
      },
    },
  }),
];

/**
 * Runs the W1 connectors without a database (the `memory` variant has none): parses input and output with the
 * operation's schemas as the server's connector host does, without tenant configuration.
 */
export class InProcessConnectorHost implements ConnectorHost {
  private readonly byId = new Map(w1Connectors.map((c) => [c.id, c]));

  describe(connector: string, operation: string) {
    const op = this.byId.get(connector)?.operations[operation];
    return op ? { retry: op.retry, timeoutMs: op.timeoutMs ?? 30_000 } : undefined;
  }

  async invoke(job: JobRow, signal: AbortSignal): Promise<unknown> {
    const op = this.byId.get(job.connector)?.operations[job.operation];
    if (!op) throw new ConnectorError('unknown_connector', `${job.connector}/${job.operation} fehlt`, false);
    const output = await op.run(op.input.parse(job.input), {
      signal,
      attempt: job.attempts,
      idempotencyKey: job.idempotencyKey,
      tenantId: job.tenantId,
      caseId: job.caseId,
      config: {},
      secret: () => undefined,
      fetch,
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    return op.output.parse(output);
  }
}
