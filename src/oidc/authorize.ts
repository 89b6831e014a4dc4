import { randomUUID } from 'node:crypto';
import type { Context } from '../domain/context.js';
import { policyEnding } from '../domain/sessions.js';
import { OAuthError } from './errors.js';
import { newSecret } from './secrets.js';
import type { OidcClientRecord } from './store.js';
import type { AuthorizationRequest, OidcTokens } from './tokens.js';

/**
 * The authorization endpoint's decisions (OIDC Core §3.1.2, RFC 7636), in the order the
 * protocol asks: first whether the client and redirect URI are registered — until both are,
 * an error is shown here and never redirected (RFC 6749 §4.1.2.1), so no request can make
 * Gatehouse send a browser to an address its operator did not register — then everything
 * else, answered to that registered URI.
 */

export const SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
/** How long an authorization code may wait for its exchange (RFC 6749 §4.1.2: short). */
export const CODE_TTL_MS = 60_000;
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

export type Query = Record<string, unknown>;

export type CheckedRequest =
  | { ok: true; request: AuthorizationRequest; client: OidcClientRecord }
  /** `redirectUri` null: the error is shown to the person, not sent to the client. */
  | { ok: false; error: OAuthError; redirectUri: string | null; state: string | null };

const text = (q: Query, name: string): string | null => {
  const v = q[name];
  return typeof v === 'string' && v !== '' ? v : null;
};

export async function checkAuthorizationRequest(ctx: Context, q: Query): Promise<CheckedRequest> {
  const shown = (description: string): CheckedRequest => ({
    ok: false,
    error: new OAuthError('invalid_request', description),
    redirectUri: null,
    state: null,
  });
  // A parameter given twice is refused (RFC 6749 §3.1), before it can be read either way.
  for (const [name, value] of Object.entries(q))
    if (typeof value !== 'string') return shown(`The parameter ${name} must be given once`);
  const clientId = text(q, 'client_id');
  if (!clientId) return shown('client_id is missing');
  const client = await ctx.store.findOidcClient(clientId);
  if (!client || client.removedAt) return shown('Unknown client_id');
  const redirectUri = text(q, 'redirect_uri');
  if (!redirectUri) return shown('redirect_uri is missing (OpenID Connect requires it)');
  // Exactly as registered: no prefix, no normalisation.
  if (!client.redirectUris.includes(redirectUri))
    return shown('redirect_uri is not registered for this client');

  const state = text(q, 'state');
  const refuse = (error: OAuthError): CheckedRequest => ({ ok: false, error, redirectUri, state });
  const invalid = (description: string) => refuse(new OAuthError('invalid_request', description));

  if (q.request !== undefined)
    return refuse(new OAuthError('request_not_supported', 'Request objects are not supported'));
  if (q.request_uri !== undefined)
    return refuse(new OAuthError('request_uri_not_supported', 'request_uri is not supported'));
  if (text(q, 'response_type') !== 'code')
    return refuse(
      new OAuthError(
        'unsupported_response_type',
        'Only the authorization code flow (response_type=code) is supported',
      ),
    );
  const mode = text(q, 'response_mode');
  if (mode !== null && mode !== 'query') return invalid('Only response_mode=query is supported');

  const scopes = (text(q, 'scope') ?? '').split(' ').filter(Boolean);
  if (!scopes.includes('openid'))
    return refuse(new OAuthError('invalid_scope', 'The scope must include openid'));
  const scope = scopes.filter((s) => (SCOPES as readonly string[]).includes(s)).join(' ');

  const challenge = text(q, 'code_challenge');
  const method = text(q, 'code_challenge_method');
  if (challenge === null) {
    // RFC 7636 / RFC 9700 §2.1.1: a public client has no secret, so PKCE is its only proof.
    if (!client.secretHash)
      return invalid('PKCE is required: send code_challenge with code_challenge_method=S256');
    if (method !== null) return invalid('code_challenge_method without code_challenge');
  } else {
    // An absent method means "plain" (RFC 7636 §4.3), which is refused like an explicit one.
    if (method !== 'S256') return invalid('code_challenge_method must be S256 (plain is not supported)');
    if (!CODE_CHALLENGE.test(challenge)) return invalid('code_challenge is not a valid S256 challenge');
  }

  const prompts = (text(q, 'prompt') ?? '').split(' ').filter(Boolean);
  if (prompts.some((p) => !PROMPTS.has(p))) return invalid('Unsupported prompt value');
  if (prompts.includes('none') && prompts.length > 1) return invalid('prompt=none cannot be combined');

  let maxAge: number | null = null;
  const rawMaxAge = text(q, 'max_age');
  if (rawMaxAge !== null) {
    if (!/^\d{1,9}$/.test(rawMaxAge)) return invalid('max_age must be a whole number of seconds');
    maxAge = Number(rawMaxAge);
  }
  const nonce = text(q, 'nonce');
  if ((state?.length ?? 0) > 2048 || (nonce?.length ?? 0) > 512) return invalid('state or nonce is too long');

  return {
    ok: true,
    client,
    request: {
      clientId,
      redirectUri,
      scope,
      state,
      nonce,
      codeChallenge: challenge,
      none: prompts.includes('none'),
      login: prompts.includes('login') || prompts.includes('select_account'),
      maxAge,
    },
  };
}

