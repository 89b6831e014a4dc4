import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * A passkey assertion signed with a post-quantum key (ML-DSA-44: 2,420-byte
 * signatures; Chromium's virtual authenticator picks it when the server offers
 * it) must reach the verifier: the schema's cap once refused it as 422 before
 * any check, so such a passkey could be registered but never used.
 */
describe('POST /account/login/passkey with a long (ML-DSA) signature', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backends[0]!);
  });
  afterAll(() => t.close());

  const assertion = (signatureBytes: number) => ({
    challengeId: 'x'.repeat(43),
    response: {
      id: 'AAAA',
      rawId: 'AAAA',
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: 'AAAA',
        authenticatorData: 'AAAA',
        signature: Buffer.alloc(signatureBytes, 1).toString('base64url'),
      },
    },
  });

  it.each([
    ['ML-DSA-44', 2420],
    ['ML-DSA-87', 4627],
  ])(
    'is verified, not refused unread, for a %s-sized signature (401 for an unknown challenge)',
    async (_alg, bytes) => {
      for (const url of ['/account/login/passkey', '/auth/login/passkey']) {
        const res = await t.app.inject({
          method: 'POST',
          url,
          headers: { 'sec-fetch-site': 'same-origin' },
          payload: assertion(bytes),
        });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(401);
      }
    },
  );
});
