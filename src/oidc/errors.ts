/**
 * Errors of the OAuth 2.0 / OpenID Connect protocol (RFC 6749 §4.1.2.1, §5.2; OIDC Core
 * §3.1.2.6). Relying-party libraries read `error` and `error_description`, so the protocol
 * endpoints answer those; the body also carries Gatehouse's envelope (message, description,
 * code; docs/api.md §1), so one answer satisfies both (src/http/oidc-errors.ts).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'login_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'invalid_token';

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** 400, or 401 for a client or token that did not authenticate. */
    readonly status: 400 | 401 = 400,
  ) {
    super(description);
  }
}
