import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LogoutPlan } from '../domain/logout.js';

/**
 * The account page's browser session (docs/account-page.md). Two HttpOnly,
 * SameSite=Strict cookies:
 *
 *   gatehouse_session   the access token (a JWT), Path=/, lives as long as the token;
 *                       accepted in place of `Authorization: Bearer` by the routes wired to it
 *   gatehouse_refresh   the refresh token, Path=/account/refresh, so the browser sends it
 *                       to that one endpoint only
 *
 * Over HTTPS (TLS here, or X-Forwarded-Proto from a trusted proxy) both are
 * `Secure` and named with the `__Host-` prefix, which browsers accept only
 * from a secure origin, with Path=/ and no Domain: a sibling subdomain or a
 * plain-http page cannot plant or overwrite them (a planted session would sign
 * the victim into the attacker's account). The prefix requires Path=/, so
 * there the refresh cookie travels with every request to this origin (only
 * /account/refresh reads it). On plain http (development on localhost) they
 * keep the bare names, as browsers refuse prefixed cookies there.
 *
 * They are the same tokens a bearer client holds, so a cookie session ends
 * the same way (POST /auth/logout, the revocation list) and gets 401 at once.
 */
export const SESSION_COOKIE = 'gatehouse_session';
export const REFRESH_COOKIE = 'gatehouse_refresh';
export const REFRESH_COOKIE_PATH = '/account/refresh';
const SECURE_PREFIX = '__Host-';

interface CookieNames {
  session: string;
  refresh: string;
  refreshPath: string;
  secure: boolean;
}

const PLAIN: CookieNames = {
  session: SESSION_COOKIE,
  refresh: REFRESH_COOKIE,
  refreshPath: REFRESH_COOKIE_PATH,
  secure: false,
};
const SECURE: CookieNames = {
  session: SECURE_PREFIX + SESSION_COOKIE,
  refresh: SECURE_PREFIX + REFRESH_COOKIE,
  refreshPath: '/',
  secure: true,
};

/** The cookies of this request's scheme: prefixed and Secure over HTTPS, bare on plain http. */
export const cookieNames = (request: FastifyRequest): CookieNames =>
  request.protocol === 'https' ? SECURE : PLAIN;

const PAIRS = {
  plain: new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`),
  secure: new RegExp(`(?:^|;\\s*)${SECURE_PREFIX}${SESSION_COOKIE}=`),
};

export const hasSessionCookie = (request: FastifyRequest): boolean =>
  (cookieNames(request).secure ? PAIRS.secure : PAIRS.plain).test(request.headers.cookie ?? '');

/** The value of one cookie of the request, or undefined (an empty value counts as absent). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** `maxAge` null: a browser-session cookie (no Max-Age), gone when the browser closes. */
function cookie(
  names: CookieNames,
  name: string,
  value: string,
  path: string,
  maxAge: number | null,
): string {
  const secure = names.secure ? '; Secure' : '';
  const age = maxAge === null ? '' : `; Max-Age=${maxAge}`;
  return `${name}=${value}; Path=${path}${age}; HttpOnly; SameSite=Strict${secure}`;
}

/**
 * Hands the browser a new token pair (sign-in, refresh); the tokens never reach page script.
 * A "remember": false session gets browser-session cookies (docs/api.md §7): closing the browser
 * forgets them, and the session itself still ends after SESSION_SHORT_TTL.
 */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  tokens: {
    accessToken: string;
    expiresIn: number;
    refreshToken: string;
    refreshExpiresIn: number;
    persistent: boolean;
  },
): void {
  const names = cookieNames(request);
  const age = (seconds: number) => (tokens.persistent ? seconds : null);
  reply.header('Set-Cookie', [
    cookie(names, names.session, tokens.accessToken, '/', age(tokens.expiresIn)),
    cookie(names, names.refresh, tokens.refreshToken, names.refreshPath, age(tokens.refreshExpiresIn)),
  ]);
}

/**
 * Tells the browser to forget its session (docs/api.md §2): both cookies expire now
 * and Clear-Site-Data asks it to drop every cookie of this origin. Sent
 * whatever the outcome of the logout, so a browser never stays signed in
 * because the server had already ended (or failed to end) its session.
 */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const names = cookieNames(request);
  reply.header('Set-Cookie', [
    cookie(names, names.session, '', '/', 0),
    cookie(names, names.refresh, '', names.refreshPath, 0),
  ]);
  reply.header('Clear-Site-Data', '"cookies"');
}

/**
 * Whether a logout answer means this browser's own session is over, so its cookies go: a 401
 * (it already was), or a plan (the route's one decision, domain/logout.ts) that names this
 * session — even when ending it then failed (docs/api.md §2). A request refused before it was
 * planned (400, 403, 404, 409, 422) changed nothing and keeps the browser signed in, and so
 * does signing out another device (scope "others", another sessionId).
 */
export function logoutEndsBrowserSession(plan: LogoutPlan | null, statusCode: number): boolean {
  if (statusCode === 401) return true;
  return plan?.endsCallerSession === true;
}
