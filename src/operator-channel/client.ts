import { connect, type Socket } from 'node:net';
import type { EndingQueue } from '../domain/context.js';
import type { EndedSession } from '../domain/model.js';
import type { Database, Sql } from '../storage/db.js';
import { type ChannelReply, type ChannelRequest, readFrames, socketPath, writeFrame } from './protocol.js';

export interface OperatorChannelClient {
  /** The server's store, statement by statement. */
  db: Database;
  /** Endings run by the server, which revokes them in its own memory before answering. */
  endings: EndingQueue;
  /** Tells the server the stored session policy changed; resolves once it has applied it. */
  policyChanged(): Promise<void>;
}

/** Connects to a running server's operator channel in DATA_DIR (protocol.ts). */
export async function connectOperatorChannel(dataDir: string): Promise<OperatorChannelClient> {
  const socket: Socket = connect(socketPath(dataDir));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  let broken: Error | null = null;
  const fail = (err: Error) => {
    broken = err;
    for (const w of waiting.splice(0)) w.reject(err);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('the Gatehouse server closed the connection')));
  readFrames(socket, (message) => {
    const reply = message as ChannelReply;
    const w = waiting.shift();
    if (!w) return;
    if (reply.ok) w.resolve(reply.value);
    else w.reject(Object.assign(new Error(reply.error.message), reply.error));
  });
  const call = <T>(req: ChannelRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (broken) return reject(broken);
      waiting.push({ resolve: resolve as (v: unknown) => void, reject });
      writeFrame(socket, req);
    });

  const sql: Sql = {
    query: <T>(text: string, params?: readonly unknown[]) => call<T[]>({ op: 'query', text, params }),
    exec: (script: string) => call<void>({ op: 'exec', script }),
  };
  const db: Database = {
    kind: 'pglite',
    ...sql,
    async transaction(fn) {
      await call({ op: 'begin' });
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(sql);
      } catch (err) {
        await call({ op: 'rollback' }).catch(() => {});
        throw err;
      }
      await call({ op: 'commit' });
      return result;
    },
    close: async () => {
      socket.end();
    },
  };
  // The server answers once its own ending path is done (committed, revoked, confirmed): nothing left to wait for.
  return {
    db,
    endings: {
      submit: async (ending) => ({
        ended: await call<EndedSession[]>({ op: 'end', ending }),
        confirmed: null,
      }),
    },
    policyChanged: () => call<void>({ op: 'policy-changed' }),
  };
}
