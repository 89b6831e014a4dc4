import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addWebhookEndpoint,
  listWebhookEndpoints,
  removeWebhookEndpoint,
  syncEnvWebhookEndpoint,
} from '../../src/domain/webhooks.js';
import { startBackgroundJobs } from '../../src/jobs/background.js';
import { backends } from '../support/backends.js';
import { signedInUser, startTestApp, type TestApp, testConfig } from '../support/harness.js';
import { silentLog, until, WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'whsec_from_the_environment';

describe.each(backends)('background jobs on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  it('registers WEBHOOK_URL and delivers at once after a local ending, without waiting for the poll', async () => {
    const receiver = await WebhookReceiver.start();
    // A poll so slow that only the wake-up can explain a prompt delivery.
    const config = testConfig({
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_POLL_MS: '60000',
      // The receiver listens on loopback.
      WEBHOOK_ALLOW_PRIVATE: 'on',
    });
    const jobs = await startBackgroundJobs(t.ctx, config, silentLog);
    try {
      const endpoints = await listWebhookEndpoints(t.ctx);
      expect(endpoints.filter((e) => e.source === 'env').map((e) => e.url)).toEqual([receiver.url]);
      // The first pass (at start) found nothing; give it time to go to sleep.
      await new Promise((resolve) => setTimeout(resolve, 100));

      const a = await signedInUser(t);
      const started = Date.now();
      expect(
        (await t.app.inject({ method: 'POST', url: '/auth/logout', headers: a.headers })).statusCode,
      ).toBe(200);
      await until(() => receiver.received.length === 1, 3000, 'the event');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(JSON.parse(receiver.received[0]!.body).data.sessionId).toBe(a.session.id);
    } finally {
      await jobs.stop();
      await receiver.stop();
      await syncEnvWebhookEndpoint(t.ctx, undefined);
    }
  });

  it("keeps the environment's endpoint in step with WEBHOOK_URL, and leaves CLI endpoints alone", async () => {
    const cli = await addWebhookEndpoint(
      t.ctx,
      { url: 'https://cli.example.test/hook' },
      { allowPrivate: false },
    );
    try {
      const first = await syncEnvWebhookEndpoint(t.ctx, {
        url: 'https://one.example.test/hook',
        secret: SECRET,
      });
      // Same URL again (a restart): the same endpoint, its secret updated.
      const again = await syncEnvWebhookEndpoint(t.ctx, {
        url: 'https://one.example.test/hook',
        secret: `${SECRET}2`,
      });
      expect(again?.id).toBe(first?.id);
      const activeUrls = async () => (await listWebhookEndpoints(t.ctx)).map((e) => e.url).sort();
      expect(await activeUrls()).toEqual(['https://cli.example.test/hook', 'https://one.example.test/hook']);

      // WEBHOOK_URL changed: the old one is removed.
      await syncEnvWebhookEndpoint(t.ctx, { url: 'https://two.example.test/hook', secret: SECRET });
      expect(await activeUrls()).toEqual(['https://cli.example.test/hook', 'https://two.example.test/hook']);
      const removed = (await listWebhookEndpoints(t.ctx, { includeRemoved: true })).find(
        (e) => e.id === first?.id,
      );
      expect(removed?.disabledAt).toBeInstanceOf(Date);

      // WEBHOOK_URL unset: no endpoint from the environment remains.
      await syncEnvWebhookEndpoint(t.ctx, undefined);
      expect(await activeUrls()).toEqual(['https://cli.example.test/hook']);
    } finally {
      await removeWebhookEndpoint(t.ctx, cli.endpoint.id);
    }
  });

  it('refuses a second endpoint with the same URL, a bad URL and a short secret', async () => {
    const added = await addWebhookEndpoint(
      t.ctx,
      { url: 'https://dup.example.test/hook' },
      { allowPrivate: false },
    );
    try {
      expect(added.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      await expect(
        addWebhookEndpoint(t.ctx, { url: 'https://dup.example.test/hook' }, { allowPrivate: false }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(
        addWebhookEndpoint(t.ctx, { url: 'mailto:ops@example.test' }, { allowPrivate: false }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
      await expect(
        addWebhookEndpoint(
          t.ctx,
          { url: 'https://short.example.test/', secret: 'short' },
          { allowPrivate: false },
        ),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    } finally {
      await removeWebhookEndpoint(t.ctx, added.endpoint.id);
    }
    await expect(removeWebhookEndpoint(t.ctx, added.endpoint.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
