/**
 * A Gatehouse webhook receiver, as small as it can be while doing the three
 * things every receiver must: check the signature over the raw body, refuse
 * old timestamps (replays), and handle each event id once. docs/events.md
 * quotes verifySignature from this file; test/events/receiver-example.test.ts
 * runs it against real deliveries.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=4000 npx tsx examples/webhook-receiver/receiver.ts
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

export function verifySignature(secret: string, header: string | undefined, body: string): boolean {
  const parts = (header ?? '').split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  // Older (or newer) than 5 minutes: a replay, or a clock that is far off.
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts.some(
    ([k, v]) =>
      k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '') && timingSafeEqual(Buffer.from(v!, 'hex'), expected),
  );
}

export interface SessionEnded {
  id: string;
  type: 'session.ended';
  createdAt: string;
  data: { userId: string; sessionId: string; reason: string; endedAt: string };
}

/** Answers 204 to a verified event (calling `onEvent` once per event id), 401 to anything else. */
export function startReceiver(secret: string, port: number, onEvent: (e: SessionEnded) => void): Server {
  const seen = new Set<string>(); // in production: a unique key in your database
  return createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const signature = req.headers['gatehouse-signature'];
      if (req.method !== 'POST' || !verifySignature(secret, signature as string | undefined, body)) {
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as SessionEnded;
      if (!seen.has(event.id)) {
        seen.add(event.id);
        onEvent(event);
      }
      res.writeHead(204).end();
    });
  }).listen(port);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) throw new Error('Set WEBHOOK_SECRET to the secret Gatehouse gave for this endpoint');
  startReceiver(secret, Number(process.env.PORT ?? 4000), (e) =>
    console.log(
      `${e.data.endedAt} session ${e.data.sessionId} of user ${e.data.userId} ended: ${e.data.reason}`,
    ),
  );
}
