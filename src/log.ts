import { type Logger, pino } from 'pino';
import { serializeRequest } from './http/access-log.js';

/** Secrets never reach the log, whatever a future log line includes. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

/** Pino options shared by the server's logger and the tests that check what it writes. */
export function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // A logged request's URL keeps its query's names, never their values (?access_token=…).
    serializers: { req: serializeRequest },
    hooks: {
      // Fastify announces every address it listens on ("Server listening at …", one line per
      // interface); the server announces itself once, with the API document's address, instead.
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        if (typeof args[0] === 'string' && args[0].startsWith('Server listening at ')) return;
        method.apply(this, args);
      },
    },
  };
}

/**
 * The process's one logger: every line the server writes is a pino JSON line, start-up
 * progress included.
 */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}

/**
 * Start-up milestones (opening the store, migrations, "listening on …") are written at info
 * even when LOG_LEVEL is warn or error, so an operator always sees where a start got to and
 * which address it took; LOG_LEVEL=silent silences them too.
 */
export function progressLogger(logger: Logger): (message: string) => void {
  const progress = logger.level === 'silent' ? logger : logger.child({}, { level: 'info' });
  return (message) => progress.info(message);
}
