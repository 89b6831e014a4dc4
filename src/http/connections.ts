import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionConfig } from '../config.js';

/**
 * Node's HTTP server options for slow clients. Without them a client that
 * declares a body and trickles it (or never finishes its headers) holds a
 * connection for as long as it likes. Node checks the header and request
 * timeouts on an interval (30 s by default, which could double the wait);
 * checking every second at most keeps a slow body's close near its timeout.
 */
export function httpTimeouts(c: ConnectionConfig) {
  return {
    fastify: {
      connectionTimeout: c.idleTimeoutMs,
      keepAliveTimeout: c.keepAliveTimeoutMs,
      requestTimeout: c.requestTimeoutMs,
    },
    http: {
      headersTimeout: c.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(c.headersTimeoutMs / 4))),
    },
  };
}

/**
 * Caps open connections: in all (Node's maxConnections closes the excess at
 * once), and per peer address, so one client cannot take every slot. A
 * trusted proxy carries many clients on its connections and is not capped
 * per address (the proxy is where to cap them).
 */
export function limitConnections(
  server: Server,
  c: ConnectionConfig,
  isTrustedProxy: (address: string | undefined) => boolean,
): void {
  server.maxConnections = c.max;
  if (c.perAddress === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || isTrustedProxy(address)) return;
    const count = open.get(address) ?? 0;
    if (count >= c.perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
