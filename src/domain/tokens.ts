import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { totalmem } from 'node:os';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Keyring } from './keys.js';
import { SIGNING_ALG } from './keys.js';
import type { Role, Session, User } from './model.js';

export const ISSUER = 'gatehouse';

/** Who is calling, as proven by a verified access token. */
export interface Caller {
  userId: string;
  sessionId: string;
  email: string;
  /** Whether the address was verified when the token was issued (the `email_verified` claim). */
  emailVerified: boolean;
  name: string | null;
  roles: Role[];
  sessionCreatedAt: Date;
  sessionExpiresAt: Date;
  /** The session's last password proof when the token was issued (the `auth_time` claim). */
  authTime: Date;
  /** Token expiry, epoch seconds. */
  exp: number;
  /** When the token was issued, epoch seconds (its lifetime is exp - iat). */
  iat: number;
}

export const isAdmin = (c: Pick<Caller, 'roles'>): boolean => c.roles.includes('admin');

// ---- refresh tokens: 256 random bits; only their SHA-256 is stored --------

export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/**
 * A fast hash is right here (unlike passwords): the token has 256 bits of
 * entropy, so nothing can be guessed from the hash, and a lookup by hash
 * compares digests rather than secrets, so it leaks nothing through timing.
 */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

// ---- access tokens: short-lived EdDSA JWTs naming their session -----------

interface AccessClaims {
  sid: string;
  email: string;
  email_verified: boolean; // OpenID Connect Core §5.1
  name: string | null;
  roles: Role[];
  sct: number; // session created at, epoch ms (ms so /auth/me repeats login's timestamps exactly)
  sxp: number; // session expires at, epoch ms
  auth_time: number; // OpenID Connect Core §2: the last proof of the password, epoch seconds
}

/**
 * Issues and verifies access tokens. Verifying an Ed25519 signature costs
 * ~80-150 µs, more than a whole bare Fastify request; clients send the same
 * token many times, so tokens that verified once are remembered (bounded,
 * until they expire). Revocation is not cached: callers check the session
 * against the RevocationList on every request.
 */
/**
 * How many verified tokens to remember: about 1 KB each (the token and its
 * caller), so at most 2% of the machine's memory and never more than 50,000
 * (~50 MB): 20,000 on a 1 GB server. A token that falls out is verified again.
 */
export const verifiedCacheSize = (memory = totalmem()): number =>
  Math.max(1000, Math.min(50_000, Math.floor((memory * 0.02) / 1024)));

export class AccessTokens {
  /**
   * Verified tokens by the last characters of their signature, not by the
   * whole token: a Map hashes the key it is asked for, and hashing a fresh
   * ~450-character token on every request cost about 0.7 µs of GET /auth/me.
   * A hit still compares the whole token.
   */
  readonly #verified = new Map<string, { token: string; caller: Caller }>();

  constructor(
    private readonly keys: Keyring,
    private readonly ttlSeconds: number,
    private readonly cacheSize = verifiedCacheSize(),
  ) {}

  /** Signs a token for the session; it never outlives the session. */
  /**
   * Signs a token for the session; it never outlives the session, nor
   * `notAfter` (the idle limit counted from this issuance, itself a use: so a
   * token of a session past its idle limit has expired).
   */
  async issue(
    user: User,
    session: Pick<Session, 'id' | 'createdAt' | 'expiresAt' | 'authTime'>,
    notAfter?: Date,
  ): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = Math.min(
      now + this.ttlSeconds,
      Math.floor(session.expiresAt.getTime() / 1000),
      notAfter ? Math.floor(notAfter.getTime() / 1000) : Number.POSITIVE_INFINITY,
    );
    const { kid, key } = this.keys.signingKey;
    const claims: AccessClaims = {
      sid: session.id,
      email: user.email,
      email_verified: user.emailVerified,
      name: user.name,
      roles: user.roles,
      sct: session.createdAt.getTime(),
      sxp: session.expiresAt.getTime(),
      auth_time: Math.floor(session.authTime.getTime() / 1000),
    };
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setSubject(user.id)
      .setIssuedAt(now)
      .setJti(randomUUID()) // RFC 9068: every token distinct, even two issued in one second
      .setExpirationTime(exp)
      .sign(key);
    return { token, expiresIn: exp - now };
  }

  /** The caller of a token that verified before and has not expired; synchronous, for the hot path. */
  cached(token: string): Caller | undefined {
    const key = cacheKey(token);
    const hit = this.#verified.get(key);
    if (hit?.token !== token) return undefined;
    if (hit.caller.exp > Date.now() / 1000) return hit.caller;
    this.#verified.delete(key);
    return undefined;
  }

  /** The caller a token proves, or null for anything not a valid, unexpired token of ours. */
  async verify(token: string): Promise<Caller | null> {
    const hit = this.cached(token);
    if (hit) return hit;
    const caller = await this.#verifySignature(token);
    if (caller) this.#remember(token, caller);
    return caller;
  }

  async #verifySignature(token: string): Promise<Caller | null> {
    if (token.length > 4096) return null;
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== SIGNING_ALG || header.typ !== 'at+jwt' || typeof header.kid !== 'string')
        return null;
      kid = header.kid;
    } catch {
      return null;
    }
    const key = await this.keys.verificationKey(kid);
    if (!key) return null;
    try {
      const { payload: p } = await jwtVerify(token, key, {
        algorithms: [SIGNING_ALG],
        issuer: ISSUER,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
      });
      if (
        typeof p.sub !== 'string' ||
        typeof p.sid !== 'string' ||
        typeof p.email !== 'string' ||
        !Array.isArray(p.roles) ||
        typeof p.sct !== 'number' ||
        typeof p.sxp !== 'number' ||
        typeof p.auth_time !== 'number' ||
        typeof p.exp !== 'number' ||
        typeof p.iat !== 'number'
      )
        return null;
      return {
        userId: p.sub,
        sessionId: p.sid,
        email: p.email,
        // Tokens issued before the claim existed: not verified (as the account was not, then).
        emailVerified: p.email_verified === true,
        name: typeof p.name === 'string' ? p.name : null,
        roles: p.roles as Role[],
        sessionCreatedAt: new Date(p.sct),
        sessionExpiresAt: new Date(p.sxp),
        authTime: new Date(p.auth_time * 1000),
        exp: p.exp,
        iat: p.iat,
      };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }

  #remember(token: string, caller: Caller): void {
    if (this.#verified.size >= this.cacheSize) {
      // Evict the oldest entry (Map iterates in insertion order).
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(cacheKey(token), { token, caller });
  }
}

/** The last 32 characters of the signature (24 of its 64 bytes): no two tokens signed here share them. */
const cacheKey = (token: string): string => token.slice(-32);
