import type { SigningAlg } from '../domain/keys.js';
import type { OidcClientRecord, OidcCode, OidcGrant, OidcQueries, OidcRefreshToken } from '../oidc/store.js';
import type { Sql } from './db.js';

/**
 * The SQL of the OpenID Provider (src/oidc/): clients, grants, codes and refresh tokens.
 * Back-channel logout rows are written by a trigger on `sessions.ended_at`
 * (migrations/009_oidc.sql), in the ending's own statement.
 */

type Row = Record<string, unknown>;

const CLIENT_COLS = `id, name, secret_hash, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri,
  id_token_signed_response_alg, created_at, secret_rotated_at, removed_at`;
const GRANT_COLS = 'g.id, g.client_id, g.session_id, g.user_id, g.scope, g.created_at, g.revoked_at';

const bytes = (v: unknown): Buffer | null => (v ? Buffer.from(v as Uint8Array) : null);

const toClient = (r: Row): OidcClientRecord => ({
  id: r.id as string,
  name: r.name as string,
  secretHash: bytes(r.secret_hash),
  redirectUris: r.redirect_uris as string[],
  postLogoutRedirectUris: r.post_logout_redirect_uris as string[],
  backchannelLogoutUri: (r.backchannel_logout_uri as string | null) ?? null,
  idTokenSignedResponseAlg: r.id_token_signed_response_alg as SigningAlg,
  createdAt: r.created_at as Date,
  secretRotatedAt: (r.secret_rotated_at as Date | null) ?? null,
  removedAt: (r.removed_at as Date | null) ?? null,
});

const toGrant = (r: Row): OidcGrant => ({
  id: r.id as string,
  clientId: r.client_id as string,
  sessionId: r.session_id as string,
  userId: r.user_id as string,
  scope: r.scope as string,
  createdAt: r.created_at as Date,
  revokedAt: (r.revoked_at as Date | null) ?? null,
});

export function oidcQueries(sql: Sql): OidcQueries {
  const one = async <T>(text: string, params: unknown[], map: (r: Row) => T): Promise<T | null> => {
    const rows = await sql.query<Row>(text, params);
    return rows[0] ? map(rows[0]) : null;
  };
  return {
    insertOidcClient: (c) =>
      one(
        `INSERT INTO oidc_clients (id, name, secret_hash, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri,
           id_token_signed_response_alg)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING ${CLIENT_COLS}`,
        [
          c.id,
          c.name,
          c.secretHash,
          c.redirectUris,
          c.postLogoutRedirectUris,
          c.backchannelLogoutUri,
          c.idTokenSignedResponseAlg,
        ],
        toClient,
      ),
    findOidcClient: (id) => one(`SELECT ${CLIENT_COLS} FROM oidc_clients WHERE id = $1`, [id], toClient),
    listOidcClients: async (includeRemoved) =>
      (
        await sql.query<Row>(
          `SELECT ${CLIENT_COLS} FROM oidc_clients WHERE $1 OR removed_at IS NULL ORDER BY created_at, id`,
          [includeRemoved],
        )
      ).map(toClient),
    removeOidcClient: async (id) => {
      const rows = await sql.query<Row>(
        `WITH removed AS (
           UPDATE oidc_clients SET removed_at = now() WHERE id = $1 AND removed_at IS NULL RETURNING id
         ), grants AS (
           UPDATE oidc_grants SET revoked_at = now()
           WHERE client_id IN (SELECT id FROM removed) AND revoked_at IS NULL
         ), dropped AS (
           UPDATE event_outbox SET dead_at = now(), last_error = 'client removed'
           WHERE client_id IN (SELECT id FROM removed) AND delivered_at IS NULL AND dead_at IS NULL
         )
         SELECT id FROM removed`,
        [id],
      );
      return rows.length > 0;
    },
    setOidcClientSecret: async (id, secretHash) =>
      (
        await sql.query(
          `UPDATE oidc_clients SET secret_hash = $2, secret_rotated_at = now()
           WHERE id = $1 AND removed_at IS NULL AND secret_hash IS NOT NULL RETURNING id`,
          [id, secretHash],
        )
      ).length > 0,

    insertOidcGrant: async (g) => {
      await sql.query(
        'INSERT INTO oidc_grants (id, client_id, session_id, user_id, scope) VALUES ($1, $2, $3, $4, $5)',
        [g.id, g.clientId, g.sessionId, g.userId, g.scope],
      );
    },
    findOidcGrant: (id) => one(`SELECT ${GRANT_COLS} FROM oidc_grants g WHERE g.id = $1`, [id], toGrant),
    revokeOidcGrant: async (id) => {
      await sql.query('UPDATE oidc_grants SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    },

    insertOidcCode: async (c) => {
      await sql.query(
        `INSERT INTO oidc_codes (code_hash, grant_id, redirect_uri, code_challenge, nonce, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.hash, c.grantId, c.redirectUri, c.codeChallenge, c.nonce, c.expiresAt],
      );
    },
    lockOidcCode: (hash) =>
      one(
        `SELECT ${GRANT_COLS}, c.redirect_uri, c.code_challenge, c.nonce, c.expires_at, c.used_at
         FROM oidc_codes c JOIN oidc_grants g ON g.id = c.grant_id
         WHERE c.code_hash = $1 FOR UPDATE OF c`,
        [hash],
        (r): OidcCode => ({
          grant: toGrant(r),
          redirectUri: r.redirect_uri as string,
          codeChallenge: (r.code_challenge as string | null) ?? null,
          nonce: (r.nonce as string | null) ?? null,
          expiresAt: r.expires_at as Date,
          usedAt: (r.used_at as Date | null) ?? null,
        }),
      ),
    markOidcCodeUsed: async (hash) => {
      await sql.query('UPDATE oidc_codes SET used_at = now() WHERE code_hash = $1', [hash]);
    },

    insertOidcRefreshToken: async (hash, grantId, expiresAt) => {
      await sql.query(
        'INSERT INTO oidc_refresh_tokens (token_hash, grant_id, expires_at) VALUES ($1, $2, $3)',
        [hash, grantId, expiresAt],
      );
    },
    lockOidcRefreshToken: (hash) =>
      one(
        `SELECT ${GRANT_COLS}, t.expires_at AS token_expires_at, t.rotated_at
         FROM oidc_refresh_tokens t JOIN oidc_grants g ON g.id = t.grant_id
         WHERE t.token_hash = $1 FOR UPDATE OF t`,
        [hash],
        (r): OidcRefreshToken => ({
          grant: toGrant(r),
          expiresAt: r.token_expires_at as Date,
          rotatedAt: (r.rotated_at as Date | null) ?? null,
        }),
      ),
    markOidcRefreshTokenRotated: async (hash) => {
      await sql.query('UPDATE oidc_refresh_tokens SET rotated_at = now() WHERE token_hash = $1', [hash]);
    },
  };
}
