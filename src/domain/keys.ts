import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import type { SigningKeyRecord } from './model.js';

/** What the keyring needs from storage. */
export interface KeyStore {
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** Inserts a key if none is active (atomically across instances); returns all keys. */
  createSigningKey(
    record: Omit<SigningKeyRecord, 'createdAt' | 'retiredAt'>,
    retireOthers: boolean,
  ): Promise<void>;
}

export interface VerificationKey {
  kid: string;
  key: KeyObject;
  /** Tokens signed by a retired key stay valid until they expire, then the key is dropped. */
  retiredAt: Date | null;
}

export const SIGNING_ALG = 'EdDSA';

export function newSigningKeyRecord(): Omit<SigningKeyRecord, 'createdAt' | 'retiredAt'> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const kid = randomUUID();
  return {
    kid,
    alg: SIGNING_ALG,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: SIGNING_ALG, use: 'sig' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: SIGNING_ALG },
  };
}

/**
 * Ed25519 signing keys, shared by every instance through the database. The
 * newest unretired key signs; every key not retired for longer than one
 * access-token lifetime verifies.
 */
export class Keyring {
  #signing: { kid: string; key: KeyObject } | undefined;
  #verifying = new Map<string, VerificationKey>();
  #lastReload = 0;

  constructor(
    private readonly store: KeyStore,
    private readonly accessTtlSeconds: number,
  ) {}

  /** Loads the keys, generating the first one on a fresh database. */
  async init(): Promise<void> {
    await this.reload();
    if (!this.#signing) {
      await this.store.createSigningKey(newSigningKeyRecord(), false);
      await this.reload();
    }
    if (!this.#signing) throw new Error('no signing key could be loaded');
  }

  async rotate(): Promise<string> {
    const record = newSigningKeyRecord();
    await this.store.createSigningKey(record, true);
    await this.reload();
    return record.kid;
  }

  async reload(): Promise<void> {
    this.#lastReload = Date.now();
    const records = await this.store.listSigningKeys();
    const horizon = Date.now() - this.accessTtlSeconds * 1000;
    const verifying = new Map<string, VerificationKey>();
    let signing: { kid: string; key: KeyObject } | undefined;
    for (const r of records) {
      if (r.retiredAt && r.retiredAt.getTime() < horizon) continue;
      verifying.set(r.kid, {
        kid: r.kid,
        key: createPublicKey({ key: r.publicJwk, format: 'jwk' }),
        retiredAt: r.retiredAt,
      });
      // records are newest first
      if (!signing && !r.retiredAt)
        signing = { kid: r.kid, key: createPrivateKey({ key: r.privateJwk, format: 'jwk' }) };
    }
    this.#verifying = verifying;
    if (signing) this.#signing = signing;
  }

  get signingKey(): { kid: string; key: KeyObject } {
    if (!this.#signing) throw new Error('keyring not initialised');
    return this.#signing;
  }

  /**
   * The key for a kid. An unknown kid may be a key another instance just
   * created, so it triggers a reload, at most once a second.
   */
  async verificationKey(kid: string): Promise<KeyObject | null> {
    const known = this.#verifying.get(kid);
    if (known) return known.key;
    if (Date.now() - this.#lastReload < 1000) return null;
    await this.reload();
    return this.#verifying.get(kid)?.key ?? null;
  }

  /** The public JWK set, for resource servers that verify tokens themselves. */
  jwks(): { keys: Record<string, unknown>[] } {
    return {
      keys: [...this.#verifying.values()].map((k) => ({
        ...k.key.export({ format: 'jwk' }),
        kid: k.kid,
        alg: SIGNING_ALG,
        use: 'sig',
      })),
    };
  }
}
