import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/domain/errors.js';
import { HashingQueue } from '../../src/domain/hashing-queue.js';
import { installErrorHandling } from '../../src/http/errors.js';
import { shedWhenHashingFull } from '../../src/http/load-shedding.js';
import { DatabaseUnavailableError } from '../../src/storage/db.js';
import { backends } from '../support/backends.js';
import {
  expectEnvelope,
  login,
  PASSWORD,
  register,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from '../support/harness.js';
import { memoryLog } from '../support/memory-log.js';

/** A piece of work that finishes when told to. */
function gate() {
  let open = () => {};
  const done = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, work: () => done };
}

describe('HashingQueue', () => {
  it('runs `concurrency` at once, queues `maxWaiting`, and sheds the rest with 503 and Retry-After', async () => {
    const queue = new HashingQueue(1, 1);
    const [a, b] = [gate(), gate()];
    const order: string[] = [];
    const first = queue.run(() => a.work().then(() => order.push('a')));
    const second = queue.run(() => b.work().then(() => order.push('b')));
    expect(queue.size).toEqual({ running: 1, waiting: 1 });
    const shed = queue.run(async () => order.push('c'));
    await expect(shed).rejects.toBeInstanceOf(AppError);
    await expect(shed).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfter: 1 });
    b.open(); // the waiting one has not started: it runs after the first, not before
    a.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['a', 'b']);
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });

  it('says when it is full, so a request can be refused before its body is read', async () => {
    const queue = new HashingQueue(1, 1);
    const [a, b] = [gate(), gate()];
    expect(queue.full).toBe(false);
    const first = queue.run(a.work);
    expect(queue.full).toBe(false); // one running, room to wait
    const second = queue.run(b.work);
    expect(queue.full).toBe(true);
    expect(() => queue.refuseWhenFull()).toThrow(
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryAfter: 1 }),
    );
    a.open();
    b.open();
    await Promise.all([first, second]);
    expect(queue.full).toBe(false);
    expect(() => queue.refuseWhenFull()).not.toThrow();
  });

  it('sheds a request as it arrives while the queue is full, before its body is read (503, not 400)', async () => {
    const queue = new HashingQueue(1, 1);
    const app = Fastify();
    installErrorHandling(app);
    app.post('/hash', { onRequest: shedWhenHashingFull(queue) }, async () => ({ ok: true }));
    await app.ready();
    const unreadable = () =>
      app.inject({
        method: 'POST',
        url: '/hash',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      });
    try {
      expect((await unreadable()).statusCode).toBe(400); // room in the queue: the body is read, and refused
      const [a, b] = [gate(), gate()];
      const busy = [queue.run(a.work), queue.run(b.work)];
      const shed = await unreadable();
      expectEnvelope(shed, 'SERVICE_UNAVAILABLE', /Too many sign-ins/);
      expect(shed.headers['retry-after']).toBe('1');
      a.open();
      b.open();
      await Promise.all(busy);
      expect((await unreadable()).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('holds a refusal for HASH_SHED_DELAY_MS before sending it, so a storm cannot retry at once', async () => {
    const queue = new HashingQueue(1, 0, 150);
    const app = Fastify();
    installErrorHandling(app);
    app.post('/hash', { onRequest: shedWhenHashingFull(queue) }, async () => ({ ok: true }));
    await app.ready();
    const slot = gate();
    const busy = queue.run(slot.work);
    try {
      const started = performance.now();
      const shed = await app.inject({ method: 'POST', url: '/hash', payload: {} });
      expect(performance.now() - started).toBeGreaterThanOrEqual(140); // timers may fire a little early
      expectEnvelope(shed, 'SERVICE_UNAVAILABLE', /Too many sign-ins/);
      slot.open();
      await busy;
      expect((await app.inject({ method: 'POST', url: '/hash', payload: {} })).statusCode).toBe(200);
    } finally {
      slot.open();
      await app.close();
    }
  });

  it('frees the slot when the work fails', async () => {
    const queue = new HashingQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(async () => 'ran')).resolves.toBe('ran');
  });

  it('is configured by HASH_CONCURRENCY and HASH_QUEUE_MAX', () => {
    expect(
      loadConfig({ HASH_CONCURRENCY: '3', HASH_QUEUE_MAX: '7', HASH_SHED_DELAY_MS: '0' }).hashing,
    ).toEqual({ concurrency: 3, queueMax: 7, shedDelayMs: 0 });
    expect(loadConfig({}).hashing.shedDelayMs).toBe(250);
    expect(() => loadConfig({ HASH_SHED_DELAY_MS: '-1' })).toThrow(
      /HASH_SHED_DELAY_MS must be a whole number/,
    );
    expect(loadConfig({}).hashing.concurrency).toBeGreaterThanOrEqual(1);
    expect(() => loadConfig({ HASH_CONCURRENCY: '0' })).toThrow(/HASH_CONCURRENCY must be a whole number/);
    expect(() => loadConfig({ HASH_QUEUE_MAX: 'x' })).toThrow(/HASH_QUEUE_MAX must be a whole number/);
  });
});

describe.each(backends)('a login storm on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { HASH_CONCURRENCY: '1', HASH_QUEUE_MAX: '2' });
  });
  afterAll(() => t.close());

  const failedLogins = async () =>
    (await t.store.listAuditEvents({ limit: 10_000 })).filter((e) => e.action === 'login.failed').length;

  it('checks as many logins as the queue holds and sheds the rest with 503, recording nothing for them', async () => {
    const { email } = await register(t);
    const before = await failedLogins();
    const storm = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { email: i % 2 ? email : uniqueEmail('nobody'), password: 'not the password at all' },
        }),
      ),
    );
    const shed = storm.filter((r) => r.statusCode === 503);
    expect(storm.filter((r) => r.statusCode === 401)).toHaveLength(3); // one running, two waiting
    expect(shed).toHaveLength(9);
    for (const r of shed) {
      expectEnvelope(r, 'SERVICE_UNAVAILABLE', /Too many sign-ins/);
      expect(r.headers['retry-after']).toBe('1');
    }
    expect((await failedLogins()) - before).toBe(3);
    // The storm over, the queue is empty again: a real login gets in.
    await login(t, email);
  });

  it('sheds registrations the same way, creating no account for them', async () => {
    const emails = Array.from({ length: 8 }, () => uniqueEmail('storm'));
    const storm = await Promise.all(
      emails.map((email) =>
        t.app.inject({ method: 'POST', url: '/auth/register', payload: { email, password: PASSWORD } }),
      ),
    );
    expect(storm.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(storm.filter((r) => r.statusCode === 503)).toHaveLength(5);
    const created = await Promise.all(emails.map((e) => t.store.findUserByEmail(e)));
    expect(created.filter(Boolean)).toHaveLength(3);
  });
});

describe('shedding is quiet in the log', () => {
  it('writes no error line for a shed request (a storm must not become a log storm), but does for a database outage', async () => {
    const { stream, lines } = memoryLog();
    const app = Fastify({ logger: { ...(loggerOptions('info') as object), stream } });
    installErrorHandling(app);
    const queue = new HashingQueue(1, 0);
    app.get('/shed', async () => {
      const held = gate();
      const first = queue.run(held.work);
      try {
        return await queue.run(async () => 'never');
      } finally {
        held.open();
        await first;
      }
    });
    app.get('/outage', async () => {
      throw new DatabaseUnavailableError('connection refused');
    });
    await app.ready();
    expect((await app.inject({ url: '/shed' })).statusCode).toBe(503);
    expect(lines.filter((l) => l.msg === 'request failed')).toEqual([]);
    expect((await app.inject({ url: '/outage' })).statusCode).toBe(503);
    expect(lines.filter((l) => l.msg === 'request failed')).toHaveLength(1);
    await app.close();
  });
});
