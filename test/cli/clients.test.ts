import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRelyingParty } from '../../examples/oidc-relying-party/app.js';
import { openDatabase } from '../../src/storage/open.js';
import { seedDataDir } from '../support/backends.js';
import { FetchBrowser } from '../support/fetch-browser.js';
import { freePort } from '../support/oidc-provider.js';
import { until } from '../support/webhook-receiver.js';
import { type CliResult, gatehouse, http, startServer, tempDir } from './run-cli.js';

vi.setConfig({ testTimeout: 120_000 });

const dir = tempDir('cli-clients');
const env = { DATA_DIR: dir.path, WEBHOOK_ALLOW_PRIVATE: 'on' };
const cli = (...args: string[]) => gatehouse(args, env);
const json = <T>(r: CliResult): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const PASSWORD = 'a long enough passphrase';

/**
 * What the store holds about a client and in its audit trail, read as the CLI would open the
 * embedded store (no server is running at that point).
 */
async function stored(clientId: string) {
  const db = await openDatabase({
    databaseUrl: undefined,
    dataDir: dir.path,
    progress: () => {},
    owner: 'test',
  });
  try {
    const [row] = await db.query<Record<string, unknown>>('SELECT * FROM oidc_clients WHERE id = $1', [
      clientId,
    ]);
    const audit = await db.query<Record<string, unknown>>('SELECT * FROM audit_events');
    return { row: row!, audit };
  } finally {
    await db.close();
  }
}
/** Every column as text, bytes as UTF-8, hex and base64url too, so a secret stored any way shows up. */
const asText = (values: unknown) =>
  JSON.stringify(values, function (key, v) {
    // A Buffer reaches a replacer already turned into {type, data} by its toJSON; read the original.
    const raw: unknown = (this as Record<string, unknown>)[key];
    if (!(raw instanceof Uint8Array)) return v;
    const bytes = Buffer.from(raw);
    return [bytes.toString('utf8'), bytes.toString('hex'), bytes.toString('base64url')].join(' ');
  });
const sha256 = (secret: string) => createHash('sha256').update(secret).digest();

beforeAll(() => seedDataDir(dir.path));
afterAll(() => dir.remove());

interface Listed {
  id: string;
  name: string;
  type: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  removedAt: string | null;
}

