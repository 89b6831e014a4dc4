/**
 * The storage port: the interfaces the domain calls, defined here, on the domain's side, and
 * implemented by storage/ (store.ts, event-queries.ts, lease-queries.ts, ending-statement.ts),
 * which holds all the SQL. Nothing here runs; storage/ depends on this file, never the reverse.
 */
import type {
  ChallengePurpose,
  MfaTokenRow,
  NewPasskey,
  Passkey,
  PasskeyRecord,
  TotpFactor,
  WebAuthnChallenge,
} from '../mfa/model.js';

import type { OidcQueries } from '../oidc/store.js';
import type { BarrierMember, InstanceRecord, LeaseStatus } from './barrier.js';
import type { Delivery, DeliveryState, WebhookEndpoint } from './events.js';
import type { SigningAlg } from './keys.js';
import type {
  AuditEvent,
  EndedSession,
  EndReason,
  EndTarget,
  NewAuditEvent,
  ProofMethod,
  Role,
  Session,
  SigningKeyRecord,
  User,
  UserRecord,
} from './model.js';
import type { EndingsSince } from './revocation.js';

/**
 * What the domain needs from storage, one statement per method (storage/store.ts has the
 * SQL); the domain composes them inside `transaction` when several must commit together.
 */
export interface Queries
  extends EventQueries,
    LeaseQueries,
    MailQueries,
    PolicyQueries,
    OidcQueries,
    FactorQueries {
  insertUser(u: NewUser): Promise<User | null>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  /**
   * Reads the user row and holds it (FOR NO KEY UPDATE) until the transaction
   * ends: a login opening a session waits for, or makes wait, an operator
   * disabling, deleting or re-passwording the account, and a user's concurrent
   * logins are counted one after another against the session limit.
   */
  lockUser(id: string): Promise<UserRecord | null>;
  listUsers(limit: number): Promise<(User & { disabledAt: Date | null })[]>;
  /** False when there is no such user. */
  setPasswordHash(userId: string, passwordHash: string): Promise<boolean>;
  setRoles(userId: string, roles: Role[]): Promise<void>;
  /** Disables (true) or enables the account; false when it already was. */
  setUserDisabled(userId: string, disabled: boolean): Promise<boolean>;
  /** Deletes the account row (its sessions stay, as the record that they ended); false when there was none. */
  deleteUser(userId: string): Promise<boolean>;

  insertSession(s: NewSession): Promise<Session>;
  findSession(id: string): Promise<Session | null>;
  /** Locks the session row until the transaction ends (serialises refresh against logout). */
  lockSession(id: string): Promise<Session | null>;
  listActiveSessions(userId: string): Promise<Session[]>;
  /**
   * One page of the user's active sessions (not ended, not past expires_at), newest first:
   * the first `limit` after `after` in (createdAt, id) descending order, each with its exact
   * position (GET /auth/sessions, session-list.ts).
   */
  listSessionsPage(
    userId: string,
    page: { after: SessionPosition | null; limit: number },
  ): Promise<(Session & { position: SessionPosition })[]>;
  /** Records a use (a refresh) at `at`, default the database's clock; never moves last use back. */
  touchSession(id: string, at?: Date): Promise<void>;
  /**
   * Records the uses an instance noted in memory (authenticated requests), in
   * one statement however many; ended sessions are left alone.
   */
  recordSessionActivity(uses: readonly { id: string; at: Date }[]): Promise<void>;
  /**
   * Records a new proof on the session (POST /auth/reauthenticate): its time and what was
   * proven replace the login's. False if the session has ended.
   */
  setAuthTime(id: string, at: Date, methods: readonly ProofMethod[]): Promise<boolean>;
  /**
   * Ends the still-active sessions each request names, in one or two
   * statements however many requests there are (concurrent logouts share a
   * transaction). Returns the sessions it ended, each once, with the reason it
   * was ended for and the index of the request that ended it: a session two
   * requests name goes to one of them.
   */
  endSessions(requests: readonly EndRequest[]): Promise<EndedByRequest[]>;
  /** Sessions ended after `since` (a start's revocation list, the revocation feed's catch-up). */
  sessionsEndedSince(since: Date): Promise<EndingsSince>;
  /** Locks up to `limit` sessions past their expiry and not yet ended, skipping rows others hold. */
  lockExpiredSessions(limit: number): Promise<string[]>;
  /** Locks up to `limit` active sessions last used at or before `usedBy`, skipping rows others hold. */
  lockIdleSessions(usedBy: Date, limit: number): Promise<string[]>;

  insertRefreshToken(hash: Buffer, sessionId: string, expiresAt: Date): Promise<void>;
  /** Locks and returns the token row; the caller locks the session separately. */
  lockRefreshToken(hash: Buffer): Promise<RefreshTokenRow | null>;
  /** Reads without locking (a rotated token's successor, under the session lock already held). */
  findRefreshToken(hash: Buffer): Promise<RefreshTokenRow | null>;
  /** `successorBox`: the pair it was exchanged for, sealed (refresh-grace.ts); only with the grace on. */
  markRefreshTokenRotated(hash: Buffer, successorBox?: Buffer): Promise<void>;
  markRefreshTokenReplayed(hash: Buffer): Promise<void>;

  insertAuditEvent(e: NewAuditEvent): Promise<void>;
  /** Several audit events in one statement. */
  insertAuditEvents(events: readonly NewAuditEvent[]): Promise<void>;
  listAuditEvents(filter: { userId?: string; since?: Date; limit: number }): Promise<AuditEvent[]>;

  listSigningKeys(): Promise<SigningKeyRecord[]>;
  insertSigningKey(k: Omit<SigningKeyRecord, 'createdAt' | 'retiredAt'>): Promise<void>;
  /** Retires every other active key of the algorithm of `exceptKid` (each algorithm rotates on its own). */
  retireSigningKeys(exceptKid: string): Promise<void>;
  /** Serialises key creation across instances (transaction-scoped advisory lock). */
  lockSigningKeys(): Promise<void>;

  /**
   * Tells every instance listening on the database; delivered only if the
   * transaction commits. `batch` (the revocation barrier's "<origin>:<n>")
   * rides on the last notification, so an instance that reads it has read them all.
   */
  notifySessionsEnded(ended: readonly EndedSession[], batch?: string): Promise<void>;
  ping(): Promise<void>;
}

