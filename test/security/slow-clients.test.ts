import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Backend, backends } from '../support/backends.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * Real slow sockets against a listening server, with short timeouts so the
 * tests are quick: what a slow-loris client can hold, and for how long.
 */
const pglite = backends[0] as Backend;

interface Client {
  socket: Socket;
  received: () => string;
  closed: Promise<number>; // ms from open to close
}

function open(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (c) => {
      data += c;
    });
    socket.on('error', () => {});
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** Resolves with true if the socket closed within `ms`, false if it is still open then. */
const closesWithin = (client: Client, ms: number) =>
  Promise.race([client.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

const HEALTH = 'GET /health HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n';

describe('slow clients on a real socket', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp(pglite, {
      HEADERS_TIMEOUT_MS: '400',
      REQUEST_TIMEOUT_MS: '800',
      KEEP_ALIVE_TIMEOUT_MS: '500',
      IDLE_TIMEOUT_MS: '1500',
      EVENT_STREAM_HEARTBEAT: '1',
      MAX_CONNECTIONS_PER_ADDRESS: '1000',
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t?.close());

  it('closes a POST whose body never finishes (Content-Length 100, 9 bytes sent), answering 400 in the envelope', async () => {
    const c = await open(port);
    c.socket.write(
      'POST /auth/login HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
    );
    expect(await closesWithin(c, 4000)).toBe(true);
    expect(await c.closed).toBeGreaterThanOrEqual(700); // not before its timeout
    expect(c.received()).toMatch(/^HTTP\/1\.1 400 /);
    expect(c.received()).toContain('"description":"The request was not received in time"');
  });

  it('closes a connection whose headers never finish', async () => {
    const c = await open(port);
    c.socket.write('GET /health HTTP/1.1\r\nHost: gatehouse.test\r\nX-Slow: ');
    const trickle = setInterval(() => c.socket.writable && c.socket.write('a'), 100);
    try {
      expect(await closesWithin(c, 4000)).toBe(true);
    } finally {
      clearInterval(trickle);
    }
  });

  it('closes a connection that never sends anything', async () => {
    const c = await open(port);
    expect(await closesWithin(c, 4000)).toBe(true);
  });

  it('closes a kept-alive connection left idle after its answer', async () => {
    const c = await open(port);
    c.socket.write(HEALTH);
    expect(await closesWithin(c, 4000)).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('leaves a prompt client alone: two requests on one kept-alive connection', async () => {
    const c = await open(port);
    c.socket.write(HEALTH);
    await new Promise((r) => setTimeout(r, 200));
    c.socket.write(HEALTH);
    await new Promise((r) => setTimeout(r, 200));
    expect(c.received().match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    c.socket.destroy();
  });
});

// Each test starts an app of its own (the embedded store takes seconds on a loaded machine).
describe('connection caps', { timeout: 60_000 }, () => {
  const listen = async (env: Record<string, string>) => {
    const t = await startTestApp(pglite, env);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    return { t, port: (t.app.server.address() as { port: number }).port };
  };

  it('closes connections from one address past MAX_CONNECTIONS_PER_ADDRESS; the others keep working', async () => {
    const { t, port } = await listen({ MAX_CONNECTIONS_PER_ADDRESS: '3' });
    try {
      const held = [await open(port), await open(port), await open(port)];
      const extra = await open(port);
      expect(await closesWithin(extra, 2000)).toBe(true);
      expect(extra.received()).toBe('');
      held[0]?.socket.write(HEALTH);
      await new Promise((r) => setTimeout(r, 200));
      expect(held[0]?.received()).toMatch(/^HTTP\/1\.1 200 /);
      // A slot freed is a slot to use again.
      held[1]?.socket.destroy();
      await held[1]?.closed;
      await new Promise((r) => setTimeout(r, 50));
      const again = await open(port);
      again.socket.write(HEALTH);
      await new Promise((r) => setTimeout(r, 200));
      expect(again.received()).toMatch(/^HTTP\/1\.1 200 /);
      for (const c of [...held, again]) c.socket.destroy();
    } finally {
      await t.close();
    }
  });

  it('does not cap a trusted proxy per address (it carries many clients)', async () => {
    const { t, port } = await listen({ MAX_CONNECTIONS_PER_ADDRESS: '2', TRUST_PROXY: '127.0.0.1' });
    try {
      const held = [await open(port), await open(port), await open(port)];
      expect(await closesWithin(held[2] as Client, 300)).toBe(false);
      for (const c of held) c.socket.destroy();
    } finally {
      await t.close();
    }
  });

  it('closes connections past MAX_CONNECTIONS in all', async () => {
    const { t, port } = await listen({ MAX_CONNECTIONS: '2', MAX_CONNECTIONS_PER_ADDRESS: '0' });
    try {
      const held = [await open(port), await open(port)];
      const extra = await open(port);
      expect(await closesWithin(extra, 2000)).toBe(true);
      expect(await closesWithin(held[0] as Client, 200)).toBe(false);
      for (const c of held) c.socket.destroy();
    } finally {
      await t.close();
    }
  });
});

describe('timeouts and caps (config)', () => {
  it('defaults: headers 10 s, a whole request 30 s, keep-alive 72 s, idle 60 s, 10,000 connections, 100 per address', () => {
    expect(loadConfig({}).connections).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
      idleTimeoutMs: 60_000,
      max: 10_000,
      perAddress: 100,
    });
  });

  it('refuses a headers timeout longer than the request timeout, naming both', () => {
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' })).toThrow(
      /HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ MAX_CONNECTIONS: '0' })).toThrow(/MAX_CONNECTIONS must be a whole number/);
    expect(() => loadConfig({ IDLE_TIMEOUT_MS: '10000', EVENT_STREAM_HEARTBEAT: '15' })).toThrow(
      /EVENT_STREAM_HEARTBEAT must be shorter than IDLE_TIMEOUT_MS/,
    );
  });
});
