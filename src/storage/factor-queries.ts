import type { FactorQueries } from '../domain/store.js';
import type { MfaTokenRow, Passkey, PasskeyRecord, TotpFactor, WebAuthnChallenge } from '../mfa/model.js';
import type { Sql } from './db.js';

type Row = Record<string, unknown>;

const toTotp = (r: Row): TotpFactor => ({
  userId: r.user_id as string,
  secret: r.secret as string,
  createdAt: r.created_at as Date,
  confirmedAt: (r.confirmed_at as Date | null) ?? null,
  lastUsedStep: r.last_used_step === null ? null : Number(r.last_used_step),
});

const PASSKEY_COLS = 'id, name, created_at, last_used_at';
const PASSKEY_RECORD_COLS = `${PASSKEY_COLS}, user_id, credential_id, public_key, counter, transports, device_type, backed_up`;

const toPasskey = (r: Row): Passkey => ({
  id: r.id as string,
  name: r.name as string,
  createdAt: r.created_at as Date,
  lastUsedAt: (r.last_used_at as Date | null) ?? null,
});

const toPasskeyRecord = (r: Row): PasskeyRecord => ({
  ...toPasskey(r),
  userId: r.user_id as string,
  credentialId: r.credential_id as string,
  publicKey: new Uint8Array(r.public_key as Uint8Array),
  counter: Number(r.counter),
  transports: r.transports as string[],
  deviceType: r.device_type as PasskeyRecord['deviceType'],
  backedUp: r.backed_up as boolean,
});

const toMfaToken = (r: Row): MfaTokenRow => ({
  userId: r.user_id as string,
  remember: r.remember as boolean,
  deviceName: (r.device_name as string | null) ?? null,
  failures: r.failures as number,
  expiresAt: r.expires_at as Date,
});

const toChallenge = (r: Row): WebAuthnChallenge => ({
  purpose: r.purpose as WebAuthnChallenge['purpose'],
  challenge: r.challenge as string,
  userId: (r.user_id as string | null) ?? null,
  expiresAt: r.expires_at as Date,
});