export interface Store extends Queries {
  readonly kind: 'pglite' | 'postgres';
  /** The embedded store's batch of logouts in one statement (ending-statement.ts); not inside a transaction. */
  endNamedSessionsRecorded(
    requests: readonly RecordedEndRequest[],
  ): Promise<{ ended: EndedByRequest[]; eventsWritten: number }>;
  transaction<T>(fn: (tx: Queries) => Promise<T>): Promise<T>;
  /** A deadlock victim or serialization failure: the transaction did nothing and may be run again. */
  isTransientConflict(err: unknown): boolean;
  close(): Promise<void>;
}

export interface NewUser {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  roles: Role[];
  /** An account an operator made (the CLI, ADMIN_EMAIL) starts verified; a self-registered one does not. */
  emailVerified?: boolean;
}

export interface NewSession {
  id: string;
  userId: string;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** Created, last used and proven at; the database's clock when absent. */
  at?: Date;
  persistent?: boolean;
  deviceName?: string | null;
  /** What the login proved; absent: not recorded (NULL). */
  authMethods?: readonly ProofMethod[];
}

export interface EndRequest {
  target: EndTarget;
  reason: EndReason;
}

export interface EndedByRequest extends EndedSession {
  reason: EndReason;
  /** Index into the requests passed to `endSessions`. */
  request: number;
}

export interface RefreshTokenRow {
  sessionId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  successorBox: Buffer | null;
  replayedAt: Date | null;
}

