import { randomUUID } from 'node:crypto';
import { login as passwordStep } from '../../src/domain/sessions.js';
import { MFA_TOKEN_MAX_FAILURES } from '../../src/mfa/challenge.js';
import { sha256 } from '../../src/mfa/secrets.js';
import type { SoftwareAuthenticator } from './authenticator.js';
import {
  addPasskey,
  authenticationOptions,
  authenticatorFor,
  enableTotp,
  registrationOptions,
  totpCode,
} from './factors.js';
import { PASSWORD, register, type SignedIn, signedInUser, type TestApp, uniqueEmail } from './harness.js';
import type { Template } from './hostile.js';
import { mailedToken } from './mail.js';

const ORIGIN = { ip: null, userAgent: 'fuzz-fixtures' };
const ELSEWHERE = 'https://evil.example.test';
const STEP_MS = 30_000;

/**
 * Known-good request bodies for the fuzzer (test/security/fuzz.test.ts), one list per route,
 * and the state they need, so that the fuzzer's mutations start from requests that reach the
 * business logic: a pending TOTP enrolment for the live user, a second user with TOTP and a
 * live mfaToken, WebAuthn challenges with answers for them, mailed tokens. Each template holds
 * a refusal the route decides itself (a wrong code, an answer from another origin, an unknown
 * token), so "a refused request changes nothing" covers those too, and some a success.
 *
 * What a case spends (a challenge, an mfaToken) is renewed before the next case that needs it;
 * `changed` then says so, since renewing writes rows outside the request under test.
 */
export class FuzzFixtures {
  changed = false;
  #registration: { challengeId: string; good: object; elsewhere: object } | null = null;
  #assertion: { challengeId: string; good: object; elsewhere: object } | null = null;
  #mfaToken = '';

  private constructor(
    private readonly t: TestApp,
    private readonly victim: SignedIn,
    private readonly victimPasskey: string,
    /** A user with TOTP enabled, whose password step the fuzzer's second steps continue. */
    private readonly second: { id: string; email: string; secret: string },
    /** A user with a passkey, on this authenticator, whose sign-ins the fuzzer answers. */
    private readonly passkeyUser: { id: string; authenticator: SoftwareAuthenticator },
    /** An unverified account's verification token, and a reset token of another account. */
    private readonly tokens: { verify: string; reset: string },
  ) {}

  static async create(t: TestApp, victim: SignedIn): Promise<FuzzFixtures> {
    const victimPasskey = (await addPasskey(t, victim, authenticatorFor(t), 'Victim')).id;
    const second = await signedInUser(t);
    const { secret } = await enableTotp(t, second);
    const withPasskey = await signedInUser(t);
    const authenticator = authenticatorFor(t);
    await addPasskey(t, withPasskey, authenticator);
    const unverified = await register(t, uniqueEmail('fuzz-unverified'));
    const resetting = await register(t, uniqueEmail('fuzz-reset'));
    const tokens = {
      verify: await mailedToken(t, unverified, 'verify'),
      reset: await mailedToken(t, resetting, 'reset'),
    };
    return new FuzzFixtures(
      t,
      victim,
      victimPasskey,
      { id: second.user.id, email: second.user.email, secret },
      { id: withPasskey.user.id, authenticator },
      tokens,
    );
  }

