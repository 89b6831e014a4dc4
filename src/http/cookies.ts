import type { FastifyReply, FastifyRequest } from 'fastify';

/** The browser session cookie (HttpOnly; set by the account page's sign-in). */
export const SESSION_COOKIE = 'gatehouse_session';

const COOKIE_PAIR = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`);

export const hasSessionCookie = (request: FastifyRequest): boolean =>
  COOKIE_PAIR.test(request.headers.cookie ?? '');

/**
 * Tells the browser to forget its session (SPEC §2): the cookie expires now
 * and Clear-Site-Data asks it to drop every cookie of this origin. Sent
 * whatever the outcome of the logout, so a browser never stays signed in
 * because the server had already ended (or failed to end) its session.
 */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure}`);
  reply.header('Clear-Site-Data', '"cookies"');
}
