/**
 * A web application that signs its users in through Gatehouse with openid-client (a certified
 * relying-party library), and signs them out when Gatehouse says so. docs/oidc.md quotes
 * it; test/oidc/relying-parties.test.ts and test/e2e/oidc.test.ts run two of it (apps A and
 * B) against a real Gatehouse.
 *
 *   GET  /                      who is signed in here
 *   GET  /login                 to Gatehouse (authorization code + PKCE, state, nonce)
 *   GET  /callback              back from Gatehouse: exchange the code, open a local session
 *   GET  /logout                end the local session, then Gatehouse's (RP-Initiated Logout)
 *   GET  /logged-out            where Gatehouse sends the browser afterwards (with state)
 *   POST /backchannel-logout    Gatehouse's logout_token: end the local sessions of that sid
 *
 *   ISSUER=https://id.example.com CLIENT_ID=… CLIENT_SECRET=… PORT=4000 npx tsx examples/oidc-relying-party/app.ts
 *   (ID_TOKEN_ALG=EdDSA for a client registered with --id-token-signed-response-alg EdDSA)
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as oidc from 'openid-client';

const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * Back-Channel Logout 1.0 §2.6, step by step: a JWT signed by the issuer's key, for this
 * client, recent, typed logout+jwt, with the logout event, a sid or sub, and no nonce; a jti
 * not seen before (a repeat is answered as done, not processed twice).
 */
export async function validateLogoutToken(
  token: string,
  opts: {
    issuer: string;
    clientId: string;
    /** The client's ID token algorithm: logout tokens are signed the same way. */
    algorithm: 'RS256' | 'EdDSA';
    jwks: ReturnType<typeof createRemoteJWKSet>;
    seen: Set<string>;
  },
): Promise<{ sid?: string; sub?: string; repeat: boolean }> {
  const { payload } = await jwtVerify(token, opts.jwks, {
    issuer: opts.issuer,
    audience: opts.clientId,
    typ: 'logout+jwt',
    algorithms: [opts.algorithm],
    requiredClaims: ['iat', 'exp', 'jti', 'events'],
    maxTokenAge: '5 minutes',
  });
  const events = payload.events as Record<string, unknown> | undefined;
  const event = events?.[BACKCHANNEL_LOGOUT_EVENT];
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new Error('no back-channel logout event');
  if (typeof payload.sid !== 'string' && typeof payload.sub !== 'string')
    throw new Error('neither sid nor sub');
  if ('nonce' in payload) throw new Error('a logout token must not contain a nonce');
  const jti = payload.jti as string;
  const repeat = opts.seen.has(jti);
  opts.seen.add(jti); // in production: a unique key in your database, kept for the token's lifetime
  return { sid: payload.sid as string | undefined, sub: payload.sub, repeat };
}

export interface LocalSession {
  sub: string;
  sid: string;
  idToken: string;
  claims: JWTPayload;
}

export interface RelyingParty {
  url: string;
  server: Server;
  /** Local sessions by their cookie value. */
  sessions: Map<string, LocalSession>;
  /** Every logout token received and accepted, in order. */
  logoutTokens: { sid?: string; sub?: string; repeat: boolean }[];
  /** The `state` of every return to /logged-out. */
  loggedOutStates: string[];
  close(): Promise<void>;
}

export interface RelyingPartyOptions {
  /** Also names its cookie, so two apps on one host keep theirs apart. */
  name: string;
  issuer: string;
  clientId: string;
  /** A confidential client's secret; omitted for a public client (PKCE alone). */
  clientSecret?: string;
  /** As the client was registered (`--id-token-signed-response-alg`); RS256 by default. */
  idTokenAlg?: 'RS256' | 'EdDSA';
  port?: number;
  host?: string;
}

