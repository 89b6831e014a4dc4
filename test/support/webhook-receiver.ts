import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  eventId: string;
  /** The status this receiver answered (or was about to, for a request that timed out on the sender). */
  status: number;
}

/** How the receiver answers the nth request (1-based) carrying an event id. */
export type Responder = (eventId: string, nth: number) => { status?: number; delayMs?: number };

/**
 * A real HTTP receiver on 127.0.0.1, as an operator would run one: records
 * every request, answers as `respond` says (200 by default), can be stopped
 * and started again on the same port ("down for a while").
 */
export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  respond: Responder = () => ({ status: 200 });
  #server: Server | null = null;
  #port = 0;
  readonly #perEvent = new Map<string, number>();

  static async start(port = 0): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.listen(port);
    return r;
  }

  /** A receiver that is not listening yet, on a port that was free a moment ago. */
  static async down(): Promise<WebhookReceiver> {
    const r = await WebhookReceiver.start();
    await r.stop();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hooks/gatehouse`;
  }

  async listen(port = this.#port): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const eventId = String(req.headers['gatehouse-event-id'] ?? '');
        const nth = (this.#perEvent.get(eventId) ?? 0) + 1;
        this.#perEvent.set(eventId, nth);
        const { status = 200, delayMs = 0 } = this.respond(eventId, nth);
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), eventId, status });
        setTimeout(() => {
          if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
        }, delayMs);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests answered with a 2xx, one entry per event id (the deliveries that count). */
  delivered(): Map<string, ReceivedRequest[]> {
    const byEvent = new Map<string, ReceivedRequest[]>();
    for (const r of this.received) {
      if (r.status < 200 || r.status >= 300) continue;
      byEvent.set(r.eventId, [...(byEvent.get(r.eventId) ?? []), r]);
    }
    return byEvent;
  }

  /** Parsed bodies of the 2xx-answered requests. */
  events(): SessionEndedBody[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300).map((r) => JSON.parse(r.body));
  }
}

export interface SessionEndedBody {
  id: string;
  type: 'session.ended';
  createdAt: string;
  data: { userId: string; sessionId: string; reason: string; endedAt: string };
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition') {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const silentLog = { info: () => {}, warn: () => {} };