/**
 * The SQL of session-ended events: webhook endpoints and the outbox. Part of
 * `Queries` (below); kept in its own file because it is its own subject.
 */
export interface EventQueries {
  /**
   * Writes one `session.ended` event (docs/events.md) per given session, just ended in this
   * transaction, per active endpoint, its payload made from the session's row; returns how
   * many rows. Call inside the ending transaction.
   */
  insertSessionEndedEvents(sessionIds: readonly string[]): Promise<number>;

  /** Adds an endpoint; null when an active endpoint already has this URL. */
  insertWebhookEndpoint(e: NewWebhookEndpoint): Promise<WebhookEndpoint | null>;
  /** Adds the endpoint, or updates the active one with this URL (secret, source). */
  upsertWebhookEndpoint(e: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  findWebhookEndpoint(id: string): Promise<WebhookEndpoint | null>;
  listWebhookEndpoints(includeDisabled: boolean): Promise<WebhookEndpointWithCounts[]>;
  /** Disables the endpoint and drops (marks dead) its pending deliveries; false if none was active. */
  disableWebhookEndpoint(id: string): Promise<boolean>;
  /** The same for every endpoint that came from the environment, except the one with `exceptUrl`. */
  disableEnvWebhookEndpoints(exceptUrl: string | null): Promise<string[]>;

  /**
   * Claims up to `limit` due deliveries for this process: locks them with SKIP
   * LOCKED (so concurrent dispatchers take disjoint rows), counts the attempt
   * and moves `next_attempt_at` a lease ahead, in one statement. Nobody else
   * claims them until the lease runs out, which is longer than a delivery can take.
   * `backchannel: false` leaves back-channel logouts to dispatchers that can sign them
   * (an instance without OIDC_ISSUER).
   */
  claimDeliveries(
    limit: number,
    leaseMs: number,
    opts?: { backchannel?: boolean },
  ): Promise<ClaimedDelivery[]>;
  /** The outcome of an attempt; ignored if the row has since been claimed again (`attempts` moved on). */
  markDelivered(id: string, attempts: number): Promise<void>;
  scheduleRetry(id: string, attempts: number, delayMs: number, error: string): Promise<void>;
  markDead(id: string, attempts: number, error: string): Promise<void>;
  /** Puts dead deliveries (of active endpoints) back in the queue; returns how many. */
  requeueDeadDeliveries(endpointId?: string): Promise<number>;
  listDeliveries(filter: { endpointId?: string; state?: DeliveryState; limit: number }): Promise<Delivery[]>;
  /** Deletes delivered and dead rows created before `before`; returns how many. */
  pruneDeliveries(before: Date): Promise<number>;
}

export interface NewWebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  source: WebhookEndpoint['source'];
  description: string | null;
}

export interface WebhookEndpointWithCounts extends WebhookEndpoint {
  pending: number;
  delivered: number;
  dead: number;
}

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  /** The webhook endpoint; null for a back-channel logout, which names its client instead. */
  endpointId: string | null;
  /** The OpenID client whose back-channel logout URI this is (type oidc.backchannel_logout). */
  clientId: string | null;
  /** That client's ID token algorithm, which its logout tokens are signed with; null for a webhook. */
  clientAlg: SigningAlg | null;
  /** session.ended (a webhook) or oidc.backchannel_logout (a logout_token, docs/oidc.md). */
  type: string;
  url: string;
  /** The webhook's signing secret; null for a back-channel logout (signed with the provider's key). */
  secret: string | null;
  payload: Record<string, unknown>;
  /** Including this one. */
  attempts: number;
}

/**
 * The SQL of instance leases that domain code needs (the barrier and the
 * CLI). Part of `Queries` (below). The statements an instance runs on its
 * own feed connection (join, renew, leave, ack) are below, outside `Queries`.
 */
