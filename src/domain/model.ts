/** The nouns of Gatehouse, as the domain sees them (no SQL, no HTTP). */

export type Role = 'user' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string | null;
  roles: Role[];
  createdAt: Date;
  /** The address has been proved: a verification link, or a password reset mailed to it (§8). */
  emailVerified: boolean;
}

/** A user as storage holds it. Never sent out: `publicUser` (users.ts) strips it to a User. */
export interface UserRecord extends User {
  passwordHash: string;
  /** Set by an operator (gatehouse users disable): no login, no refresh. */
  disabledAt: Date | null;
}

export interface Session {
  id: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endReason: EndReason | null;
  ip: string | null;
  userAgent: string | null;
  /** The last proof of the password (or a second factor): login, then POST /auth/reauthenticate. */
  authTime: Date;
  /**
   * What was proven at authTime, in the order proven: the login's factors, then those of the
   * last reauthentication. Null for a session opened before they were recorded (migration 012).
   */
  authMethods: ProofMethod[] | null;
  /** False for a login with "remember": false (short lifetime, browser-session cookie). */
  persistent: boolean;
  /** The name the user gave this device at login, if any. */
  deviceName: string | null;
}

/**
 * One proof of who the user is. A login with a second factor proves two ('password' then
 * 'totp' or 'recovery_code'); a passkey is one proof of two factors (the device, and the PIN or
 * biometrics it verified).
 */
export type ProofMethod = 'password' | 'totp' | 'recovery_code' | 'passkey';

/** Why a session ended. Every way a session can end has one, recorded in the audit log. */
export type EndReason =
  | 'logout'
  | 'logout_others'
  | 'logout_all'
  | 'revoked'
  | 'refresh_reuse'
  | 'expired'
  | 'idle_timeout'
  | 'session_limit'
  | 'password_changed'
  | 'password_reset'
  | 'admin'
  | 'user_disabled'
  | 'user_deleted';

/** Where a request came from, for the audit trail. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  id: string;
  at: Date;
  action: string;
  reason: string | null;
  actorUserId: string | null;
  targetUserId: string | null;
  sessionIds: string[];
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>;

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: Date;
  retiredAt: Date | null;
}

/** Which sessions to end: named ones, or all of a user's (optionally but one). */
export type EndTarget = { sessionIds: readonly string[] } | { userId: string; exceptSessionId?: string };

/** A session that has just been ended, as the revocation feed carries it. */
export interface EndedSession {
  id: string;
  userId: string;
  endedAt: Date;
}
