import type { FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/**
 * Protects the routes of your own API with Gatehouse access tokens.
 *
 * - mode "ask" (recommended): forwards the bearer token to Gatehouse's
 *   GET /auth/me. Gatehouse answers from memory (no database round-trip), so
 *   this costs one local HTTP call and honours logouts at once.
 * - mode "local": verifies the signature with Gatehouse's JWKS and never
 *   calls it. Cheapest, but a logged-out token keeps working here until it
 *   expires (ACCESS_TOKEN_TTL, 15 minutes by default): use it only where that
 *   is acceptable.
 *
 * When Gatehouse cannot answer (down, unreachable, slower than `timeoutMs`,
 * or itself 503), the request gets 503 with Retry-After: never "allowed",
 * and never a request left hanging on a dead connection.
 */
export interface GuardOptions {
  gatehouseUrl: string;
  mode: 'ask' | 'local';
  /** Mode "ask": how long to wait for Gatehouse before answering 503 (default 2000 ms). */
  timeoutMs?: number;
}

export interface GatehouseUser {
  userId: string;
  sessionId: string;
  email: string;
  roles: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    gatehouseUser?: GatehouseUser;
  }
}

const unauthorized = (reply: FastifyReply, description: string) =>
  reply
    .code(401)
    .header('WWW-Authenticate', 'Bearer error="invalid_token"')
    .send({ message: 'Unauthorized', description, code: 'UNAUTHORIZED' });

const unavailable = (reply: FastifyReply, description: string) =>
  reply
    .code(503)
    .header('Retry-After', '1')
    .send({ message: 'Service unavailable', description, code: 'SERVICE_UNAVAILABLE' });

export function gatehouseGuard({ gatehouseUrl, mode, timeoutMs = 2000 }: GuardOptions) {
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', gatehouseUrl));

  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return unauthorized(reply, 'Missing bearer token');

    if (mode === 'local') {
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer: 'gatehouse', typ: 'at+jwt' });
        request.gatehouseUser = {
          userId: String(payload.sub),
          sessionId: String(payload.sid),
          email: String(payload.email),
          roles: (payload.roles as string[]) ?? [],
        };
        return;
      } catch {
        return unauthorized(reply, 'Invalid or expired bearer token');
      }
    }

    let me: { user: { id: string; email: string; roles: string[] }; session: { id: string } };
    try {
      // The timeout covers the body too: a stalled response is as unavailable as no response.
      const res = await fetch(new URL('/auth/me', gatehouseUrl), {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.status === 401) return unauthorized(reply, 'Invalid, expired or ended session');
      if (!res.ok) return unavailable(reply, `Cannot check the token: Gatehouse answered ${res.status}`);
      me = (await res.json()) as typeof me;
    } catch (err) {
      const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
      return unavailable(
        reply,
        timedOut
          ? `Cannot check the token: Gatehouse did not answer within ${timeoutMs} ms`
          : 'Cannot check the token: Gatehouse is unreachable',
      );
    }
    request.gatehouseUser = {
      userId: me.user.id,
      sessionId: me.session.id,
      email: me.user.email,
      roles: me.user.roles,
    };
  };
}
