import { randomUUID } from 'node:crypto';
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type Keyring, SIGNING_ALG, type SigningAlg } from '../domain/keys.js';
import type { ProofMethod } from '../domain/model.js';
import { amrValues } from './amr.js';

/**
 * The JWTs of the OpenID Provider, signed with Gatehouse's own keys (all published at
 * /.well-known/jwks.json, so relying parties need no second key set):
 *
 *   ID token        typ JWT         OIDC Core §2: sub, sid, auth_time, nonce, amr, aud = client;
 *                                   RS256 or EdDSA, the client's id_token_signed_response_alg
 *   access token    typ at+jwt      RFC 9068, for /oidc/userinfo only; iss is the issuer URL, so
 *                                   Gatehouse's API (which wants iss "gatehouse") refuses it; EdDSA
 *   logout token    typ logout+jwt  Back-Channel Logout 1.0 §2.4, signed when it is sent, with the
 *                                   client's ID token algorithm (§2.4: the same keys as ID tokens)
 *   interaction     typ gh-oidc-interaction+jwt  the authorization request, carried through
 *                                   the account page's sign-in and back (ten minutes); EdDSA
 */

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** How long a logout token is valid: it is signed the moment it is sent, so two minutes is plenty. */
export const LOGOUT_TOKEN_TTL = 120;
const INTERACTION_TTL = 600;
const INTERACTION_TYP = 'gh-oidc-interaction+jwt';

/** What a validated authorization request asks for (authorize.ts). */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  /** prompt=none: answer without any page. */
  none: boolean;
  /** prompt=login: a sign-in made after this request. */
  login: boolean;
  maxAge: number | null;
}

export interface IdTokenInput {
  clientId: string;
  /** The client's id_token_signed_response_alg. */
  alg: SigningAlg;
  userId: string;
  sessionId: string;
  authTime: Date;
  /** What the session was proven by at authTime (Session.authMethods). */
  authMethods: readonly ProofMethod[] | null;
  nonce: string | null;
  claims: Record<string, unknown>;
}

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  clientId: string;
  grantId: string;
  scope: string;
}

export class OidcTokens {
  constructor(
    readonly issuer: string,
    private readonly keys: Keyring,
    /** Lifetime of ID and access tokens, seconds (ACCESS_TOKEN_TTL). */
    readonly ttl: number,
  ) {}

