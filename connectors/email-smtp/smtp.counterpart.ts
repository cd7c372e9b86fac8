import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Options of the SMTP counterpart; without any it takes every message unauthenticated. */
export type SmtpCounterpartOptions = {
  /** Accepted logins, user → password; when given, a client must sign in with one of them. */
  users?: Record<string, string>;
  /** Recipients in these domains are refused for good (SMTP 550, mailbox unknown). */
  unknownDomains?: string[];
  /** Recipients in these domains are refused for now (SMTP 452, mailbox full). */
  fullDomains?: string[];
};

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts, parsed by mailparser. */
export type SmtpCounterpart = { host: string; port: number; messages: ParsedMail[]; close(): Promise<void> };

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

const inDomain = (address: string, domains: string[] | undefined) =>
  domains?.some((domain) => address.toLowerCase().endsWith(`@${domain}`)) ?? false;

/** Starts the mail server the e-mail connector talks to in tests and the demo (no TLS, plain login allowed). */
export async function startSmtpCounterpart(options: SmtpCounterpartOptions = {}): Promise<SmtpCounterpart> {
  const messages: ParsedMail[] = [];
  const { users } = options;
  const server = new SMTPServer({
    logger: false,
    authOptional: users === undefined,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (users !== undefined && auth.password !== undefined && users[auth.username ?? ''] === auth.password) {
        callback(null, { user: auth.username });
      } else callback(new Error('Anmeldung fehlgeschlagen'));
    },
    onRcptTo(address, _session, callback) {
      if (inDomain(address.address, options.unknownDomains)) callback(smtpError('Postfach unbekannt', 550));
      else if (inDomain(address.address, options.fullDomains)) callback(smtpError('Postfach voll, später erneut', 452));
      else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          messages.push(parsed);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