/** The browser's Gatehouse session, as its session cookie proves it (already checked against revocations). */
export interface BrowserSession {
  sessionId: string;
  userId: string;
}

export type AuthorizeOutcome =
  | { kind: 'redirect'; location: string }
  /** Through the account page: `fresh` a new sign-in is needed; `silent` prompt=none, sign-in impossible. */
  | { kind: 'sign-in'; fresh: boolean; silent: boolean };

/**
 * What to do with a valid request: a code for the session, an error, or a trip through the
 * account page. `startedAt` (ms) is when the request first arrived, for a request coming back
 * from that page: a sign-in at or after it satisfies prompt=login and max_age.
 */
export async function authorize(
  ctx: Context,
  tokens: OidcTokens,
  request: AuthorizationRequest,
  browser: BrowserSession | null,
  startedAt: number | null,
): Promise<AuthorizeOutcome> {
  const loginRequired = () =>
    ({
      kind: 'redirect',
      location: authorizationResponse(tokens.issuer, request.redirectUri, {
        error: 'login_required',
        error_description: 'The user is not signed in (prompt=none)',
        state: request.state,
      }),
    }) as const;
  if (!browser) {
    // A cookie is not sent on a cross-site arrival (SameSite=Strict): the account page, on our
    // own origin, can still see the session, so even prompt=none goes there once.
    if (request.none)
      return startedAt === null ? { kind: 'sign-in', fresh: false, silent: true } : loginRequired();
    return { kind: 'sign-in', fresh: startedAt !== null, silent: false };
  }
  const code = newSecret();
  const issued = await ctx.store.transaction(async (tx) => {
    // Locked, so an ending either comes before (we see it) or after (it sees the grant).
    const session = await tx.lockSession(browser.sessionId);
    const now = Date.now();
    if (!session || session.endedAt || session.userId !== browser.userId || policyEnding(ctx, session, now))
      return 'no-session' as const;
    const authTime = session.authTime.getTime();
    const signedInSince = startedAt !== null && authTime >= startedAt;
    if (request.login && !signedInSince) return 'login' as const;
    if (request.maxAge !== null && now - authTime > request.maxAge * 1000 && !signedInSince)
      return 'login' as const;
    const grantId = randomUUID();
    await tx.insertOidcGrant({
      id: grantId,
      clientId: request.clientId,
      sessionId: session.id,
      userId: session.userId,
      scope: request.scope,
    });
    await tx.insertOidcCode({
      hash: code.hash,
      grantId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce,
      expiresAt: new Date(now + CODE_TTL_MS),
    });
    return 'issued' as const;
  });
  if (issued === 'issued')
    return {
      kind: 'redirect',
      location: authorizationResponse(tokens.issuer, request.redirectUri, {
        code: code.value,
        state: request.state,
      }),
    };
  if (request.none) return loginRequired();
  return { kind: 'sign-in', fresh: issued === 'login' || startedAt !== null, silent: false };
}

/**
 * The registered redirect URI with the response added to its query (its own query kept, as
 * registered), and `iss` (RFC 9207) so a client can tell which provider answered.
 */
export function authorizationResponse(
  issuer: string,
  redirectUri: string,
  params: Record<string, string | null>,
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  url.searchParams.set('iss', issuer);
  return url.href;
}