export interface LeaseQueries {
  /**
   * Inside an ending transaction: the other instances that must confirm it
   * (lease valid, or lapsed less than `marginMs` ago), after taking the barrier lock shared.
   */
  barrierMembers(self: string, marginMs: number): Promise<BarrierMember[]>;
  /** Where these instances' leases stand now, by the database's clock. Missing rows have left. */
  leaseStatus(ids: readonly string[], marginMs: number): Promise<LeaseStatus[]>;
  listInstances(): Promise<InstanceRecord[]>;
}

/** One request to end named sessions, with what its audit event records. */
export interface RecordedEndRequest {
  sessionIds: readonly string[];
  reason: EndReason;
  audit: {
    actorUserId: string | null;
    ip: string | null;
    userAgent: string | null;
    details: Record<string, unknown>;
  };
}

/**
 * The SQL of mail and account recovery (docs/api.md §8): the tokens mails carry, stored
 * as SHA-256 only, and the mail outbox. Part of `Queries`; storage/mail-queries.ts.
 */
export interface MailQueries {
  /** Marks the address proved, now (the database's clock). */
  setEmailVerified(userId: string): Promise<void>;
  /** Moves the account to a proved new address; false when another account has it. */
  setVerifiedEmail(userId: string, email: string): Promise<boolean>;

  insertEmailToken(t: NewEmailToken): Promise<void>;
  /** Locks and returns the token row until the transaction ends (single use under concurrency). */
  lockEmailToken(hash: Buffer): Promise<EmailTokenRow | null>;
  markEmailTokenUsed(hash: Buffer): Promise<void>;
  /** Deletes tokens that expired before `before`; returns how many. */
  pruneEmailTokens(before: Date): Promise<number>;

  /** Queues a message. Call inside the transaction that made what it carries. */
  insertMail(m: NewMail): Promise<void>;
  /** Claims up to `limit` due messages, as claimDeliveries does (SKIP LOCKED, a lease, one statement). */
  claimMails(limit: number, leaseMs: number): Promise<ClaimedMail[]>;
  /** Outcomes; each ignored if the row was claimed again since (`attempts` moved on). Sent and dead clear the body. */
  markMailSent(id: string, attempts: number): Promise<void>;
  scheduleMailRetry(id: string, attempts: number, delayMs: number, error: string): Promise<void>;
  markMailDead(id: string, attempts: number, error: string): Promise<void>;
  /** The latest messages, newest first, without their bodies. */
  listMails(limit: number): Promise<MailRecord[]>;
  /** Deletes sent and dead messages created before `before`; returns how many. */
  pruneMails(before: Date): Promise<number>;
}

export type EmailTokenPurpose = 'verify' | 'change' | 'reset';

export interface NewEmailToken {
  hash: Buffer;
  userId: string;
  purpose: EmailTokenPurpose;
  email: string;
  passwordStamp: Buffer | null;
  expiresAt: Date;
}

export interface EmailTokenRow extends NewEmailToken {
  usedAt: Date | null;
}

/** A rendered message: what the outbox holds until it is sent. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The single-use link the message carries, if any (logged by the embedded .eml transport). */
  link: string | null;
}

export interface NewMail {
  kind: string;
  message: MailMessage;
}

export interface ClaimedMail {
  id: string;
  kind: string;
  message: MailMessage;
  /** Including this one. */
  attempts: number;
}

export type MailState = 'queued' | 'sent' | 'dead';

export interface MailRecord {
  id: string;
  kind: string;
  to: string;
  subject: string;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  sentAt: Date | null;
  deadAt: Date | null;
  lastError: string | null;
  state: MailState;
}

/** Where a session stands in the newest-first list: its exact creation time, then its id. */
export interface SessionPosition {
  /** ISO 8601, UTC, with microseconds (the database's precision, which a Date would round). */
  createdAt: string;
  id: string;
}

/** A policy setting an operator stored (`gatehouse policy set`); it overrides the environment. */
export interface StoredPolicySetting {
  /** The environment variable it overrides, e.g. SESSION_IDLE_TTL. */
  name: string;
  /** The text that variable would hold. */
  value: string;
  updatedAt: Date;
  updatedBy: string | null;
}

