import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RelyingParty, startRelyingParty } from '../../examples/oidc-relying-party/app.js';
import type { SigningAlg } from '../../src/domain/keys.js';
import { applyStoredPolicy } from '../../src/domain/policy-settings.js';
import { WebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { addClient, type NewClientInput } from '../../src/oidc/clients.js';
import { OidcTokens } from '../../src/oidc/tokens.js';
import { type OperatorChannel, serveOperatorChannel } from '../../src/operator-channel/server.js';
import { lockDataDir } from '../../src/storage/data-dir-lock.js';
import type { Backend } from './backends.js';
import { startTestApp, type TestApp } from './harness.js';
import { silentLog } from './webhook-receiver.js';

/**
 * Gatehouse as an OpenID Provider for tests: an app listening on a real port (relying
 * parties and browsers reach it over HTTP), its issuer that address, and a webhook
 * dispatcher that delivers back-channel logouts the moment a session ends, as a server's
 * background jobs do (src/jobs/background.ts).
 */
export interface TestProvider {
  t: TestApp;
  issuer: string;
  tokens: OidcTokens;
  dispatcher: WebhookDispatcher;
  /**
   * The environment `gatehouse` (the CLI) needs to act on this provider as an operator's would:
   * DATABASE_URL on PostgreSQL; on the embedded store, the DATA_DIR whose lock the provider
   * holds and whose operator channel it serves, as a server does (src/server.ts).
   */
  cliEnv: Record<string, string>;
  /** Registers a client as the CLI does; returns its id and (confidential) secret. */
  addClient(
    input: Partial<NewClientInput> & { redirectUris: string[] },
  ): Promise<{ id: string; secret: string | null; idTokenAlg: SigningAlg }>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const TEST_ACTOR = { origin: { ip: null, userAgent: 'vitest' }, operator: 'test' };

export async function startProvider(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const t = await startTestApp(backend, { OIDC_ISSUER: issuer, WEBHOOK_ALLOW_PRIVATE: 'on', ...env });
  await t.app.listen({ port, host: '127.0.0.1' });
  const tokens = new OidcTokens(issuer, t.ctx.keys, t.config.accessTokenTtl);
  const dispatcher = new WebhookDispatcher(
    t.store,
    { ...t.config.webhooks, pollMs: 100, retryBaseMs: 100, retryMaxMs: 400, timeoutMs: 2000 },
    silentLog,
    tokens,
  );
  const unsubscribe = t.ctx.outbox.onEnded(() => dispatcher.wake());
  dispatcher.start();
  const operator = t.database.databaseUrl ? null : await serveCli(t);
  return {
    t,
    issuer,
    tokens,
    dispatcher,
    cliEnv: operator ? { DATA_DIR: operator.dataDir } : { DATABASE_URL: t.database.databaseUrl as string },
    async addClient(input) {
      const { client, secret } = await addClient(
        t.ctx,
        { name: 'test app', type: 'confidential', ...input },
        TEST_ACTOR,
      );
      return { id: client.id, secret, idTokenAlg: client.idTokenSignedResponseAlg };
    },
    async close() {
      await operator?.close();
      unsubscribe();
      await dispatcher.stop();
      await t.close();
    },
  };
}

/**
 * The embedded store's operator channel for the test app, as src/server.ts serves it: the
 * test's PGlite has no data directory of its own, so a temporary one holds the lock (owner
 * "server", which tells the CLI to use the channel) and the socket.
 */
async function serveCli(t: TestApp): Promise<{ dataDir: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-provider-'));
  const lock = lockDataDir(dataDir, 'server');
  let channel: OperatorChannel;
  try {
    channel = await serveOperatorChannel(dataDir, t.database.db, t.ctx, t.app.log, {
      policyChanged: async () => void (await applyStoredPolicy(t.ctx)),
    });
  } catch (err) {
    lock.release();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    dataDir,
    async close() {
      await channel.close();
      lock.release();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An openid-client app (examples/oidc-relying-party/app.ts) registered as a client of `p`:
 * its address is reserved first, since its URIs must be registered before it starts.
 * `host` "localhost" puts it on another site than the provider (127.0.0.1), so a browser
 * treats its trips to the provider as cross-site (SameSite cookies are not sent).
 */
export async function startRegisteredApp(
  p: TestProvider,
  name: string,
  type: 'confidential' | 'public',
  opts: { host?: '127.0.0.1' | 'localhost'; idTokenAlg?: 'RS256' | 'EdDSA' } = {},
): Promise<RelyingParty> {
  const host = opts.host ?? '127.0.0.1';
  const port = await freePort();
  const base = `http://${host}:${port}`;
  const client = await p.addClient({
    name,
    type,
    redirectUris: [`${base}/callback`],
    postLogoutRedirectUris: [`${base}/logged-out`],
    backchannelLogoutUri: `${base}/backchannel-logout`,
    ...(opts.idTokenAlg ? { idTokenSignedResponseAlg: opts.idTokenAlg } : {}),
  });
  return startRelyingParty({
    name,
    issuer: p.issuer,
    clientId: client.id,
    clientSecret: client.secret ?? undefined,
    port,
    host,
    idTokenAlg: client.idTokenAlg,
  });
}