  /** Known-good bodies for `path` as `u` (the live user) would send them; the fuzzer mutates them. */
  async templates(path: string, u: SignedIn): Promise<Template[]> {
    switch (path) {
      case '/auth/register':
        return [{ email: 'fuzz.new@example.test', password: PASSWORD, name: 'Fuzz' }];
      case '/auth/login':
        return [
          { email: u.user.email, password: 'not the password at all' },
          { email: 'nobody@example.test', password: PASSWORD },
          { email: u.user.email, password: PASSWORD },
        ];
      case '/auth/refresh':
        return [{ refreshToken: u.refreshToken }, { refreshToken: 'x'.repeat(43) }];
      case '/auth/revoke':
        return [
          { token: 'not-a-token', token_type_hint: 'refresh_token' },
          { token: u.refreshToken },
          { token: u.accessToken, token_type_hint: 'access_token' },
        ];
      case '/auth/logout':
        return [
          {},
          { scope: 'others' },
          { sessionId: this.victim.session.id },
          { sessionId: randomUUID() },
          { userId: this.victim.user.id, scope: 'all' },
        ];
      case '/auth/password':
        return [{ currentPassword: 'not the current password', newPassword: 'a brand new passphrase' }];
      case '/auth/reauthenticate':
        return [{ password: 'not the password at all' }, { code: '000000' }];
      case '/auth/password/forgot':
      case '/auth/email/verify/resend':
        return [{ email: u.user.email }, { email: 'nobody@example.test' }];
      case '/auth/email/verify':
        // The real token verifies once; then it is a used one.
        return [{ token: 'x'.repeat(43) }, { token: this.tokens.verify }];
      case '/auth/password/reset':
        return [
          { token: 'x'.repeat(43), newPassword: 'a brand new passphrase' },
          // A weak password is refused after the token is checked, and the token stays usable.
          { token: this.tokens.reset, newPassword: 'short' },
          { token: this.tokens.reset, newPassword: PASSWORD },
        ];
      case '/auth/email':
        return [
          { newEmail: 'fuzz.changed@example.test' },
          { newEmail: this.victim.user.email },
          { newEmail: u.user.email },
        ];
      case '/auth/totp/confirm':
        return [{ code: await wrongCode(await this.#pendingSecret(u)) }];
      case '/auth/login/mfa': {
        const mfaToken = await this.#liveMfaToken();
        return [
          { mfaToken, code: await wrongCode(this.second.secret) },
          { mfaToken, recoveryCode: 'aaaaa-aaaaa', deviceName: 'Fuzz' },
        ];
      }
      case '/auth/passkeys': {
        const { challengeId, good, elsewhere } = await this.#registrationFor(u);
        return [
          { challengeId, response: elsewhere },
          { challengeId, response: good, name: 'Fuzz key' },
        ];
      }
      case '/auth/passkeys/{id}':
        return [{ name: 'Fuzz renamed' }];
      case '/auth/login/passkey': {
        const { challengeId, good, elsewhere } = await this.#assertionFor();
        return [
          { challengeId, response: elsewhere },
          { challengeId, response: good, remember: false },
        ];
      }
      default:
        return [{}];
    }
  }

  /** Whether wrong second steps were refused and recorded: a wrong TOTP code, a passkey answer from elsewhere. */
  async refusedSecondSteps(): Promise<{ wrongCode: boolean; passkeyElsewhere: boolean }> {
    const failed = async (userId: string, reason: string) =>
      (await this.t.store.listAuditEvents({ userId, limit: 10_000 })).some(
        (e) => e.action === 'login.failed' && e.reason === reason,
      );
    return {
      wrongCode: await failed(this.second.id, 'bad_second_factor'),
      passkeyElsewhere: await failed(this.passkeyUser.id, 'bad_passkey'),
    };
  }

  /** `path` with its parameters filled: a random id, or (a passkey) the victim's or the live user's. */
  async path(path: string, pick: number, u: SignedIn): Promise<string> {
    if (path !== '/auth/passkeys/{id}') return path.replace(/\{[^}]+\}/g, () => randomUUID());
    const own = (await this.t.store.listPasskeys(u.user.id)).map((p) => p.id).slice(0, 1);
    const ids = [randomUUID(), this.victimPasskey, ...own];
    return path.replace('{id}', ids[pick % ids.length] as string);
  }

  /** The live user's pending TOTP secret, enrolling one when a case removed it or enabled none. */
  async #pendingSecret(u: SignedIn): Promise<string> {
    const totp = await this.t.store.findTotp(u.user.id);
    if (totp && totp.confirmedAt === null) return totp.secret;
    // Never confirmed here (the live user must keep signing in with its password alone).
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await this.t.store.putPendingTotp(u.user.id, secret);
    this.changed = true;
    return secret;
  }

  /** An mfaToken of the second user's password step, a new one once wrong codes ended it or it nears expiry. */
  async #liveMfaToken(): Promise<string> {
    const row = this.#mfaToken ? await this.t.store.findMfaToken(sha256(this.#mfaToken)) : null;
    if (row && row.failures < MFA_TOKEN_MAX_FAILURES && row.expiresAt.getTime() - Date.now() > 60_000)
      return this.#mfaToken;
    const answer = await passwordStep(this.t.ctx, { email: this.second.email, password: PASSWORD }, ORIGIN);
    if (!('mfaRequired' in answer)) throw new Error('the second user has TOTP: expected a second step');
    this.#mfaToken = answer.mfaToken;
    this.changed = true;
    return this.#mfaToken;
  }

  /** A registration challenge of the live user with two answers: right, and from another origin. */
  async #registrationFor(u: SignedIn) {
    if (this.#registration && (await this.#challengeLives(this.#registration.challengeId)))
      return this.#registration;
    const { challengeId, options } = await registrationOptions(this.t, u);
    const authenticator = authenticatorFor(this.t);
    this.#registration = {
      challengeId,
      good: authenticator.register(options),
      elsewhere: authenticator.register(options, { origin: ELSEWHERE }),
    };
    this.changed = true;
    return this.#registration;
  }

  /** A sign-in challenge with two assertions of the passkey user's passkey: right, and from another origin. */
  async #assertionFor() {
    if (this.#assertion && (await this.#challengeLives(this.#assertion.challengeId))) return this.#assertion;
    const { challengeId, options } = await authenticationOptions(this.t);
    this.#assertion = {
      challengeId,
      // Signed in this order, the right one has the lower counter: either may be used first.
      good: this.passkeyUser.authenticator.authenticate(options),
      elsewhere: this.passkeyUser.authenticator.authenticate(options, { origin: ELSEWHERE }),
    };
    this.changed = true;
    return this.#assertion;
  }

  async #challengeLives(challengeId: string): Promise<boolean> {
    const rows = await this.t.database.db.query(
      "SELECT 1 FROM webauthn_challenges WHERE id_hash = $1 AND expires_at > now() + interval '1 minute'",
      [sha256(challengeId)],
    );
    return rows.length > 0;
  }
}

/** A well-formed TOTP code that no step the server may accept while the case runs gives. */
async function wrongCode(secret: string): Promise<string> {
  const near = await Promise.all([-1, 0, 1, 2].map((s) => totpCode(secret, Date.now() + s * STEP_MS)));
  return ['000000', '111111', '222222', '333333', '444444'].find((c) => !near.includes(c)) as string;
}
