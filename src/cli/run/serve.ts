import { loadConfig } from '../../config.js';
import { serveUntilStopped } from '../../server.js';
import { type CliIo, printLine } from '../output.js';

/** `gatehouse serve`: returns only when the process is stopped (the server exits it). */
export async function serve(_args: unknown, io: CliIo): Promise<undefined> {
  await serveUntilStopped(loadConfig(io.env), (line) => printLine(io, line));
  return undefined;
}
