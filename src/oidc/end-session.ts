import type { Context } from '../domain/context.js';
import type { RequestOrigin } from '../domain/model.js';
import { endSessions } from '../domain/session-ending.js';
import type { Query } from './authorize.js';
import { OAuthError } from './errors.js';
import type { OidcTokens } from './tokens.js';

/**
 * RP-Initiated Logout 1.0: the client sends the browser here with the ID token it holds
 * (`id_token_hint`); the Gatehouse session that token names (its `sid`) ends through the one
 * ending path (audit, webhooks, the revocation barrier, and a logout_token to every other
 * client the session signed in to), then the browser goes to the client's registered
 * post-logout URI with its `state`. A URI that is not registered for that client, exactly,
 * is an error shown here, never a redirect.
 *
 * Without an id_token_hint nothing is ended here: the request could have been forged by any
 * page, so the person is sent to the account page, where signing out is one button.
 */

export type EndSessionOutcome =
  | { kind: 'redirect'; location: string; endedSessionId: string | null }
  | { kind: 'account'; endedSessionId: string | null };

const shown = (description: string) => new OAuthError('invalid_request', description);

export async function endSession(
  ctx: Context,
  tokens: OidcTokens,
  q: Query,
  origin: RequestOrigin,
): Promise<EndSessionOutcome> {
  for (const [name, value] of Object.entries(q))
    if (typeof value !== 'string') throw shown(`The parameter ${name} must be given once`);
  const param = (name: string) =>
    typeof q[name] === 'string' && q[name] !== '' ? (q[name] as string) : null;
  const hintToken = param('id_token_hint');
  const uri = param('post_logout_redirect_uri');
  const state = param('state');

  const hint = hintToken ? await tokens.readIdTokenHint(hintToken) : null;
  if (hint === 'foreign') throw shown('id_token_hint was issued by another issuer');
  if (hintToken && !hint) throw shown('id_token_hint is not an ID token issued by this provider');
  const clientId = param('client_id') ?? hint?.clientId ?? null;
  if (hint && clientId !== hint.clientId) throw shown('client_id does not match the id_token_hint');

  let location: string | null = null;
  if (uri) {
    if (!clientId) throw shown('post_logout_redirect_uri needs client_id or id_token_hint');
    const client = await ctx.store.findOidcClient(clientId);
    if (!client || client.removedAt) throw shown('Unknown client_id');
    // Exactly as registered for this client, or no redirect at all.
    if (!client.postLogoutRedirectUris.includes(uri))
      throw shown('post_logout_redirect_uri is not registered for this client');
    const url = new URL(uri);
    if (state !== null) url.searchParams.set('state', state);
    location = url.href;
  }

  let endedSessionId: string | null = null;
  if (hint) {
    const session = await ctx.store.findSession(hint.sessionId);
    // The token's own session, of the token's own user; one already over is simply over.
    if (session && session.userId === hint.userId && !session.endedAt) {
      const ended = await endSessions(ctx, { sessionIds: [session.id] }, 'logout', {
        actorUserId: hint.userId,
        origin,
        details: { via: 'oidc_rp_initiated_logout', clientId: hint.clientId },
      });
      if (ended.length > 0) endedSessionId = session.id;
    }
  }
  if (!hint) return { kind: 'account', endedSessionId };
  return location ? { kind: 'redirect', location, endedSessionId } : { kind: 'account', endedSessionId };
}
