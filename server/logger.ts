import { pino } from 'pino';

/** Structured log lines: an event name plus fields (ids, codes, durations), never personal data. */
export type Logger = {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
};

/**
 * JSON lines on stderr through pino. Fields that could carry personal data are redacted as a second line of
 * defence; callers log ids and codes only.
 */
export function createLogger(level: 'debug' | 'info' | 'warn' | 'error' | 'silent', destination = 2): Logger {
  const log = pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['data', 'variables', 'input', 'password', 'secret', 'token', '*.data', '*.password'],
        censor: '[entfernt]',
      },
    },
    pino.destination({ fd: destination, sync: false }),
  );
  return {
    debug: (event, fields = {}) => log.debug({ event, ...fields }),
    info: (event, fields = {}) => log.info({ event, ...fields }),
    warn: (event, fields = {}) => log.warn({ event, ...fields }),
    error: (event, fields = {}) => log.error({ event, ...fields }),
  };
}
