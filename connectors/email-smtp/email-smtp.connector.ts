import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { ConnectorError, defineConnector, type OperationDefinition } from '../../engine/connectors/connector.ts';
import { requireSecret } from '../shared/secret.ts';

const configSchema = z.object({
  host: z.string().min(1),
  port: z.int().min(1).max(65535),
  /** `true` for implicit TLS (port 465); `false` uses STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  /** SMTP user; its password is the secret `password`. Without a user the server must accept mail unauthenticated. */
  user: z.string().min(1).optional(),
  from: z.email(),
  /** Display name of the sender, e.g. "Stadt Musterstadt". */
  fromName: z.string().min(1).max(100).optional(),
});

/** Parsed configuration of `email-smtp@1`. */
export type EmailConfig = z.output<typeof configSchema>;

const sendInput = z.object({
  to: z.email(),
  subject: z.string().min(1).max(255),
  text: z.string(),
});
const sendOutput = z.object({ messageId: z.string().min(1) });

/** The Message-ID for an idempotency key: a retried send carries the same one, so mail systems see one message. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex')}@verfahren.local>`;
}

const smtpFailure = z.object({ code: z.string().optional(), responseCode: z.number().optional() });

function toConnectorError(error: unknown): ConnectorError {
  const parsed = smtpFailure.safeParse(error);
  const { code, responseCode } = parsed.success ? parsed.data : {};
  if (code === 'EAUTH') {
    return new ConnectorError('unauthorized', 'Der Mailserver hat die Anmeldung abgelehnt.', false);
  }
  if (responseCode !== undefined && responseCode >= 500) {
    return new ConnectorError('rejected', `Der Mailserver hat die Nachricht abgelehnt (SMTP ${responseCode}).`, false);
  }
  if (responseCode !== undefined && responseCode >= 400) {
    return new ConnectorError(
      'deferred',
      `Der Mailserver hat die Nachricht vorübergehend abgelehnt (SMTP ${responseCode}).`,
      true,
    );
  }
  if (code === 'ETLS') {
    return new ConnectorError('tls_failed', 'Die verschlüsselte Verbindung zum Mailserver ist gescheitert.', false);
  }
  if (code === 'EENVELOPE' || code === 'EMESSAGE') {
    return new ConnectorError('rejected', 'Die Nachricht konnte nicht zusammengestellt werden.', false);
  }
  return new ConnectorError('unavailable', 'Der Mailserver ist nicht erreichbar.', true);
}

const timeoutError = () =>
  new ConnectorError('timeout', 'Der Mailserver hat nicht rechtzeitig geantwortet (Zeitüberschreitung).', true);

/**
 * Settles with `work`, or rejects with a `timeout` error as soon as `signal` aborts: nodemailer takes no signal,
 * so the connection is left to its own socket timeout.
 */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw timeoutError();
  // A late failure of the abandoned work must not surface as an unhandled rejection.
  work.catch(() => undefined);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(timeoutError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function createTransport(config: EmailConfig, ctx: { secret(name: string): string | undefined }) {
  return nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.user === undefined ? undefined : { user: config.user, pass: requireSecret(ctx, 'password') },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

const send: OperationDefinition<typeof sendInput, typeof sendOutput, EmailConfig> = {
  title: 'E-Mail senden',
  input: sendInput,
  output: sendOutput,
  retry: 'safe',
  async run(input, ctx) {
    const transport = createTransport(ctx.config, ctx);
    const messageId = messageIdFor(ctx.idempotencyKey);
    const from =
      ctx.config.fromName === undefined ? ctx.config.from : { name: ctx.config.fromName, address: ctx.config.from };
    try {
      await untilAborted(
        transport.sendMail({ from, to: input.to, subject: input.subject, text: input.text, messageId }),
        ctx.signal,
      );
    } catch (error) {
      throw error instanceof ConnectorError ? error : toConnectorError(error);
    } finally {
      transport.close();
    }
    return { messageId };
  },
};

/** Sends plain-text e-mail over SMTP (nodemailer), with a Message-ID derived from the idempotency key. */
export const emailConnector = defineConnector<EmailConfig>({
  id: 'email-smtp@1',
  title: 'E-Mail (SMTP)',
  description: 'Versendet Benachrichtigungen als E-Mail über einen SMTP-Server.',
  config: configSchema,
  secrets: ['password'],
  operations: { send },
  async health(ctx) {
    let transport: ReturnType<typeof createTransport> | undefined;
    try {
      transport = createTransport(ctx.config, ctx);
      await untilAborted(transport.verify(), ctx.signal);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: (error instanceof ConnectorError ? error : toConnectorError(error)).message };
    } finally {
      transport?.close();
    }
  },
});
