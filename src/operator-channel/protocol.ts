import type { Socket } from 'node:net';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Ending } from '../domain/session-ending.js';

/**
 * The operator channel: how the CLI works on the embedded store while the
 * server holds it. PGlite is one process, so the CLI cannot open the data
 * directory beside the server; instead the server listens on a Unix socket
 * in DATA_DIR, readable and writable by its own user only (0600), and runs
 * the CLI's statements on its own store. Whoever can use the socket can
 * already read and write DATA_DIR itself; there is no TCP port.
 */
export const SOCKET_FILE = 'gatehouse.sock';

export const socketPath = (dataDir: string): string => join(dataDir, SOCKET_FILE);

export type ChannelRequest =
  | { op: 'query'; text: string; params?: readonly unknown[] }
  | { op: 'exec'; script: string }
  | { op: 'begin' }
  | { op: 'commit' }
  | { op: 'rollback' }
  /** Ends sessions through the server's own path, so that its revocation list has them before the answer. */
  | { op: 'end'; ending: Ending }
  /** The CLI changed the stored session policy: the server applies it before answering. */
  | { op: 'policy-changed' };

export type ChannelReply = { ok: true; value: unknown } | { ok: false; error: ChannelError };

/** What crosses the socket of an error: enough for the CLI to report it as it would locally. */
export interface ChannelError {
  name: string;
  message: string;
  code?: string;
}

/**
 * Frames: a 4-byte length, then the message in V8's serialisation format,
 * which keeps what JSON would lose from rows and parameters (Date, Buffer).
 */
export function writeFrame(socket: Socket, message: unknown): void {
  const body = serialize(message);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  socket.write(Buffer.concat([head, body]));
}

/** Larger than any statement or result the CLI exchanges; a bigger frame is not read. */
const MAX_FRAME = 64 * 1024 * 1024;

/**
 * Calls `onMessage` for each whole frame that arrives on the socket. A frame
 * that is too large or cannot be decoded closes the connection.
 */
export function readFrames(socket: Socket, onMessage: (message: unknown) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (length > MAX_FRAME) return void socket.destroy();
      if (pending.length < 4 + length) break;
      const body = pending.subarray(4, 4 + length);
      pending = pending.subarray(4 + length);
      let message: unknown;
      try {
        message = deserialize(body);
      } catch {
        return void socket.destroy();
      }
      onMessage(message);
    }
  });
}

export function toChannelError(err: unknown): ChannelError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
}
