-- Each client's id_token_signed_response_alg (OpenID Connect Dynamic Client Registration 1.0
-- §2): what its ID tokens, and its logout tokens (Back-Channel Logout 1.0 §2.4: the same key
-- and algorithm), are signed with. OIDC Core §15.1 requires RS256; EdDSA was the only one
-- offered before.
--
-- Clients registered until now were configured for EdDSA (docs/oidc.md told their operators
-- to), so they keep it; a client registered from now on gets the registration's default,
-- RS256, unless `gatehouse clients add --id-token-signed-response-alg EdDSA` says otherwise
-- (src/oidc/clients.ts decides; no default here).
ALTER TABLE oidc_clients ADD COLUMN id_token_signed_response_alg text NOT NULL DEFAULT 'EdDSA'
  CHECK (id_token_signed_response_alg IN ('RS256', 'EdDSA'));
ALTER TABLE oidc_clients ALTER COLUMN id_token_signed_response_alg DROP DEFAULT;
