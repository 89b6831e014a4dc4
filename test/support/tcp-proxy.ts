import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to put between a server process and PostgreSQL, to cut the
 * database away while requests flow and to give it back:
 *
 * - `refuse()`: resets every open connection and refuses new ones (the
 *   database restarted, or its host went down with a RST);
 * - `blackhole()`: keeps connections open but lets nothing through, in
 *   either direction, and accepts new connections that go nowhere (a
 *   network partition: no FIN, no RST, just silence);
 * - `restore()`: forwards again (new connections only; blackholed ones are reset);
 * - `delayMs` (constructor): holds what PostgreSQL sends back for that long, in order (a slow
 *   link: answers and notifications reach the server late).
 */
export class TcpProxy {
  #server: Server;
  #mode: 'open' | 'refuse' | 'blackhole' = 'open';
  readonly #pairs = new Set<[Socket, Socket | null]>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly delayMs = 0,
  ) {
    this.#server = createServer((client) => this.#accept(client));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as { port: number }).port;
  }

  /** `url` with its host and port replaced by this proxy's. */
  route(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get connections(): number {
    return this.#pairs.size;
  }

  refuse(): void {
    this.#mode = 'refuse';
    this.#resetAll();
  }

  blackhole(): void {
    this.#mode = 'blackhole';
    for (const [client, upstream] of this.#pairs) {
      client.pause();
      upstream?.pause();
      client.unpipe();
      upstream?.unpipe();
    }
  }

  restore(): void {
    const wasBlackhole = this.#mode === 'blackhole';
    this.#mode = 'open';
    if (wasBlackhole) this.#resetAll();
  }

  async close(): Promise<void> {
    this.#resetAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    client.on('error', () => {});
    if (this.#mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const pair: [Socket, Socket | null] = [client, null];
    this.#pairs.add(pair);
    client.on('close', () => {
      this.#pairs.delete(pair);
      pair[1]?.destroy();
    });
    if (this.#mode === 'blackhole') {
      client.pause(); // accepted, and then nothing
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    pair[1] = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    if (this.delayMs > 0)
      // The same delay for every chunk keeps their order (timers of equal delay fire in turn).
      upstream.on('data', (chunk) => setTimeout(() => client.writable && client.write(chunk), this.delayMs));
    else upstream.pipe(client);
  }

  #resetAll(): void {
    for (const pair of this.#pairs) {
      pair[0].resetAndDestroy();
      pair[1]?.resetAndDestroy();
    }
    this.#pairs.clear();
  }
}
