import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { type RelyingParty, startRelyingParty } from '../../examples/oidc-relying-party/app.js';
import { WebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { addClient, type NewClientInput } from '../../src/oidc/clients.js';
import { OidcTokens } from '../../src/oidc/tokens.js';
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
  /** Registers a client as the CLI does; returns its id and (confidential) secret. */
  addClient(
    input: Partial<NewClientInput> & { redirectUris: string[] },
  ): Promise<{ id: string; secret: string | null }>;
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
  return {
    t,
    issuer,
    tokens,
    dispatcher,
    async addClient(input) {
      const { client, secret } = await addClient(
        t.ctx,
        { name: 'test app', type: 'confidential', ...input },
        TEST_ACTOR,
      );
      return { id: client.id, secret };
    },
    async close() {
      unsubscribe();
      await dispatcher.stop();
      await t.close();
    },
  };
}

/**
 * An openid-client app (examples/oidc-relying-party/app.ts) registered as a client of `p`:
 * its address is reserved first, since its URIs must be registered before it starts.
 */
export async function startRegisteredApp(
  p: TestProvider,
  name: string,
  type: 'confidential' | 'public',
): Promise<RelyingParty> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const client = await p.addClient({
    name,
    type,
    redirectUris: [`${base}/callback`],
    postLogoutRedirectUris: [`${base}/logged-out`],
    backchannelLogoutUri: `${base}/backchannel-logout`,
  });
  return startRelyingParty({
    name,
    issuer: p.issuer,
    clientId: client.id,
    clientSecret: client.secret ?? undefined,
    port,
  });
}