export async function startRelyingParty(opts: RelyingPartyOptions): Promise<RelyingParty> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  // The algorithm the client was registered with: RS256 (the default, and openid-client's),
  // or EdDSA. ID tokens and logout tokens are both signed with it.
  const algorithm = opts.idTokenAlg ?? 'RS256';
  const config = await oidc.discovery(
    new URL(opts.issuer),
    opts.clientId,
    {
      id_token_signed_response_alg: algorithm,
      ...(opts.clientSecret ? { client_secret: opts.clientSecret } : {}),
    },
    opts.clientSecret ? oidc.ClientSecretBasic(opts.clientSecret) : oidc.None(),
    {
      execute: [
        // Also check each ID token's signature against the JWKS (over TLS the connection
        // already vouches for the issuer, so this is optional: OIDC Core §3.1.3.7).
        oidc.enableNonRepudiationChecks,
        // http:// is for a development issuer on this machine only.
        ...(opts.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : []),
      ],
    },
  );
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri as string));
  const cookieName = `rp_${opts.name}_session`;
  const sessions = new Map<string, LocalSession>();
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const seen = new Set<string>();
  const rp: RelyingParty = {
    url,
    server,
    sessions,
    logoutTokens: [],
    loggedOutStates: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const sessionOf = (req: IncomingMessage) => {
    const id = new RegExp(`(?:^|;\\s*)${cookieName}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
    return id ? { id, session: sessions.get(id) } : { id: undefined, session: undefined };
  };
  const page = (res: ServerResponse, status: number, text: string, more = '') =>
    res
      .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><title>${opts.name}</title><h1>${text}</h1>${more}`);

  server.on('request', async (req, res) => {
    const here = new URL(req.url ?? '/', url);
    try {
      if (req.method === 'GET' && here.pathname === '/') {
        const { session } = sessionOf(req);
        return session
          ? page(res, 200, `${opts.name}: signed in as ${session.claims.email ?? session.sub}`)
          : page(res, 200, `${opts.name}: signed out`, '<p><a href="/login">Sign in</a></p>');
      }
      if (req.method === 'GET' && here.pathname === '/login') {
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        pending.set(state, { verifier, nonce });
        const to = oidc.buildAuthorizationUrl(config, {
          redirect_uri: `${url}/callback`,
          scope: 'openid profile email',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        return res.writeHead(302, { location: to.href }).end();
      }
      if (req.method === 'GET' && here.pathname === '/callback') {
        const state = here.searchParams.get('state') ?? '';
        const checks = pending.get(state);
        pending.delete(state);
        if (!checks) return page(res, 400, 'Unknown sign-in attempt');
        if (here.searchParams.has('error'))
          return page(res, 400, `Gatehouse said: ${here.searchParams.get('error')}`);
        const tokens = await oidc.authorizationCodeGrant(config, here, {
          pkceCodeVerifier: checks.verifier,
          expectedState: state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims() as JWTPayload & { sid?: string };
        if (!claims.sid) return page(res, 400, 'The ID token has no sid');
        const id = randomBytes(16).toString('base64url');
        sessions.set(id, {
          sub: claims.sub as string,
          sid: claims.sid,
          idToken: tokens.id_token as string,
          claims,
        });
        return res
          .writeHead(302, {
            location: '/',
            'set-cookie': `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`,
          })
          .end();
      }
      if (req.method === 'GET' && here.pathname === '/logout') {
        const { id, session } = sessionOf(req);
        if (id) sessions.delete(id);
        if (!session) return res.writeHead(302, { location: '/' }).end();
        const to = oidc.buildEndSessionUrl(config, {
          id_token_hint: session.idToken,
          post_logout_redirect_uri: `${url}/logged-out`,
          state: oidc.randomState(),
        });
        return res
          .writeHead(302, { location: to.href, 'set-cookie': `${cookieName}=; Path=/; Max-Age=0` })
          .end();
      }
      if (req.method === 'GET' && here.pathname === '/logged-out') {
        rp.loggedOutStates.push(here.searchParams.get('state') ?? '');
        return page(res, 200, `${opts.name}: you have signed out`);
      }
      if (req.method === 'POST' && here.pathname === '/backchannel-logout') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const token = new URLSearchParams(body).get('logout_token');
        let logout: Awaited<ReturnType<typeof validateLogoutToken>>;
        try {
          logout = await validateLogoutToken(token ?? '', {
            issuer: opts.issuer,
            clientId: opts.clientId,
            algorithm,
            jwks,
            seen,
          });
        } catch {
          // §2.8: 400 for a token that does not validate.
          return res.writeHead(400, { 'cache-control': 'no-store' }).end();
        }
        rp.logoutTokens.push(logout);
        for (const [id, s] of sessions)
          if ((logout.sid && s.sid === logout.sid) || (!logout.sid && s.sub === logout.sub))
            sessions.delete(id);
        return res.writeHead(200, { 'cache-control': 'no-store' }).end();
      }
      return page(res, 404, 'Not found');
    } catch (err) {
      return page(res, 500, `Sign-in failed: ${(err as Error).message}`);
    }
  });
  return rp;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { ISSUER, CLIENT_ID, CLIENT_SECRET, PORT, ID_TOKEN_ALG } = process.env;
  if (!ISSUER || !CLIENT_ID)
    throw new Error('Set ISSUER and CLIENT_ID (and CLIENT_SECRET for a confidential client)');
  const rp = await startRelyingParty({
    name: 'app',
    issuer: ISSUER,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    idTokenAlg: ID_TOKEN_ALG === 'EdDSA' ? 'EdDSA' : 'RS256',
    port: Number(PORT ?? 4000),
  });
  console.log(`listening on ${rp.url}`);
}