/** The SQL of the stored session policy (policy-settings.ts). Part of `Queries`. */
export interface PolicyQueries {
  listPolicySettings(): Promise<StoredPolicySetting[]>;
  /** Inside a transaction: makes a concurrent change wait until this one commits. */
  lockPolicySettings(): Promise<void>;
  putPolicySetting(name: string, value: string, updatedBy: string | null): Promise<void>;
  deletePolicySetting(name: string): Promise<void>;
  /** Tells every instance to re-read the policy; delivered only if the transaction commits (PostgreSQL). */
  notifyPolicyChanged(): Promise<void>;
}

/**
 * The SQL of second factors (storage/factor-queries.ts): TOTP, recovery codes,
 * passkeys, mfaTokens and WebAuthn challenges. Part of `Queries`. Every
 * "use once" is one conditional statement, so two concurrent uses cannot both win.
 */
export interface FactorQueries {
  findTotp(userId: string): Promise<TotpFactor | null>;
  /** Starts (or restarts) an enrolment; false, changing nothing, when TOTP is already confirmed. */
  putPendingTotp(userId: string, secret: string): Promise<boolean>;
  /** Confirms a pending enrolment with the step of its first code; false if there was none pending. */
  confirmTotp(userId: string, step: number): Promise<boolean>;
  /** Records a code's step as used, only if it is later than the last one used: false is a replay. */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  /** Deletes the factor, pending or confirmed; false when there was none. */
  deleteTotp(userId: string): Promise<boolean>;

  /** Deletes the user's recovery codes and stores these (SHA-256 hashes) instead. */
  replaceRecoveryCodes(userId: string, hashes: readonly Buffer[]): Promise<void>;
  /** Deletes the code if the user has it: true exactly once per code. */
  useRecoveryCode(userId: string, hash: Buffer): Promise<boolean>;
  countRecoveryCodes(userId: string): Promise<number>;
  /** Returns how many were deleted. */
  deleteRecoveryCodes(userId: string): Promise<number>;

  /** Null when a passkey with that credential id is already registered. */
  insertPasskey(p: NewPasskey): Promise<Passkey | null>;
  listPasskeys(userId: string): Promise<Passkey[]>;
  /** The credential ids of the user's passkeys (registration excludes them). */
  listPasskeyCredentials(userId: string): Promise<string[]>;
  findPasskeyByCredentialId(credentialId: string): Promise<PasskeyRecord | null>;
  /** Null when the user has no passkey with that id. */
  renamePasskey(userId: string, id: string, name: string): Promise<Passkey | null>;
  /** False when the user has no passkey with that id. */
  deletePasskey(userId: string, id: string): Promise<boolean>;
  /** Returns the names of those deleted. */
  deletePasskeys(userId: string): Promise<string[]>;
  recordPasskeyUse(id: string, counter: number, backedUp: boolean, at: Date): Promise<void>;

  /** Also deletes the user's expired tokens. */
  insertMfaToken(hash: Buffer, row: MfaTokenRow): Promise<void>;
  findMfaToken(hash: Buffer): Promise<MfaTokenRow | null>;
  /** Locks the row until the transaction ends (a second step at a time per token). */
  lockMfaToken(hash: Buffer): Promise<MfaTokenRow | null>;
  deleteMfaToken(hash: Buffer): Promise<void>;
  /** Counts a wrong code; returns the failures so far. */
  countMfaFailure(hash: Buffer): Promise<number>;

  /** Also deletes expired challenges. */
  insertChallenge(idHash: Buffer, c: WebAuthnChallenge): Promise<void>;
  /** Deletes and returns the challenge if it exists for this purpose: single use, whatever comes next. */
  takeChallenge(idHash: Buffer, purpose: ChallengePurpose): Promise<WebAuthnChallenge | null>;
}
