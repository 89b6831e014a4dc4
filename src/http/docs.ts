import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from './cookies.js';
import { DOCS_CSP, documentHeaders } from './security-headers.js';

const OPTIONAL_BODY = ['/auth/logout'];

type OpenApiPaths = Record<string, { post?: { requestBody?: { required?: boolean } } } | undefined>;

// Relative: whichever environment (local, staging, production) serves this document. Public (x-internal false).
const THIS_SERVER = {
  url: '/',
  description: 'This instance, in whatever environment serves it (local, staging or production)',
  'x-internal': false,
};

/** OpenAPI 3.1 from the route schemas, at /openapi.json, browsable (offline) at /docs. */
export async function installDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse',
        version,
        description:
          "Authentication and session service. Logged out means logged out: once POST /auth/logout answers 200, the ended sessions' tokens are refused everywhere.",
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'The operators of this Gatehouse instance' },
      },
      servers: [THIS_SERVER],
      tags: [
        { name: 'auth', description: 'Accounts, tokens and logout' },
        { name: 'sessions', description: 'Your sessions' },
        {
          name: 'account',
          description: 'The account page (/account): browser sign-in with HttpOnly cookies',
        },
        { name: 'operations', description: 'Health, readiness, keys' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'The access token from /auth/login or /auth/refresh: an EdDSA-signed JWT (typ at+jwt) valid 15 minutes, verified per RFC8725 (JSON Web Token Best Current Practices): only EdDSA is accepted (never "none", never an HMAC keyed with a public key), the type, issuer, expiry and key id are checked, and its session must not have ended.',
          },
          cookieAuth: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              "The account page's browser session, set by POST /account/login (HttpOnly, SameSite=Strict; over HTTPS Secure and named __Host-gatehouse_session). Accepted only where an operation lists it, and only without an Authorization header; unsafe methods must also come from this origin (Sec-Fetch-Site: same-origin, or a matching Origin), else 403.",
          },
        },
      },
    },
    // @fastify/swagger marks every request body required; logout also takes none (SPEC §2).
    transformObject: (documentObject) => {
      const doc =
        'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject;
      const paths = (doc as { paths?: OpenApiPaths }).paths;
      for (const path of OPTIONAL_BODY) {
        const body = paths?.[path]?.post?.requestBody;
        if (body) body.required = false;
      }
      return doc;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: DOCS_CSP,
    uiHooks: { onRequest: documentHeaders },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
