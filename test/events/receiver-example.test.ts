import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SessionEnded,
  startReceiver,
  verifySignature as verifyGatehouseSignature,
} from '../../examples/webhook-receiver/receiver.js';
import { signatureHeader } from '../../src/domain/events.js';
import { addWebhookEndpoint } from '../../src/domain/webhooks.js';
import { WebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { backends } from '../support/backends.js';
import { signedInUser, startTestApp, type TestApp } from '../support/harness.js';
import { silentLog, until } from '../support/webhook-receiver.js';

const SECRET = 'whsec_example_receiver_secret';

/** The receiver docs/events.md shows, against real deliveries. */
describe('the example receiver (docs/events.md)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backends[0]!);
  });
  afterAll(() => t.close());

  it('is quoted verbatim by docs/events.md', () => {
    const source = readFileSync(
      new URL('../../examples/webhook-receiver/receiver.ts', import.meta.url),
      'utf8',
    );
    const fn = source.slice(
      source.indexOf('export function verifySignature'),
      source.indexOf('\n}\n', source.indexOf('export function verifySignature')) + 2,
    );
    const docs = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    expect(fn.split('\n').length).toBeLessThanOrEqual(12);
    expect(docs).toContain(fn);
  });

  it('accepts what Gatehouse sends, once per event, and refuses forgeries and replays', async () => {
    const received: SessionEnded[] = [];
    const server = startReceiver(SECRET, 0, (e) => received.push(e));
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const dispatcher = new WebhookDispatcher(
      t.store,
      { maxAttempts: 5, timeoutMs: 1000, retryBaseMs: 20, retryMaxMs: 100, pollMs: 20, allowPrivate: true },
      silentLog,
    );
    try {
      await addWebhookEndpoint(t.ctx, { url, secret: SECRET }, { allowPrivate: true });
      dispatcher.start();
      const a = await signedInUser(t);
      expect(
        (await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers })).statusCode,
      ).toBe(200);
      await until(() => received.length === 1, 5000, 'the event');
      expect(received[0]?.data).toMatchObject({ sessionId: a.session.id, reason: 'logout' });

      const body = JSON.stringify(received[0]);
      const post = (signature: string) =>
        fetch(url, { method: 'POST', body, headers: { 'gatehouse-signature': signature } }).then(
          (r) => r.status,
        );
      // The same event again (a retry after a lost answer): accepted, not handled twice.
      expect(await post(signatureHeader(SECRET, body))).toBe(204);
      expect(received).toHaveLength(1);
      expect(await post(signatureHeader('whsec_not_the_right_secret', body))).toBe(401);
      expect(await post(signatureHeader(SECRET, body, Date.now() - 10 * 60_000))).toBe(401);
      expect(verifyGatehouseSignature(SECRET, undefined, body)).toBe(false);
    } finally {
      await dispatcher.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
