import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifySignature } from '../../src/domain/events.js';
import { seedDataDir } from '../support/backends.js';
import { until, WebhookReceiver } from '../support/webhook-receiver.js';
import { type CliResult, gatehouse, http, startServer, tempDir } from './run-cli.js';

vi.setConfig({ testTimeout: 90_000 });

const dir = tempDir('cli-webhooks');
// The test receiver listens on loopback.
const env = { DATA_DIR: dir.path, WEBHOOK_ALLOW_PRIVATE: 'on' };
const cli = (...args: string[]) => gatehouse(args, env);
const json = <T>(r: CliResult): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const PASSWORD = 'a long enough passphrase';

let receiver: WebhookReceiver;
beforeAll(async () => {
  await seedDataDir(dir.path);
  receiver = await WebhookReceiver.start();
});
afterAll(async () => {
  await receiver.stop();
  dir.remove();
});

describe('gatehouse webhooks', () => {
  it('adds an endpoint whose secret verifies what a running server then sends, for a CLI ending too', async () => {
    const added = json<{ endpoint: { id: string; url: string }; secret: string }>(
      await cli('webhooks', 'add', '--url', receiver.url, '--description', 'test receiver', '--json'),
    );
    expect(added.endpoint.url).toBe(receiver.url);
    expect(added.secret).toMatch(/^whsec_/);

    const create = await gatehouse(['users', 'create', '--email', 'hooked@example.test', '--json'], {
      ...env,
      GATEHOUSE_PASSWORD: PASSWORD,
    });
    expect(create.code, create.stderr).toBe(0);

    let server = await startServer(env);
    try {
      const logIn = () =>
        http(`${server.url}/auth/login`, { body: { email: 'hooked@example.test', password: PASSWORD } });
      const login = await logIn();
      expect(login.status).toBe(200);
      expect((await logIn()).status).toBe(200);
      const logout = await fetch(`${server.url}/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${login.body.accessToken}` },
      });
      expect(logout.status).toBe(200);
      await until(() => receiver.received.length === 1, 10_000, 'the event');
    } finally {
      await server.stop();
    }
    const [req] = receiver.received;
    expect(verifySignature(added.secret, req!.headers['gatehouse-signature'] as string, req!.body)).toBe(
      true,
    );
    expect(JSON.parse(req!.body).data).toMatchObject({ reason: 'logout' });

    // The CLI ends the other session while no server runs: its event waits in the outbox
    // and goes out when a server starts.
    expect((await cli('sessions', 'end', '--user', 'hooked@example.test')).code).toBe(0);
    server = await startServer(env);
    try {
      await until(() => receiver.received.length === 2, 10_000, 'the CLI ending');
    } finally {
      await server.stop();
    }
    expect(JSON.parse(receiver.received[1]!.body).data).toMatchObject({ reason: 'admin' });

    const list = json<{ endpoints: { id: string; delivered: number; pending: number }[] }>(
      await cli('webhooks', 'list', '--json'),
    );
    expect(list.endpoints).toEqual([
      expect.objectContaining({ id: added.endpoint.id, delivered: 2, pending: 0, dead: 0 }),
    ]);
    const deliveries = json<{ deliveries: { state: string; attempts: number }[] }>(
      await cli('webhooks', 'deliveries', '--json'),
    );
    expect(deliveries.deliveries).toMatchObject([
      { state: 'delivered', attempts: 1 },
      { state: 'delivered', attempts: 1 },
    ]);

    const removed = await cli('webhooks', 'remove', '--id', added.endpoint.id);
    expect(removed.code, removed.stderr).toBe(0);
    expect(json<{ endpoints: unknown[] }>(await cli('webhooks', 'list', '--json')).endpoints).toEqual([]);
    const again = await cli('webhooks', 'remove', '--id', added.endpoint.id);
    expect(again.code).toBe(1);
  });
  // Malformed URLs, ids and states: usage.test.ts (exit 2, before anything is opened).

  it('refuses a loopback URL without WEBHOOK_ALLOW_PRIVATE, exit 1, naming the switch', async () => {
    const r = await gatehouse(['webhooks', 'add', '--url', 'http://127.0.0.1:9/hook'], {
      DATA_DIR: dir.path,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/loopback, link-local or private address.*WEBHOOK_ALLOW_PRIVATE=on/);
  });
});
