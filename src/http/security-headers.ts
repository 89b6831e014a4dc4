import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every response (@fastify/helmet), set when a request
 * arrives so that errors, 404s and 429s carry them too. Gatehouse answers
 * JSON: nothing it sends may load or run anything, or be framed. An HTML
 * page sets a Content-Security-Policy of its own in its handler, which
 * replaces this one: /docs uses DOCS_CSP (docs.ts).
 */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    // Browsers ignore HSTS over plain HTTP; behind TLS it pins HTTPS (docs/security.md: TLS is the operator's).
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
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
