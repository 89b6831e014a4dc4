import { loadConfig } from '../../config.js';
import { createLogger } from '../../log.js';
import { serveUntilStopped } from '../../server.js';
import type { CliIo } from '../output.js';

/**
 * `gatehouse serve`: returns only when the process is stopped (the server exits it). The server
 * writes its own JSON log lines to stdout, as `npm start` does.
 */
export async function serve(_args: unknown, io: CliIo): Promise<undefined> {
  const config = loadConfig(io.env);
  await serveUntilStopped(config, createLogger(config.logLevel));
  return undefined;
}
