import { createHash } from 'node:crypto';
import type { Context } from '../domain/context.js';
import type { Session, User, UserRecord } from '../domain/model.js';
import { policyEnding } from '../domain/sessions.js';
import type { Queries } from '../domain/store.js';
import { OAuthError } from './errors.js';
import { newSecret, secretMatches, sha256 } from './secrets.js';
import type { OidcClientRecord, OidcGrant } from './store.js';
import type { OidcTokens } from './tokens.js';

/**
 * The token endpoint (RFC 6749 §3.2, OIDC Core §3.1.3) and userinfo (§5.3). Every grant is
 * tied to its Gatehouse session: once the session has ended, its codes, refresh tokens and
 * access tokens are refused, and the session's end is what the back-channel logout reports.
 */

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  id_token: string;
  refresh_token: string;
  scope: string;
}

export interface ClientCredentials {
  clientId: string | null;
  secret: string | null;
}

/**
 * The client making the request (client_secret_basic, client_secret_post, or none for a
 * public client). Any failure is the same invalid_client (401), whatever did not match.
 */
export async function authenticateClient(ctx: Context, creds: ClientCredentials): Promise<OidcClientRecord> {
  const refuse = (why: string) =>
    new OAuthError('invalid_client', `Client authentication failed: ${why}`, 401);
  if (!creds.clientId) throw refuse('no client_id');
  const client = await ctx.store.findOidcClient(creds.clientId);
  if (!client || client.removedAt) throw refuse('unknown client');
  if (client.secretHash) {
    if (creds.secret === null || !secretMatches(creds.secret, client.secretHash))
      throw refuse('wrong or missing client secret');
  } else if (creds.secret !== null) throw refuse('a public client has no secret');
  return client;
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

type Issued =
  | { error: OAuthError }
  | { grant: OidcGrant; session: Session; user: User; nonce: string | null };

export async function exchangeCode(
  ctx: Context,
  tokens: OidcTokens,
  client: OidcClientRecord,
  params: { code: string | null; redirectUri: string | null; codeVerifier: string | null },
): Promise<TokenResponse> {
  if (!params.code) throw new OAuthError('invalid_request', 'code is missing');
  const codeHash = sha256(params.code);
  const refresh = newSecret();
  const invalid = (why: string) => ({ error: new OAuthError('invalid_grant', why) });
  const result = await ctx.store.transaction(async (tx): Promise<Issued> => {
    const code = await tx.lockOidcCode(codeHash);
    if (!code || code.grant.clientId !== client.id) return invalid('Unknown authorization code');
    if (code.usedAt) {
      // RFC 6749 §4.1.2: a code used twice was stolen or replayed; what it issued is revoked.
      await tx.revokeOidcGrant(code.grant.id);
      return invalid('The authorization code was already used; the tokens it issued are revoked');
    }
    if (code.expiresAt.getTime() <= Date.now()) return invalid('The authorization code has expired');
    if (params.redirectUri !== code.redirectUri)
      return invalid('redirect_uri does not match the authorization request');
    if (code.codeChallenge !== null) {
      if (!params.codeVerifier || !pkceMatches(params.codeVerifier, code.codeChallenge))
        return invalid('PKCE verification failed: code_verifier does not match code_challenge');
    } else if (params.codeVerifier)
      return invalid('code_verifier sent, but the request had no code_challenge');
    const live = await liveGrant(ctx, tx, code.grant);
    if ('error' in live) return live;
    await tx.markOidcCodeUsed(codeHash);
    await tx.insertOidcRefreshToken(refresh.hash, code.grant.id, live.session.expiresAt);
    return { ...live, nonce: code.nonce };
  });
  if ('error' in result) throw result.error;
  return respond(tokens, client, result, refresh.value);
}

export async function refreshGrant(
  ctx: Context,
  tokens: OidcTokens,
  client: OidcClientRecord,
  params: { refreshToken: string | null; scope: string | null },
): Promise<TokenResponse> {
  if (!params.refreshToken) throw new OAuthError('invalid_request', 'refresh_token is missing');
  const hash = sha256(params.refreshToken);
  const next = newSecret();
  const invalid = (why: string) => ({ error: new OAuthError('invalid_grant', why) });
  const result = await ctx.store.transaction(async (tx): Promise<Issued> => {
    const token = await tx.lockOidcRefreshToken(hash);
    if (!token || token.grant.clientId !== client.id) return invalid('Unknown refresh token');
    if (token.rotatedAt) {
      // RFC 9700 §4.14.2: a rotated token presented again revokes the grant (this client's
      // tokens for this session); the Gatehouse session and other clients are left alone.
      await tx.revokeOidcGrant(token.grant.id);
      return invalid('The refresh token was already used; the grant is revoked');
    }
    if (token.expiresAt.getTime() <= Date.now()) return invalid('The refresh token has expired');
    if (params.scope !== null) {
      const granted = token.grant.scope.split(' ');
      if (params.scope.split(' ').some((s) => s && !granted.includes(s)))
        return { error: new OAuthError('invalid_scope', 'The scope asked for exceeds the grant') };
    }
    const live = await liveGrant(ctx, tx, token.grant);
    if ('error' in live) return live;
    await tx.markOidcRefreshTokenRotated(hash);
    await tx.insertOidcRefreshToken(next.hash, token.grant.id, live.session.expiresAt);
    // A refreshed ID token carries no nonce (OIDC Core §12.2).
    return { ...live, nonce: null };
  });
  if ('error' in result) throw result.error;
  return respond(tokens, client, result, next.value);
}

/**
 * Whether a grant still stands, and if not why: the one check behind the token endpoint and
 * userinfo. Its session counts as ended as soon as the session policy says so (past its expiry,
 * idle too long), before the sweeper has written the ending, as a Gatehouse refresh does
 * (domain/sessions.ts); and as soon as any instance has ended it, before this one reads the row.
 */
function grantStanding(
  ctx: Context,
  grant: OidcGrant | null,
  session: Session | null,
  user: UserRecord | null,
): { refused: string } | { session: Session; user: UserRecord } {
  if (!grant || grant.revokedAt) return { refused: 'The grant has been revoked' };
  if (
    !session ||
    session.endedAt ||
    ctx.revocations.isEnded(session.id) ||
    policyEnding(ctx, session, Date.now()) ||
    !user ||
    user.disabledAt
  )
    return { refused: 'The Gatehouse session has ended' };
  return { session, user };
}

/** The grant, if it and its Gatehouse session are still good; the session row locked. */
async function liveGrant(
  ctx: Context,
  tx: Queries,
  grant: OidcGrant,
): Promise<{ error: OAuthError } | { grant: OidcGrant; session: Session; user: User }> {
  const session = grant.revokedAt ? null : await tx.lockSession(grant.sessionId);
  const user = session && (await tx.findUserById(session.userId));
  const standing = grantStanding(ctx, grant, session, user);
  if ('refused' in standing) return { error: new OAuthError('invalid_grant', standing.refused) };
  return { grant, ...standing };
}

async function respond(
  tokens: OidcTokens,
  client: OidcClientRecord,
  { grant, session, user, nonce }: { grant: OidcGrant; session: Session; user: User; nonce: string | null },
  refreshToken: string,
): Promise<TokenResponse> {
  const access = await tokens.accessToken(
    {
      userId: user.id,
      sessionId: session.id,
      clientId: grant.clientId,
      grantId: grant.id,
      scope: grant.scope,
    },
    session.expiresAt,
  );
  const idToken = await tokens.idToken(
    {
      clientId: grant.clientId,
      alg: client.idTokenSignedResponseAlg,
      userId: user.id,
      sessionId: session.id,
      authTime: session.authTime,
      authMethods: session.authMethods,
      nonce,
      claims: scopedClaims(grant.scope, user),
    },
    session.expiresAt,
  );
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    id_token: idToken,
    refresh_token: refreshToken,
    scope: grant.scope,
  };
}

