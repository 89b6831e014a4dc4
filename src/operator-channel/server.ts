import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Context } from '../domain/context.js';
import { endSessions } from '../domain/session-ending.js';
import type { Database, Sql } from '../storage/db.js';
import {
  type ChannelReply,
  type ChannelRequest,
  readFrames,
  socketPath,
  toChannelError,
  writeFrame,
} from './protocol.js';

/** A CLI transaction left open this long is rolled back: it holds the whole embedded store. */
const IDLE_TRANSACTION_MS = 10_000;

export interface OperatorChannel {
  close(): Promise<void>;
}

export interface ChannelHooks {
  /** The CLI changed the stored session policy (policy-settings.ts). */
  policyChanged(): Promise<void>;
}

/**
 * Serves the CLI on the embedded store (protocol.ts). Each connection's
 * requests run one after another; a transaction it opens holds the store
 * (PGlite has one connection) until it commits, rolls back, goes idle for
 * 10 s or disconnects.
 */
export async function serveOperatorChannel(
  dataDir: string,
  db: Database,
  ctx: Context,
  log: FastifyBaseLogger,
  hooks: ChannelHooks,
): Promise<OperatorChannel> {
  const path = socketPath(dataDir);
  // We hold the data directory's lock: a socket file left here is from a server that died.
  removeQuietly(path);
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, db, ctx, log, hooks);
  });
  // Created with no permissions for group and others (the umask applies at bind), then made sure of.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        (server as Server).close(() => {
          removeQuietly(path);
          resolve();
        });
      }),
  };
}

interface OpenTransaction {
  sql: Sql;
  finish(commit: boolean): Promise<void>;
}

function serveConnection(
  socket: Socket,
  db: Database,
  ctx: Context,
  log: FastifyBaseLogger,
  hooks: ChannelHooks,
): void {
  let tx: OpenTransaction | null = null;
  let idle: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();
  const rollback = async () => {
    const open = tx;
    tx = null;
    clearTimeout(idle);
    await open?.finish(false).catch(() => {});
  };
  socket.on('close', () => {
    queue = queue.then(rollback);
  });
  socket.on('error', () => socket.destroy());

  const handle = async (req: ChannelRequest): Promise<unknown> => {
    const sql: Sql = tx?.sql ?? db;
    switch (req.op) {
      case 'query':
        return sql.query(req.text, req.params);
      case 'exec':
        return sql.exec(req.script);
      case 'begin':
        if (tx) throw new Error('a transaction is already open');
        tx = await begin(db);
        return null;
      case 'commit':
      case 'rollback': {
        const open = tx;
        tx = null;
        if (!open) throw new Error('no transaction is open');
        await open.finish(req.op === 'commit');
        return null;
      }
      case 'end':
        return endSessions(ctx, req.ending.target, req.ending.reason, req.ending.audit);
      case 'policy-changed':
        return hooks.policyChanged();
      default:
        throw new Error('unknown request');
    }
  };

  readFrames(socket, (message) => {
    queue = queue.then(async () => {
      clearTimeout(idle);
      let reply: ChannelReply;
      try {
        reply = { ok: true, value: await handle(message as ChannelRequest) };
      } catch (err) {
        reply = { ok: false, error: toChannelError(err) };
      }
      if (tx)
        idle = setTimeout(() => {
          log.warn('a CLI transaction was idle for 10 s; rolled back and disconnected');
          socket.destroy();
        }, IDLE_TRANSACTION_MS);
      if (!socket.destroyed) writeFrame(socket, reply);
    });
  });
}

/** Opens a transaction and hands it back while it stays open, until `finish`. */
function begin(db: Database): Promise<OpenTransaction> {
  return new Promise((opened, failed) => {
    let end: (commit: boolean) => void = () => {};
    const done = db
      .transaction(
        (sql) =>
          new Promise<void>((commit, abort) => {
            end = (ok) => (ok ? commit() : abort(new RolledBack()));
            opened({ sql, finish });
          }),
      )
      .catch((err) => {
        if (!(err instanceof RolledBack)) throw err;
      });
    function finish(commit: boolean): Promise<void> {
      end(commit);
      return done;
    }
    done.catch(failed);
  });
}

class RolledBack extends Error {}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // not there
  }
}
