import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/domain/context.js';
import { newSigningKeyRecord } from '../../src/domain/keys.js';
import { OidcTokens } from '../../src/oidc/tokens.js';
import { backends } from '../support/backends.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * The keyring keeps one line of signing keys per algorithm (docs/architecture.md, "Signing
 * keys"): Ed25519 always, RSA for the OpenID Provider's RS256 ID tokens. Each is created once,
 * rotated on its own line, and published in the JWKS.
 */
describe.each(backends)('signing keys per algorithm on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { OIDC_ISSUER: 'http://127.0.0.1:9' });
  });
  afterAll(() => t.close());

  const active = async () =>
    (await t.store.listSigningKeys()).filter((k) => !k.retiredAt).map((k) => ({ kid: k.kid, alg: k.alg }));

  it('with OIDC_ISSUER: one active Ed25519 and one RSA 2048 key, both published, no private part', async () => {
    expect((await active()).map((k) => k.alg).sort()).toEqual(['EdDSA', 'RS256']);
    const { keys } = t.ctx.keys.jwks();
    const rsa = keys.find((k) => k.kid === t.ctx.keys.signingKeyFor('RS256').kid);
    expect(rsa).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(Buffer.from(rsa!.n as string, 'base64url').length * 8).toBe(2048);
    expect(keys.find((k) => k.kid === t.ctx.keys.signingKey.kid)).toMatchObject({ kty: 'OKP', alg: 'EdDSA' });
    for (const k of keys)
      for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(part);
  });

  it('a second start on the same database creates no more keys', async () => {
    const before = await active();
    const again = await createContext(t.store, { ...t.ctx.settings });
    expect(await active()).toEqual(before);
    expect(again.keys.signingKeyFor('RS256').kid).toBe(t.ctx.keys.signingKeyFor('RS256').kid);
  });

  it("a rotation replaces each algorithm's key; the old ones keep verifying what they signed", async () => {
    const tokens = new OidcTokens('http://127.0.0.1:9', t.ctx.keys, 900);
    const old = { EdDSA: t.ctx.keys.signingKey.kid, RS256: t.ctx.keys.signingKeyFor('RS256').kid };
    const hint = await tokens.idToken(
      {
        clientId: 'c',
        alg: 'RS256',
        userId: 'u',
        sessionId: 's',
        authTime: new Date(),
        authMethods: ['password'],
        nonce: null,
        claims: {},
      },
      new Date(Date.now() + 60_000),
    );
    const rotated = await t.ctx.keys.rotate();
    expect(rotated.map((k) => k.alg)).toEqual(['EdDSA', 'RS256']);
    expect((await active()).sort((a, b) => a.alg.localeCompare(b.alg))).toEqual(rotated);
    expect(t.ctx.keys.signingKeyFor('RS256').kid).toBe(rotated[1]!.kid);
    const published = t.ctx.keys.jwks().keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([old.EdDSA, old.RS256, ...rotated.map((k) => k.kid)]));
    // An ID token signed by the retired RSA key is still a good id_token_hint.
    expect(await tokens.readIdTokenHint(hint)).toEqual({ clientId: 'c', userId: 'u', sessionId: 's' });
  });

  it("a new key retires only its own algorithm's keys", async () => {
    const eddsa = t.ctx.keys.signingKey.kid;
    const rsa = await newSigningKeyRecord('RS256');
    await t.store.transaction(async (tx) => {
      await tx.insertSigningKey(rsa);
      await tx.retireSigningKeys(rsa.kid);
    });
    expect(await active()).toEqual(
      expect.arrayContaining([
        { kid: rsa.kid, alg: 'RS256' },
        { kid: eddsa, alg: 'EdDSA' },
      ]),
    );
    expect(await active()).toHaveLength(2);
  });

  it('without OIDC_ISSUER: no RSA key is made, and the API signs with Ed25519 as before', async () => {
    const plain = await startTestApp(backend);
    try {
      expect((await plain.store.listSigningKeys()).map((k) => k.alg)).toEqual(['EdDSA']);
      expect(() => plain.ctx.keys.signingKeyFor('RS256')).toThrow(/no RS256 signing key/);
      const rotated = await plain.ctx.keys.rotate();
      expect(rotated.map((k) => k.alg)).toEqual(['EdDSA']);
    } finally {
      await plain.close();
    }
  });
});
