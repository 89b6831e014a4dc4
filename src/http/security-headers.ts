import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every response: the set OWASP's REST Security Cheat
 * Sheet asks of every API response, plus Cross-Origin-Resource-Policy (no
 * other site may load a response, the cookie-authenticated ones included).
 * Nothing Gatehouse sends may run anything or be framed. Set when a request
 * arrives, so errors, 404s and 429s carry them too. An HTML page sets a
 * Content-Security-Policy of its own, which replaces this one: /docs uses
 * DOCS_CSP (docs.ts).
 *
 * Built once, not per request: @fastify/helmet rebuilt its middleware on
 * every request and cost a third of /auth/me's throughput; and each header
 * costs about 0.25 µs a response to set and write, so a JSON response carries
 * no header that only a document can use (DOCUMENT_HEADERS, docs/performance.md).
 * Legacy headers (X-XSS-Protection, X-Download-Options, X-DNS-Prefetch-Control,
 * X-Permitted-Cross-Domain-Policies) are left out.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * Strict-Transport-Security, on responses to requests that arrived over HTTPS
 * only: TLS to Gatehouse itself, or `X-Forwarded-Proto: https` from a trusted
 * proxy (TRUST_PROXY), the test the account page's `Secure` cookies use.
 * RFC 6797 §7.2: a host must not send it over plain HTTP, where an attacker
 * could forge or strip it anyway (TLS is the operator's: docs/deploying.md).
 */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * What only a document uses, added by the HTML pages (/account, /docs): the
 * referrer its links and loads send, its browsing-context group, its agent
 * cluster. A JSON response loads nothing and opens nothing, and under the CSP
 * above it runs nothing even when opened as a page, so it has no use for them.
 */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
};

/** Sets SECURITY_HEADERS, and HSTS over HTTPS. */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS);
  if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
}

/** The security headers on every response, errors included. */
export const securityHeaders = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', (request, reply, done) => {
      setSecurityHeaders(request, reply);
      done();
    });
  },
  { name: 'gatehouse-security-headers', fastify: '5.x' },
);

/** onRequest hook for the routes that serve HTML pages. */
export function documentHeaders(_request: unknown, reply: FastifyReply, done: () => void): void {
  reply.headers(DOCUMENT_HEADERS);
  done();
}

/**
 * Swagger UI's page: its scripts, styles and the OpenAPI document all come
 * from this origin; nothing inline runs, nothing is sent elsewhere.
 * (No `upgrade-insecure-requests`: it would break the page on a plain-HTTP
 * development server.)
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  // Swagger UI applies one inline style of its own; its hash allows exactly that text and nothing else.
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
].join('; ');