/** The claims each scope releases (OIDC Core §5.4): profile the name, email the address. */
export function scopedClaims(scope: string, user: Pick<User, 'name' | 'email'>): Record<string, unknown> {
  const scopes = scope.split(' ');
  return {
    ...(scopes.includes('profile') && user.name !== null ? { name: user.name } : {}),
    ...(scopes.includes('email') ? { email: user.email } : {}),
  };
}

/** OIDC Core §5.3: the user behind a valid access token whose grant and session are still live. */
export async function userinfo(
  ctx: Context,
  tokens: OidcTokens,
  accessToken: string | null,
): Promise<Record<string, unknown>> {
  const refuse = (why: string) => new OAuthError('invalid_token', why, 401);
  if (!accessToken) throw refuse('No access token');
  const claims = await tokens.verifyAccessToken(accessToken);
  if (!claims) throw refuse('Invalid or expired access token');
  if (ctx.revocations.isEnded(claims.sessionId)) throw refuse('The Gatehouse session has ended');
  // Not the API's fast path: a client's token can be revoked alone (a reused code), so ask.
  const [grant, session, user] = await Promise.all([
    ctx.store.findOidcGrant(claims.grantId),
    ctx.store.findSession(claims.sessionId),
    ctx.store.findUserById(claims.userId),
  ]);
  const standing = grantStanding(ctx, grant, session, user);
  if ('refused' in standing) throw refuse(standing.refused);
  return { sub: standing.user.id, ...scopedClaims(claims.scope, standing.user) };
}
