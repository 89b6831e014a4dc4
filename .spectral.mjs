import owasp from '@stoplight/spectral-owasp-ruleset';
import { oas } from '@stoplight/spectral-rulesets';

/**
 * Spectral ruleset for Gatehouse's OpenAPI document (`npm run lint:openapi`,
 * which lints the document GET /openapi.json serves). Spectral's OpenAPI
 * rules and the OWASP API Security Top 10 (2023) rules apply as recommended.
 * A rule is narrowed or turned off below only where it does not apply, and
 * each says why. Everything else the lint found was fixed in src/http/.
 */

const rule = (name) => owasp.rules[name];

/** The operations Gatehouse rate limits: every one that takes credentials (src/http/rate-limits.ts). */
const RATE_LIMITED =
  '$.paths[?(@property.match(/^\\/(auth\\/(register|login|refresh|revoke|password)|account\\/(login|refresh)|oidc\\/token)$/))][*]';

export default {
  extends: [
    [oas, 'recommended'],
    [owasp, 'recommended'],
  ],
  rules: {
    // Only the credential endpoints are rate limited, and they document X-RateLimit-* on every 2xx and
    // 4xx. The others need no limit of Gatehouse's own: a bearer check is two Map lookups and no I/O,
    // and the operator's proxy is where request floods are stopped (docs/security.md).
    'owasp:api4:2023-rate-limit': {
      ...rule('owasp:api4:2023-rate-limit'),
      given: `${RATE_LIMITED}.responses[?(@property.match(/^(2|4)/))]`,
    },
    // Same reason: an operation that is not rate limited never answers 429, so it does not document one.
    'owasp:api4:2023-rate-limit-responses-429': {
      ...rule('owasp:api4:2023-rate-limit-responses-429'),
      given: `${RATE_LIMITED}.responses`,
    },
    // 401 is documented wherever it can happen: on every operation that takes a token (has `security`).
    // Public operations (register, login, revoke, health, readiness, keys) never answer 401 for lack of one.
    'owasp:api8:2023-define-error-responses-401': {
      ...rule('owasp:api8:2023-define-error-responses-401'),
      given: '$.paths[*][?(@.security && @.security.length > 0)].responses',
    },
    // 400/422 are documented wherever there is input to refuse: every operation with a request body.
    // The GET operations take no body, query or path parameter.
    'owasp:api8:2023-define-error-validation': {
      ...rule('owasp:api8:2023-define-error-validation'),
      given: '$.paths[*][?(@.requestBody)].responses',
    },
    // Strings a client sends have a format or pattern where they have a shape (emails, UUIDs, enums,
    // display names without control characters). Two kinds are free text on purpose, with bounded
    // lengths: passwords (NIST SP 800-63B §5.1.1.2: any printable character, spaces and Unicode
    // included), and tokens presented back to us, which are answered alike whatever they contain
    // (an unknown refresh token is a 401, and /auth/revoke answers 200 to anything, RFC 7009), so
    // that the answer reveals nothing. Response strings are written by Gatehouse itself.
    'owasp:api4:2023-string-restricted': {
      ...rule('owasp:api4:2023-string-restricted'),
      given:
        '$.paths[*][*].requestBody.content[*].schema.properties[?(@.type === "string" && !@property.match(/([pP]assword|[tT]oken)$/))]',
    },
    // Register, login, refresh, revoke and the browser sign-in are how a client gets or gives up
    // credentials: they are authenticated by what their body carries (a password, a refresh token),
    // not by a security scheme. Every other write operation requires bearerAuth.
    'owasp:api2:2023-write-restricted': 'off',
    // /health, /ready and /.well-known/jwks.json are public by design: load balancers probe the first
    // two, and resource servers fetch the public keys without credentials.
    'owasp:api2:2023-read-restricted': 'off',
    // Gatehouse does not serve cross-origin browsers: no Access-Control-Allow-Origin is sent, so
    // browsers refuse cross-origin reads, which is the intent (the account page is same-origin).
    'owasp:api8:2023-define-cors-origin': 'off',
    // RP-Initiated Logout 1.0 §2 defines id_token_hint as a query parameter of a GET (the browser is
    // redirected there by the application); it is not a credential here: it only names the session to
    // end, which it was issued for, and expired ones are accepted. Every other operation is checked.
    'owasp:api2:2023-no-credentials-in-url': {
      ...rule('owasp:api2:2023-no-credentials-in-url'),
      given: [
        '$.paths[?(@property !== "/oidc/logout")][*].parameters[?(@ && @.in && @.in.match(/query|path/))].name',
      ],
    },
  },
};
