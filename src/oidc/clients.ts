import { randomBytes } from 'node:crypto';
import type { AdminActor } from '../domain/admin.js';
import type { Context } from '../domain/context.js';
import { AppError } from '../domain/errors.js';
import { isSigningAlg, SIGNING_ALGS, type SigningAlg } from '../domain/keys.js';
import { newSecret } from './secrets.js';
import type { OidcClientRecord } from './store.js';

/**
 * Relying parties, as operators register them (`gatehouse clients …`, docs/oidc.md). Every
 * URI is matched exactly, character for character: no prefixes, no wildcards, no
 * normalisation, so what was registered is the only place a browser is ever sent.
 */

export type ClientType = 'confidential' | 'public';

/** A client as listed: never its secret, nor the secret's hash. */
export interface OidcClient {
  id: string;
  name: string;
  type: ClientType;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  idTokenSignedResponseAlg: SigningAlg;
  createdAt: Date;
  secretRotatedAt: Date | null;
  removedAt: Date | null;
}

export const toClient = ({ secretHash, ...c }: OidcClientRecord): OidcClient => ({
  id: c.id,
  name: c.name,
  type: secretHash ? 'confidential' : 'public',
  redirectUris: c.redirectUris,
  postLogoutRedirectUris: c.postLogoutRedirectUris,
  backchannelLogoutUri: c.backchannelLogoutUri,
  idTokenSignedResponseAlg: c.idTokenSignedResponseAlg,
  createdAt: c.createdAt,
  secretRotatedAt: c.secretRotatedAt,
  removedAt: c.removedAt,
});

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const CLIENT_ID = /^[A-Za-z0-9._-]{3,64}$/;

/**
 * Why a URI cannot be registered ("must …"), or null. https, or http on a loopback host
 * (development, native apps: RFC 8252 §7.3); no fragment (RFC 6749 §3.1.2); no credentials.
 */
export function clientUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `must be an absolute URL (got "${uri}")`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    return `must be https:// (http:// only on 127.0.0.1, [::1] or localhost) (got "${uri}")`;
  if (url.hash || uri.includes('#')) return `must not have a fragment (got "${uri}")`;
  if (url.username || url.password) return `must not contain credentials (got "${uri}")`;
  if (uri.length > 2000) return 'must be at most 2000 characters';
  return null;
}

export interface NewClientInput {
  name: string;
  /** Chosen by the operator, or generated. */
  id?: string;
  type: ClientType;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | null;
  /**
   * What the client's ID tokens (and logout tokens) are signed with. RS256 by default: the
   * default of OpenID Connect Dynamic Client Registration 1.0 §2, and what relying parties
   * expect unless told otherwise (openid-client, Grafana, oauth2-proxy…); many support no other.
   */
  idTokenSignedResponseAlg?: SigningAlg;
}

export const DEFAULT_ID_TOKEN_ALG: SigningAlg = 'RS256';

/** Registers a client; its secret (confidential clients) is returned this once. 422 bad input, 409 id taken. */
export async function addClient(
  ctx: Context,
  input: NewClientInput,
  actor: AdminActor,
): Promise<{ client: OidcClient; secret: string | null }> {
  const id = input.id ?? `gh_${randomBytes(12).toString('base64url')}`;
  if (!CLIENT_ID.test(id))
    throw new AppError(
      'VALIDATION_ERROR',
      'A client id is 3-64 letters, digits, dots, dashes or underscores',
    );
  const name = input.name.trim();
  if (!name || name.length > 200) throw new AppError('VALIDATION_ERROR', 'A client name is 1-200 characters');
  if (input.redirectUris.length === 0)
    throw new AppError('VALIDATION_ERROR', 'A client needs at least one redirect URI');
  const uris = [
    ...input.redirectUris,
    ...(input.postLogoutRedirectUris ?? []),
    ...(input.backchannelLogoutUri ? [input.backchannelLogoutUri] : []),
  ];
  for (const uri of uris) {
    const problem = clientUriProblem(uri);
    if (problem) throw new AppError('VALIDATION_ERROR', `The URI ${problem}`);
  }
  const alg = input.idTokenSignedResponseAlg ?? DEFAULT_ID_TOKEN_ALG;
  if (!isSigningAlg(alg))
    throw new AppError('VALIDATION_ERROR', `An ID token algorithm is one of ${SIGNING_ALGS.join(', ')}`);
  const secret = input.type === 'confidential' ? newSecret('ghcs_') : null;
  const record = await ctx.store.transaction(async (tx) => {
    const inserted = await tx.insertOidcClient({
      id,
      name,
      secretHash: secret?.hash ?? null,
      redirectUris: unique(input.redirectUris),
      postLogoutRedirectUris: unique(input.postLogoutRedirectUris ?? []),
      backchannelLogoutUri: input.backchannelLogoutUri ?? null,
      idTokenSignedResponseAlg: alg,
    });
    if (inserted)
      await audit(tx, 'oidc.client_added', actor, {
        clientId: id,
        name,
        type: input.type,
        idTokenSignedResponseAlg: alg,
      });
    return inserted;
  });
  if (!record) throw new AppError('CONFLICT', `A client with id ${id} already exists (or existed)`);
  return { client: toClient(record), secret: secret?.value ?? null };
}

export async function listClients(
  ctx: Context,
  opts: { includeRemoved?: boolean } = {},
): Promise<OidcClient[]> {
  return (await ctx.store.listOidcClients(opts.includeRemoved ?? false)).map(toClient);
}

/** Removes a client: refused from now on, its grants revoked, its pending logout deliveries dropped. 404 if not active. */
export async function removeClient(ctx: Context, id: string, actor: AdminActor): Promise<void> {
  const removed = await ctx.store.transaction(async (tx) => {
    const done = await tx.removeOidcClient(id);
    if (done) await audit(tx, 'oidc.client_removed', actor, { clientId: id });
    return done;
  });
  if (!removed) throw new AppError('NOT_FOUND', `No active client ${id}`);
}

/** A new secret for a confidential client; the old one stops working at once. 404 if none, 409 public. */
export async function rotateClientSecret(ctx: Context, id: string, actor: AdminActor): Promise<string> {
  const secret = newSecret('ghcs_');
  const result = await ctx.store.transaction(async (tx) => {
    const client = await tx.findOidcClient(id);
    if (!client || client.removedAt) return 'missing' as const;
    if (!client.secretHash) return 'public' as const;
    await tx.setOidcClientSecret(id, secret.hash);
    await audit(tx, 'oidc.client_secret_rotated', actor, { clientId: id });
    return 'rotated' as const;
  });
  if (result === 'missing') throw new AppError('NOT_FOUND', `No active client ${id}`);
  if (result === 'public') throw new AppError('CONFLICT', `Client ${id} is public: it has no secret`);
  return secret.value;
}

const unique = (list: string[]) => [...new Set(list)];

function audit(
  tx: Pick<Context['store'], 'insertAuditEvent'>,
  action: string,
  actor: AdminActor,
  details: Record<string, unknown>,
): Promise<void> {
  return tx.insertAuditEvent({
    action,
    reason: null,
    actorUserId: null,
    targetUserId: null,
    sessionIds: [],
    ip: actor.origin.ip,
    userAgent: actor.origin.userAgent,
    details: { ...details, ...(actor.operator ? { operator: actor.operator } : {}) },
  });
}
