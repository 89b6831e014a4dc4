import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/domain/events.js';
import {
  openPostgresSchema,
  seededDataDir,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../support/backends.js';
import { call, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { openEventStream } from '../support/sse.js';
import { until, WebhookReceiver } from '../support/webhook-receiver.js';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'whsec_test_secret_for_the_receiver';

/** Webhook settings for a server process: the one endpoint from the environment, fast retries. */
const webhookEnv = (receiver: WebhookReceiver) => ({
  WEBHOOK_URL: receiver.url,
  WEBHOOK_SECRET: SECRET,
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '1000',
  // The receiver listens on loopback.
  WEBHOOK_ALLOW_PRIVATE: 'on',
});

async function signUp(server: ServerProcess) {
  const email = `hook.${randomUUID()}@example.test`;
  expect((await call(server.url, '/auth/register', { body: { email, password: PASSWORD } })).status).toBe(
    201,
  );
  return email;
}

async function loginLogout(server: ServerProcess, email: string): Promise<string> {
  const res = await call(server.url, '/auth/login', { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  const token = res.body.accessToken as string;
  expect((await call(server.url, '/auth/logout', { method: 'POST', token })).status).toBe(200);
  return (res.body.session as { id: string }).id;
}

describe('webhooks from a real server process', () => {
  it('survive a restart on the embedded store: what ended before it is delivered after it', async () => {
    const dataDir = await seededDataDir('hooks');
    const receiver = await WebhookReceiver.down();
    let server: ServerProcess | null = null;
    try {
      server = await startServerProcess({ DATA_DIR: dataDir, ...webhookEnv(receiver) });
      const email = await signUp(server);
      const ended = [await loginLogout(server, email), await loginLogout(server, email)];
      // Let the dispatcher fail against the receiver that is down, then stop the server.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await server.stop()).toBe(0);
      server = null;

      await receiver.listen();
      server = await startServerProcess({ DATA_DIR: dataDir, ...webhookEnv(receiver) });
      await until(() => receiver.delivered().size === 2, 10_000, 'two deliveries after the restart');
      expect(new Set(receiver.events().map((e) => e.data.sessionId))).toEqual(new Set(ended));
      for (const r of receiver.received)
        expect(verifySignature(SECRET, r.headers['gatehouse-signature'] as string, r.body)).toBe(true);
    } finally {
      await server?.stop();
      await receiver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Two Gatehouse processes, one PostgreSQL database, one receiver: every event arrives, once. */
describe.runIf(TEST_DATABASE_URL)('webhooks from two instances sharing PostgreSQL', () => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await openPostgresSchema(TEST_DATABASE_URL as string);
    receiver = await WebhookReceiver.start();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await receiver?.stop();
    await database?.dispose();
  });

  const start = () =>
    startServerProcess({ DATABASE_URL: database.databaseUrl as string, ...webhookEnv(receiver) });

  it('never send one event twice, and lose none, across 200 endings on both', async () => {
    servers = await Promise.all([start(), start()]);
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const email = await signUp(a);
    receiver.respond = () => ({ status: 200, delayMs: Math.floor(Math.random() * 10) });

    // 200 sessions opened and ended, alternating instances, a few at a time.
    const ended: string[] = [];
    for (let i = 0; i < 200; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) => loginLogout((i + j) % 2 === 0 ? a : b, email)),
      );
      ended.push(...batch);
    }

    await until(() => receiver.delivered().size === 200, 20_000, '200 deliveries');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(200);
    expect(new Set(receiver.events().map((e) => e.data.sessionId))).toEqual(new Set(ended));
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(200);
  }, 120_000);

  it('tell a client streaming GET /auth/events on one instance that a logout on the other ended it', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const email = await signUp(a);
    const res = await call(a.url, '/auth/login', { body: { email, password: PASSWORD } });
    const { accessToken, session } = res.body as { accessToken: string; session: { id: string } };
    const stream = await openEventStream(`${b.url}/auth/events`, { authorization: `Bearer ${accessToken}` });
    expect((await stream.next())?.event).toBe('ready');
    const started = performance.now();
    expect((await call(a.url, '/auth/logout', { method: 'POST', token: accessToken })).status).toBe(200);
    expect(await stream.next(2000)).toEqual({
      event: 'session.ended',
      data: { sessionId: session.id, reason: 'logout', endedAt: expect.any(String) },
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await stream.next()).toBeNull();
  });

  it('deliver after an instance is killed mid-stream: the other picks up what is due', async () => {
    receiver.received.length = 0;
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const email = await signUp(a);
    // The receiver refuses for a while: events pile up as retries on both instances.
    receiver.respond = () => ({ status: 503 });
    const ended = await Promise.all(Array.from({ length: 20 }, () => loginLogout(a, email)));
    await until(() => receiver.received.length >= 20, 10_000, 'first attempts');
    await a.stop('SIGKILL');

    receiver.respond = () => ({ status: 200 });
    await until(
      () => ended.every((id) => receiver.events().some((e) => e.data.sessionId === id)),
      // A row the killed instance had claimed waits out its lease (timeout + 10 s) first, and the
      // retries' backoff after the refusals; 30 s was not enough once on a very slow CI machine.
      45_000,
      'every event delivered by the survivor',
    );
    expect(b.child.exitCode).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const [, oks] of receiver.delivered()) expect(oks).toHaveLength(1);
  }, 90_000);
});
