import type { SigningAlg } from '../domain/keys.js';

/**
 * The OpenID Provider's storage port: what src/oidc/ needs from storage, defined here and
 * implemented by storage/oidc-queries.ts (all the SQL). Part of the domain's `Queries`
 * (domain/store.ts), so these run inside the same transactions as everything else.
 */

/** A registered relying party (docs/oidc.md). The secret itself is never stored. */
export interface OidcClientRecord {
  id: string;
  name: string;
  /** SHA-256 of the client secret; null for a public client (PKCE, no secret). */
  secretHash: Buffer | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  /** What its ID tokens and logout tokens are signed with (RS256 unless registered otherwise). */
  idTokenSignedResponseAlg: SigningAlg;
  createdAt: Date;
  secretRotatedAt: Date | null;
  removedAt: Date | null;
}

export type NewOidcClient = Omit<OidcClientRecord, 'createdAt' | 'secretRotatedAt' | 'removedAt'>;

/** What one Gatehouse session gave one client; its session is the OIDC `sid`. */
export interface OidcGrant {
  id: string;
  clientId: string;
  sessionId: string;
  userId: string;
  scope: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface OidcCode {
  grant: OidcGrant;
  redirectUri: string;
  /** S256 challenge; null only for a confidential client that sent none. */
  codeChallenge: string | null;
  nonce: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface OidcRefreshToken {
  grant: OidcGrant;
  expiresAt: Date;
  rotatedAt: Date | null;
}

export interface OidcQueries {
  /** Null when the client id is taken (also by a removed client). */
  insertOidcClient(c: NewOidcClient): Promise<OidcClientRecord | null>;
  /** The client, removed or not. */
  findOidcClient(id: string): Promise<OidcClientRecord | null>;
  listOidcClients(includeRemoved: boolean): Promise<OidcClientRecord[]>;
  /**
   * Removes the client: it is refused from now on, its grants are revoked and its pending
   * logout deliveries dropped. False when there was no active client of that id.
   */
  removeOidcClient(id: string): Promise<boolean>;
  /** False when there is no active confidential client of that id. */
  setOidcClientSecret(id: string, secretHash: Buffer): Promise<boolean>;

  insertOidcGrant(g: Omit<OidcGrant, 'createdAt' | 'revokedAt'>): Promise<void>;
  findOidcGrant(id: string): Promise<OidcGrant | null>;
  /** Revokes the grant: its refresh tokens and access tokens are refused from then on. */
  revokeOidcGrant(id: string): Promise<void>;

  insertOidcCode(c: {
    hash: Buffer;
    grantId: string;
    redirectUri: string;
    codeChallenge: string | null;
    nonce: string | null;
    expiresAt: Date;
  }): Promise<void>;
  /** Locks the code row (and reads its grant) until the transaction ends. */
  lockOidcCode(hash: Buffer): Promise<OidcCode | null>;
  markOidcCodeUsed(hash: Buffer): Promise<void>;

  insertOidcRefreshToken(hash: Buffer, grantId: string, expiresAt: Date): Promise<void>;
  /** Locks the token row (and reads its grant) until the transaction ends. */
  lockOidcRefreshToken(hash: Buffer): Promise<OidcRefreshToken | null>;
  markOidcRefreshTokenRotated(hash: Buffer): Promise<void>;
}
