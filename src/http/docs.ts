import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './cookies.js';
import { FACTOR_REQUEST_EXAMPLES } from './factor-examples.js';
import { ICON } from './icon.js';
import { ERROR_RESPONSES, ErrorEnvelope, REQUEST_EXAMPLES } from './schemas.js';
import { DOCS_CSP, documentHeaders } from './security-headers.js';

const OPTIONAL_BODY = ['logout'];

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, { summary: string; value: unknown }>;
}
interface Operation {
  operationId?: string;
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}
type Paths = Record<string, Record<string, Operation>>;

const ENVELOPE_REF = `#/components/schemas/${ErrorEnvelope.$id}`;

/**
 * What the route schemas cannot say (@fastify/swagger drops anything beside a
 * $ref, and marks every request body required): each error response's
 * description and example by status, each request body's named examples, and
 * logout's body as optional (docs/api.md §2).
 */
function completeOperations(paths: Paths): void {
  for (const operations of Object.values(paths))
    for (const op of Object.values(operations)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const media = response.content?.['application/json'];
        const documented = ERROR_RESPONSES[status];
        if (media?.schema?.$ref !== ENVELOPE_REF || !documented) continue;
        response.description = documented.description;
        media.example = documented.example;
      }
      const id = op.operationId ?? '';
      const media = op.requestBody?.content?.['application/json'];
      // A route's examples, and (reauthentication) those of its second-factor forms.
      const both = { ...REQUEST_EXAMPLES[id], ...FACTOR_REQUEST_EXAMPLES[id] };
      const examples = Object.keys(both).length > 0 ? both : undefined;
      if (media && examples) media.examples = examples;
      if (op.requestBody && OPTIONAL_BODY.includes(id)) op.requestBody.required = false;
    }
}

// Relative: whichever environment (local, staging, production) serves this document. Public (x-internal false).
const THIS_SERVER = {
  url: '/',
  description: 'This instance, in whatever environment serves it (local, staging or production)',
  'x-internal': false,
};

const DESCRIPTION = [
  "Authentication and session service. Logged out means logged out: once POST /auth/logout answers 200, the ended sessions' tokens are refused everywhere.",
  '',
  'Every error is the envelope ErrorEnvelope {message, description, code}. Every operation can answer 500 (the description names a request id for the operator) and 503 (with Retry-After: the database or the revocation feed is unreachable, or this instance is shutting down); the credential endpoints and /auth/events can answer 429 (with Retry-After).',
  '',
  "Not in this document, on purpose: GET /metrics (Prometheus text format for the operator's scraper, not an API for clients; keep it on the internal network), GET /account and its script and stylesheet (the HTML account page, a browser UI built on the operations below), and /docs and /openapi.json themselves.",
].join('\n');

export interface ApiDocsOptions {
  version: string;
  /** ACCESS_TOKEN_TTL, seconds: the document states the configured lifetime, not a fixed one. */
  accessTokenTtl: number;
}

/**
 * OpenAPI 3.1 from the route schemas, at /openapi.json, browsable (offline) at /docs.
 * Registered before any route: @fastify/swagger collects routes as they are added.
 */
export const apiDocs = fp(
  async (app: FastifyInstance, { version, accessTokenTtl }: ApiDocsOptions) =>
    installDocs(app, version, accessTokenTtl),
  { name: 'gatehouse-api-docs', fastify: '5.x', dependencies: ['gatehouse-component-schemas'] },
);

async function installDocs(app: FastifyInstance, version: string, accessTokenTtl: number): Promise<void> {
  await app.register(swagger, {
    // Named schemas (app.addSchema, schemas.ts) become components/schemas/<their $id>, not def-0, def-1…
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse',
        version,
        description: DESCRIPTION,
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'The operators of this Gatehouse instance' },
      },
      servers: [THIS_SERVER],
      tags: [
        { name: 'auth', description: 'Accounts, tokens and logout' },
        { name: 'sessions', description: 'Your sessions' },
        { name: 'factors', description: 'Second factors: TOTP and recovery codes (docs/api.md §8)' },
        { name: 'passkeys', description: 'Passkeys (WebAuthn): register, list, rename, delete, sign in' },
        {
          name: 'recovery',
          description: 'Email verification, forgotten passwords and email change, by mailed single-use links',
        },
        {
          name: 'account',
          description: 'The account page (/account): browser sign-in with HttpOnly cookies',
        },
        { name: 'operations', description: 'Health, readiness, keys' },
        {
          name: 'openid',
          description: 'OpenID Provider (OIDC_ISSUER): sign-in and single logout for other applications',
        },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: `The access token from /auth/login or /auth/refresh: an EdDSA-signed JWT (typ at+jwt) valid ${accessTokenTtl} seconds (ACCESS_TOKEN_TTL), verified per RFC8725 (JSON Web Token Best Current Practices): only EdDSA is accepted (never "none", never an HMAC keyed with a public key), the type, issuer, expiry and key id are checked, and its session must not have ended.`,
          },
          cookieAuth: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'The account page\'s browser session, set by POST /account/login as an HttpOnly, SameSite=Strict cookie (over HTTPS also Secure, and named __Host-gatehouse_session). HttpOnly means no script can read or write it: it cannot be pasted into Authorize on this page, and a value typed there is not sent. The browser sends it by itself: sign in at /account in this browser and "Try it out" here (same origin) is signed in as you, as long as bearerAuth is left empty. Accepted only where an operation lists it, and only without an Authorization header; unsafe methods must also come from this origin (Sec-Fetch-Site: same-origin, or a matching Origin), else 403.',
          },
        },
      },
    },
    transformObject: (documentObject) => {
      const doc =
        'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      completeOperations((doc as { paths?: Paths }).paths ?? {});
      return doc;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Gatehouse's page: its own title and icon; BaseLayout has no top bar (no logo, no "Explore" box
    // that would load any URL typed into it). Everything is still served from here (offline).
    theme: {
      title: 'Gatehouse API',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: ICON }],
    },
    logo: { type: 'image/svg+xml', content: ICON },
    uiConfig: { layout: 'BaseLayout', deepLinking: true, defaultModelsExpandDepth: 0 },
    staticCSP: DOCS_CSP,
    uiHooks: { onRequest: documentHeaders },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