  async idToken(input: IdTokenInput, notAfter: Date): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const amr = amrValues(input.authMethods);
    return this.#sign(
      {
        ...input.claims,
        sid: input.sessionId,
        auth_time: Math.floor(input.authTime.getTime() / 1000),
        ...(amr ? { amr } : {}),
        azp: input.clientId,
        ...(input.nonce !== null ? { nonce: input.nonce } : {}),
      },
      'JWT',
      { sub: input.userId, aud: input.clientId, iat: now, exp: this.#exp(now, notAfter) },
      input.alg,
    );
  }

  async accessToken(c: AccessTokenClaims, notAfter: Date): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = this.#exp(now, notAfter);
    const token = await this.#sign(
      { sid: c.sessionId, client_id: c.clientId, scope: c.scope, gid: c.grantId },
      'at+jwt',
      {
        sub: c.userId,
        aud: `${this.issuer}/oidc/userinfo`,
        iat: now,
        exp,
        jti: randomUUID(),
      },
    );
    return { token, expiresIn: exp - now };
  }

  /** The claims of one of our access tokens, or null for anything else (wrong issuer, type, signature, expired). */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
    const payload = await this.#verify(token, 'at+jwt', `${this.issuer}/oidc/userinfo`);
    if (
      !payload ||
      typeof payload.sub !== 'string' ||
      typeof payload.sid !== 'string' ||
      typeof payload.client_id !== 'string' ||
      typeof payload.gid !== 'string' ||
      typeof payload.scope !== 'string'
    )
      return null;
    return {
      userId: payload.sub,
      sessionId: payload.sid,
      clientId: payload.client_id,
      grantId: payload.gid,
      scope: payload.scope,
    };
  }

  /**
   * Back-Channel Logout 1.0 §2.4: iss, aud, iat, exp, jti, events, sid and sub; never a nonce.
   * `jti` is the outbox event's id, the same on every retry, so a relying party can drop a repeat.
   */
  logoutToken(input: {
    clientId: string;
    /** The client's ID token algorithm: a relying party checks both alike (§2.6). */
    alg: SigningAlg;
    userId: string;
    sessionId: string;
    jti: string;
  }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.#sign(
      { sid: input.sessionId, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } },
      'logout+jwt',
      { sub: input.userId, aud: input.clientId, iat: now, exp: now + LOGOUT_TOKEN_TTL, jti: input.jti },
      input.alg,
    );
  }

  /** The authorization request, signed, for the trip through the account page; `startedAt` in ms. */
  interaction(request: AuthorizationRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.#sign({ req: request, started: Date.now() }, INTERACTION_TYP, {
      aud: this.issuer,
      iat: now,
      exp: now + INTERACTION_TTL,
    });
  }

  async readInteraction(token: string): Promise<{ request: AuthorizationRequest; startedAt: number } | null> {
    const payload = await this.#verify(token, INTERACTION_TYP, this.issuer);
    if (!payload || typeof payload.started !== 'number' || typeof payload.req !== 'object' || !payload.req)
      return null;
    return { request: payload.req as AuthorizationRequest, startedAt: payload.started };
  }

  /**
   * An `id_token_hint` (RP-Initiated Logout §2): an ID token we issued, expired or not.
   * 'foreign' when another issuer made it, null when it is not one of ours at all.
   */
  async readIdTokenHint(
    token: string,
  ): Promise<{ clientId: string; userId: string; sessionId: string } | 'foreign' | null> {
    let claims: JWTPayload;
    let header: { kid?: unknown; typ?: unknown };
    try {
      claims = decodeJwt(token);
      header = decodeProtectedHeader(token);
    } catch {
      return null;
    }
    if (claims.iss !== this.issuer) return 'foreign';
    // An ID token, not one of the other tokens this issuer signs (an access or logout token
    // also names a session, and is held by the same clients).
    const kid = header.kid;
    if (typeof kid !== 'string' || header.typ !== 'JWT') return null;
    const found = await this.keys.verificationKeyWithAlg(kid);
    if (!found) return null;
    try {
      // Signature only: an expired ID token is still a good hint (the spec allows it). With
      // the algorithm of the key it names, whichever of the two the client's ID tokens use.
      await compactVerify(token, found.key, { algorithms: [found.alg] });
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (typeof aud !== 'string' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string')
      return null;
    return { clientId: aud, userId: claims.sub, sessionId: claims.sid };
  }

  /** Never past the session's own end. */
  #exp(now: number, notAfter: Date): number {
    return Math.max(now + 1, Math.min(now + this.ttl, Math.floor(notAfter.getTime() / 1000)));
  }

  #sign(
    claims: Record<string, unknown>,
    typ: string,
    registered: { sub?: string; aud: string; iat: number; exp: number; jti?: string },
    alg: SigningAlg = SIGNING_ALG,
  ): Promise<string> {
    const { kid, key } = this.keys.signingKeyFor(alg);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg, kid, typ })
      .setIssuer(this.issuer)
      .setAudience(registered.aud)
      .setIssuedAt(registered.iat)
      .setExpirationTime(registered.exp);
    if (registered.sub) jwt.setSubject(registered.sub);
    if (registered.jti) jwt.setJti(registered.jti);
    return jwt.sign(key);
  }

  async #verify(token: string, typ: string, audience: string): Promise<JWTPayload | null> {
    if (token.length > 8192) return null;
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return null;
    }
    if (typeof kid !== 'string') return null;
    const key = await this.keys.verificationKey(kid);
    if (!key) return null;
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [SIGNING_ALG],
        issuer: this.issuer,
        audience,
        typ,
      });
      return payload;
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}