export function factorQueries(sql: Sql): FactorQueries {
  const one = async <T>(text: string, params: unknown[], map: (r: Row) => T): Promise<T | null> => {
    const rows = await sql.query<Row>(text, params);
    return rows[0] ? map(rows[0]) : null;
  };
  const count = async (text: string, params: unknown[]) => (await sql.query<Row>(text, params)).length;
  return {
    findTotp: (userId) => one('SELECT * FROM totp_factors WHERE user_id = $1', [userId], toTotp),
    putPendingTotp: async (userId, secret) =>
      (await count(
        `INSERT INTO totp_factors (user_id, secret) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now(), last_used_step = NULL
           WHERE totp_factors.confirmed_at IS NULL
         RETURNING user_id`,
        [userId, secret],
      )) === 1,
    confirmTotp: async (userId, step) =>
      (await count(
        `UPDATE totp_factors SET confirmed_at = now(), last_used_step = $2
         WHERE user_id = $1 AND confirmed_at IS NULL RETURNING user_id`,
        [userId, step],
      )) === 1,
    useTotpStep: async (userId, step) =>
      (await count(
        `UPDATE totp_factors SET last_used_step = $2
         WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)
         RETURNING user_id`,
        [userId, step],
      )) === 1,
    deleteTotp: async (userId) =>
      (await count('DELETE FROM totp_factors WHERE user_id = $1 RETURNING user_id', [userId])) === 1,

    replaceRecoveryCodes: async (userId, hashes) => {
      await sql.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
      await sql.query(
        'INSERT INTO recovery_codes (code_hash, user_id) SELECT h, $1 FROM unnest($2::bytea[]) AS h',
        [userId, hashes],
      );
    },
    useRecoveryCode: async (userId, hash) =>
      (await count('DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 RETURNING user_id', [
        userId,
        hash,
      ])) === 1,
    countRecoveryCodes: async (userId) => {
      const rows = await sql.query<Row>('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1', [
        userId,
      ]);
      return (rows[0]?.n as number) ?? 0;
    },
    deleteRecoveryCodes: (userId) =>
      count('DELETE FROM recovery_codes WHERE user_id = $1 RETURNING user_id', [userId]),

    insertPasskey: (p) =>
      one(
        `INSERT INTO passkeys (id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (credential_id) DO NOTHING
         RETURNING ${PASSKEY_COLS}`,
        [
          p.id,
          p.userId,
          p.credentialId,
          Buffer.from(p.publicKey),
          p.counter,
          p.transports,
          p.deviceType,
          p.backedUp,
          p.name,
        ],
        toPasskey,
      ),
    listPasskeys: async (userId) =>
      (
        await sql.query<Row>(
          `SELECT ${PASSKEY_COLS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id`,
          [userId],
        )
      ).map(toPasskey),
    listPasskeyCredentials: async (userId) =>
      (await sql.query<Row>('SELECT credential_id FROM passkeys WHERE user_id = $1', [userId])).map(
        (r) => r.credential_id as string,
      ),
    findPasskeyByCredentialId: (credentialId) =>
      one(
        `SELECT ${PASSKEY_RECORD_COLS} FROM passkeys WHERE credential_id = $1`,
        [credentialId],
        toPasskeyRecord,
      ),
    renamePasskey: (userId, id, name) =>
      one(
        `UPDATE passkeys SET name = $3 WHERE user_id = $1 AND id = $2 RETURNING ${PASSKEY_COLS}`,
        [userId, id, name],
        toPasskey,
      ),
    deletePasskey: async (userId, id) =>
      (await count('DELETE FROM passkeys WHERE user_id = $1 AND id = $2 RETURNING id', [userId, id])) === 1,
    deletePasskeys: async (userId) =>
      (await sql.query<Row>('DELETE FROM passkeys WHERE user_id = $1 RETURNING name', [userId])).map(
        (r) => r.name as string,
      ),
    recordPasskeyUse: async (id, counter, backedUp, at) => {
      await sql.query('UPDATE passkeys SET counter = $2, backed_up = $3, last_used_at = $4 WHERE id = $1', [
        id,
        counter,
        backedUp,
        at,
      ]);
    },

    insertMfaToken: async (hash, t) => {
      await sql.query('DELETE FROM mfa_tokens WHERE user_id = $1 AND expires_at < $2', [
        t.userId,
        new Date(),
      ]);
      await sql.query(
        `INSERT INTO mfa_tokens (token_hash, user_id, remember, device_name, failures, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [hash, t.userId, t.remember, t.deviceName, t.failures, t.expiresAt],
      );
    },
    findMfaToken: (hash) => one('SELECT * FROM mfa_tokens WHERE token_hash = $1', [hash], toMfaToken),
    lockMfaToken: (hash) =>
      one('SELECT * FROM mfa_tokens WHERE token_hash = $1 FOR UPDATE', [hash], toMfaToken),
    deleteMfaToken: async (hash) => {
      await sql.query('DELETE FROM mfa_tokens WHERE token_hash = $1', [hash]);
    },
    countMfaFailure: async (hash) => {
      const rows = await sql.query<Row>(
        'UPDATE mfa_tokens SET failures = failures + 1 WHERE token_hash = $1 RETURNING failures',
        [hash],
      );
      return (rows[0]?.failures as number) ?? 0;
    },

    insertChallenge: async (idHash, c) => {
      await sql.query('DELETE FROM webauthn_challenges WHERE expires_at < $1', [new Date()]);
      await sql.query(
        `INSERT INTO webauthn_challenges (id_hash, purpose, challenge, user_id, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [idHash, c.purpose, c.challenge, c.userId, c.expiresAt],
      );
    },
    takeChallenge: (idHash, purpose) =>
      one(
        'DELETE FROM webauthn_challenges WHERE id_hash = $1 AND purpose = $2 RETURNING *',
        [idHash, purpose],
        toChallenge,
      ),
  };
}
