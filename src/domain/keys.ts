import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningKeyRecord } from './model.js';

/** What the keyring needs from storage. */
export interface KeyStore {
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /**
   * Inserts a key, atomically across instances. `retireOthers`: the other active keys of its
   * algorithm are retired (a rotation); otherwise it is inserted only if its algorithm has no
   * active key yet (a first start, which a concurrent one may have won).
   */
  createSigningKey(
    record: Omit<SigningKeyRecord, 'createdAt' | 'retiredAt'>,
    retireOthers: boolean,
  ): Promise<void>;
}

export interface VerificationKey {
  kid: string;
  alg: SigningAlg;
  key: KeyObject;
  /** Tokens signed by a retired key stay valid until they expire, then the key is dropped. */
  retiredAt: Date | null;
}

/**
 * The algorithm of Gatehouse's own tokens (API access tokens; the OpenID Provider's access,
 * interaction and, by default for clients registered before RS256 was offered, ID tokens).
 */
export const SIGNING_ALG = 'EdDSA';

/**
 * The algorithms a key can be kept for. RS256 is there for the OpenID Provider alone: OIDC Core
 * §15.1 requires a provider to offer it for ID tokens, and many relying parties support nothing
 * else (docs/oidc.md).
 */
export const SIGNING_ALGS = ['EdDSA', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

const generate = promisify(generateKeyPair);

/** A new key pair for `alg`: Ed25519, or RSA 2048 (RFC 7518 §3.3's minimum, what RS256 relying parties expect). */
export async function newSigningKeyRecord(
  alg: SigningAlg = SIGNING_ALG,
): Promise<Omit<SigningKeyRecord, 'createdAt' | 'retiredAt'>> {
  const { publicKey, privateKey } =
    alg === 'RS256' ? await generate('rsa', { modulusLength: 2048 }) : await generate('ed25519');
  const kid = randomUUID();
  return {
    kid,
    alg,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg },
  };
}

export const isSigningAlg = (alg: string): alg is SigningAlg =>
  (SIGNING_ALGS as readonly string[]).includes(alg);

/**
 * Signing keys, shared by every instance through the database: one line of keys per algorithm.
 * The newest unretired key of an algorithm signs with it; every key not retired for longer
 * than one access-token lifetime verifies. An instance creates a key for each algorithm it
 * needs (`algorithms`) that has none; it signs with any algorithm that has one.
 */
export class Keyring {
  #signing = new Map<SigningAlg, { kid: string; key: KeyObject }>();
  #verifying = new Map<string, VerificationKey>();
  #lastReload = 0;

  constructor(
    private readonly store: KeyStore,
    private readonly accessTtlSeconds: number,
    /** The algorithms this instance must be able to sign with (EdDSA always; RS256 with OIDC_ISSUER). */
    private readonly algorithms: readonly SigningAlg[] = [SIGNING_ALG],
  ) {}

  /** Loads the keys, generating the first of each needed algorithm on a fresh database. */
  async init(): Promise<void> {
    await this.reload();
    const missing = this.algorithms.filter((alg) => !this.#signing.has(alg));
    if (missing.length === 0) return;
    for (const alg of missing) await this.store.createSigningKey(await newSigningKeyRecord(alg), false);
    await this.reload();
    for (const alg of missing)
      if (!this.#signing.has(alg)) throw new Error(`no ${alg} signing key could be loaded`);
  }

  /**
   * A new key for every algorithm in use (and every one this instance needs); the keys they
   * replace keep verifying. Returns the new keys, EdDSA's first.
   */
  async rotate(): Promise<{ kid: string; alg: SigningAlg }[]> {
    const algs = SIGNING_ALGS.filter((alg) => this.#signing.has(alg) || this.algorithms.includes(alg));
    const rotated: { kid: string; alg: SigningAlg }[] = [];
    for (const alg of algs) {
      const record = await newSigningKeyRecord(alg);
      await this.store.createSigningKey(record, true);
      rotated.push({ kid: record.kid, alg });
    }
    await this.reload();
    return rotated;
  }

  async reload(): Promise<void> {
    this.#lastReload = Date.now();
    const records = await this.store.listSigningKeys();
    const horizon = Date.now() - this.accessTtlSeconds * 1000;
    const verifying = new Map<string, VerificationKey>();
    const signing = new Map<SigningAlg, { kid: string; key: KeyObject }>();
    for (const r of records) {
      // A key of an algorithm this version does not know (written by a newer one) is left alone.
      if (!isSigningAlg(r.alg)) continue;
      if (r.retiredAt && r.retiredAt.getTime() < horizon) continue;
      verifying.set(r.kid, {
        kid: r.kid,
        alg: r.alg,
        key: createPublicKey({ key: r.publicJwk, format: 'jwk' }),
        retiredAt: r.retiredAt,
      });
      // records are newest first
      if (!signing.has(r.alg) && !r.retiredAt)
        signing.set(r.alg, { kid: r.kid, key: createPrivateKey({ key: r.privateJwk, format: 'jwk' }) });
    }
    this.#verifying = verifying;
    // A reload that found no active key of an algorithm (a rotation half done elsewhere) keeps the one it had.
    for (const [alg, key] of signing) this.#signing.set(alg, key);
  }

  /** The EdDSA key: Gatehouse's own tokens. */
  get signingKey(): { kid: string; key: KeyObject } {
    return this.signingKeyFor(SIGNING_ALG);
  }

  signingKeyFor(alg: SigningAlg): { kid: string; key: KeyObject } {
    const key = this.#signing.get(alg);
    if (!key) throw new Error(`no ${alg} signing key (keyring not initialised for it)`);
    return key;
  }

  /**
   * The key for a kid, with its algorithm. An unknown kid may be a key another instance just
   * created, so it triggers a reload, at most once a second.
   */
  async verificationKey(kid: string): Promise<KeyObject | null> {
    return (await this.verificationKeyWithAlg(kid))?.key ?? null;
  }

  async verificationKeyWithAlg(kid: string): Promise<{ key: KeyObject; alg: SigningAlg } | null> {
    let known = this.#verifying.get(kid);
    if (!known && Date.now() - this.#lastReload >= 1000) {
      await this.reload();
      known = this.#verifying.get(kid);
    }
    return known ? { key: known.key, alg: known.alg } : null;
  }

  /** The public JWK set, for resource servers and relying parties that verify tokens themselves. */
  jwks(): { keys: Record<string, unknown>[] } {
    return {
      keys: [...this.#verifying.values()].map((k) => ({
        ...k.key.export({ format: 'jwk' }),
        kid: k.kid,
        alg: k.alg,
        use: 'sig',
      })),
    };
  }
}