describe('gatehouse clients', () => {
  it('refuses a URI that is not https (or http on loopback), or has a fragment, before opening anything', async () => {
    for (const uri of ['http://app.example.com/cb', 'https://app.example.com/cb#x', 'not a url']) {
      const r = await cli('clients', 'add', '--name', 'x', '--redirect-uri', uri);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(/--redirect-uri must/);
    }
    expect((await cli('clients', 'add', '--name', 'x')).stderr).toMatch(/--redirect-uri is required/);
  });

  it('adds, lists, rotates and removes clients; a server signs in through one and an admin ending from the CLI reaches it', async () => {
    const appPort = await freePort();
    const app = `http://127.0.0.1:${appPort}`;
    const added = json<{ client: Listed; secret: string }>(
      await cli(
        'clients',
        'add',
        '--name',
        'App',
        '--redirect-uri',
        `${app}/callback`,
        '--post-logout-redirect-uri',
        `${app}/logged-out`,
        '--backchannel-logout-uri',
        `${app}/backchannel-logout`,
        '--json',
      ),
    );
    expect(added.secret).toMatch(/^ghcs_[A-Za-z0-9_-]{43}$/);
    expect(added.client).toMatchObject({
      name: 'App',
      type: 'confidential',
      redirectUris: [`${app}/callback`],
      // The default: what openid-client (the app below) and most relying parties expect.
      idTokenSignedResponseAlg: 'RS256',
    });
    const spa = json<{ client: Listed; secret: null }>(
      await cli(
        'clients',
        'add',
        '--name',
        'SPA',
        '--public',
        '--id',
        'my-spa',
        '--redirect-uri',
        `${app}/spa`,
        '--id-token-signed-response-alg',
        'EdDSA',
        '--json',
      ),
    );
    expect(spa).toMatchObject({
      client: { id: 'my-spa', type: 'public', idTokenSignedResponseAlg: 'EdDSA' },
      secret: null,
    });
    expect(
      (await cli('clients', 'add', '--name', 'again', '--id', 'my-spa', '--redirect-uri', `${app}/x`)).code,
    ).toBe(1);

    const listed = json<{ clients: Listed[] }>(await cli('clients', 'list', '--json'));
    expect(listed.clients.map((c) => c.id)).toEqual([added.client.id, 'my-spa']);
    // Never a secret nor its hash.
    expect(JSON.stringify(listed)).not.toContain(added.secret);
    expect(Object.keys(listed.clients[0]!)).not.toContain('secretHash');
    expect((await cli('clients', 'rotate-secret', '--id', 'my-spa')).code).toBe(1); // public: no secret

    // Stored hashed (SHA-256 of the secret as shown), never in the clear: the secret is nowhere
    // in the client's row or in the audit trail of its creation.
    const before = await stored(added.client.id);
    expect(Buffer.from(before.row.secret_hash as Uint8Array)).toEqual(sha256(added.secret));
    expect(asText(before.row)).not.toContain(added.secret);
    expect(asText(before.audit)).not.toContain(added.secret);
    expect((await stored('my-spa')).row).toMatchObject({
      secret_hash: null,
      id_token_signed_response_alg: 'EdDSA',
    });

    const rotated = json<{ secret: string }>(
      await cli('clients', 'rotate-secret', '--id', added.client.id, '--json'),
    );
    expect(rotated.secret).not.toBe(added.secret);
    const after = await stored(added.client.id);
    expect(Buffer.from(after.row.secret_hash as Uint8Array)).toEqual(sha256(rotated.secret));
    expect(asText(after)).not.toContain(rotated.secret);

    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const create = await gatehouse(['users', 'create', '--email', 'oidc-cli@example.test', '--json'], {
      ...env,
      GATEHOUSE_PASSWORD: PASSWORD,
    });
    expect(create.code, create.stderr).toBe(0);
    const server = await startServer({ ...env, PORT: String(port), OIDC_ISSUER: issuer });
    try {
      // The old secret no longer authenticates; the new one does (and then the missing code is the problem).
      const basic = (secret: string) =>
        `Basic ${Buffer.from(`${added.client.id}:${secret}`).toString('base64')}`;
      const tokenWith = (secret: string) =>
        fetch(`${issuer}/oidc/token`, {
          method: 'POST',
          headers: { authorization: basic(secret), 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=authorization_code',
        });
      expect((await tokenWith(added.secret)).status).toBe(401);
      expect(await (await tokenWith(rotated.secret)).json()).toMatchObject({ error: 'invalid_request' });

      const rp = await startRelyingParty({
        name: 'cli',
        issuer,
        clientId: added.client.id,
        clientSecret: rotated.secret,
        port: appPort,
      });
      try {
        const browser = new FetchBrowser();
        await browser.signIn(issuer, 'oidc-cli@example.test', PASSWORD);
        expect((await browser.get(`${rp.url}/login`)).body).toContain('signed in as oidc-cli@example.test');
        const sid = decodeJwt(browser.jar.get('gatehouse_session')!).sid as string;

        // The CLI beside the running server ends the session through it (the operator channel).
        expect((await cli('sessions', 'end', '--session', sid)).code).toBe(0);
        await until(() => rp.logoutTokens.some((t) => t.sid === sid), 10_000, 'the logout token');
        expect(rp.sessions.size).toBe(0);
      } finally {
        await rp.close();
      }

      expect((await cli('clients', 'remove', '--id', added.client.id)).code).toBe(0);
      const refused = await http(
        `${issuer}/oidc/authorize?client_id=${added.client.id}&redirect_uri=${encodeURIComponent(`${app}/callback`)}&response_type=code&scope=openid`,
      );
      expect(refused.status).toBe(400);
    } finally {
      await server.stop();
    }
    expect((await cli('clients', 'remove', '--id', added.client.id)).code).toBe(1); // already removed
    const all = json<{ clients: Listed[] }>(await cli('clients', 'list', '--all', '--json'));
    expect(all.clients.find((c) => c.id === added.client.id)?.removedAt).not.toBeNull();
    const audit = json<{ events: { action: string; details: Record<string, unknown> }[] }>(
      await cli('audit', '--json', '--limit', '100'),
    );
    const actions = audit.events.map((e) => e.action);
    for (const action of ['oidc.client_added', 'oidc.client_secret_rotated', 'oidc.client_removed'])
      expect(actions).toContain(action);
  });
});
