import { SIGNING_ALGS } from '../domain/keys.js';
import { SCOPES } from './authorize.js';
import { DEFAULT_ID_TOKEN_ALG } from './clients.js';

/** The provider's endpoints, under the issuer (which is the server's own origin). */
export const OIDC_PATHS = {
  authorization: '/oidc/authorize',
  resume: '/oidc/authorize/resume',
  token: '/oidc/token',
  userinfo: '/oidc/userinfo',
  endSession: '/oidc/logout',
  jwks: '/.well-known/jwks.json',
} as const;

/**
 * OpenID Connect Discovery 1.0 §3: what this provider supports, exactly as built. Front-channel
 * logout is not offered (docs/oidc.md says why); back-channel logout is, with `sid`.
 */
export function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: issuer + OIDC_PATHS.authorization,
    token_endpoint: issuer + OIDC_PATHS.token,
    userinfo_endpoint: issuer + OIDC_PATHS.userinfo,
    jwks_uri: issuer + OIDC_PATHS.jwks,
    end_session_endpoint: issuer + OIDC_PATHS.endSession,
    scopes_supported: [...SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    // Each client's ID tokens use the one it was registered with; the default first.
    id_token_signing_alg_values_supported: [
      DEFAULT_ID_TOKEN_ALG,
      ...SIGNING_ALGS.filter((alg) => alg !== DEFAULT_ID_TOKEN_ALG),
    ],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'sid',
      'amr',
      'azp',
      'name',
      'email',
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: false,
  };
}
