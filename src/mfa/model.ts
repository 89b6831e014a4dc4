/** What second factors are, as the domain sees them (docs/api.md §10); storage/factor-queries.ts stores them. */

export interface TotpFactor {
  userId: string;
  /** Base32, as authenticator apps take it. */
  secret: string;
  createdAt: Date;
  /** Null while the enrolment waits for its first code: such a factor counts for nothing. */
  confirmedAt: Date | null;
  /** The RFC 6238 time step of the last code accepted (replay protection). */
  lastUsedStep: number | null;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A passkey with what verifying its assertions needs. */
export interface PasskeyRecord extends Passkey {
  userId: string;
  /** base64url, as WebAuthn names it. */
  credentialId: string;
  /** COSE public key. */
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
}

export type NewPasskey = Omit<PasskeyRecord, 'createdAt' | 'lastUsedAt'>;

/** A login between its password step and its second step. */
export interface MfaTokenRow {
  userId: string;
  remember: boolean;
  deviceName: string | null;
  failures: number;
  expiresAt: Date;
}

export type ChallengePurpose = 'registration' | 'authentication';

export interface WebAuthnChallenge {
  purpose: ChallengePurpose;
  /** base64url, as sent in the options. */
  challenge: string;
  /** Registration: whose passkey it will be. Null for a discoverable sign-in. */
  userId: string | null;
  expiresAt: Date;
}

/** Second factors (docs/api.md §10): what TOTP apps show, and whom passkeys are for. */
export interface SecondFactorConfig {
  /** TOTP_ISSUER: the name authenticator apps show beside the account (default "Gatehouse"). */
  totpIssuer: string;
  /** WEBAUTHN_RP_ID (default: PUBLIC_URL's host): the domain passkeys are bound to. */
  rpId: string;
  /** WEBAUTHN_RP_NAME (default: TOTP_ISSUER): the name the browser shows when registering. */
  rpName: string;
  /** WEBAUTHN_ORIGINS (default: PUBLIC_URL's origin): the pages allowed to run ceremonies. */
  origins: string[];
}

/** What an unconfigured context uses (the CLI, tools): PUBLIC_URL's default, http://localhost:3000. */
export const DEFAULT_SECOND_FACTORS: SecondFactorConfig = {
  totpIssuer: 'Gatehouse',
  rpId: 'localhost',
  rpName: 'Gatehouse',
  origins: ['http://localhost:3000'],
};
