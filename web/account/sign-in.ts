/**
 * Signing in: the password form, "Sign in with a passkey" (a discoverable
 * passkey, @simplewebauthn/browser), and the second step of an account with
 * TOTP (a code from the app, or a recovery code). Every way ends in the
 * cookies being set; the page then shows the account (`signedIn`).
 */
import { startAuthentication } from '@simplewebauthn/browser';
import type { SecondFactorRequired } from '../../client/index.js';
import type { ConsoleParts } from './console-parts.js';
import { resendVerification } from './mailed-links.js';
import { $, clearMessages, describe, fieldError, fields, isCode, show, warn } from './ui.js';

export function signInViews({
  client,
  api,
  run,
  showSignedOut,
  signedIn,
}: ConsoleParts & { signedIn: () => Promise<void> }): void {
  const remember = () => $<HTMLInputElement>('remember').checked;
  interface PendingSecondStep extends SecondFactorRequired {
    remember: boolean;
    since: number;
    failures: number;
  }
  let pendingMfa: PendingSecondStep | null = null;
  /** REQUIRE_VERIFIED_EMAIL refuses a password and a passkey alike (docs/api.md §8). */
  const UNVERIFIED =
    'Verify your email address first: follow the link we sent you. You can ask for a new one below.';
  /** The button "below" that message, shown with it. */
  const offerResend = (shown: boolean) => {
    $('sign-in-resend').hidden = !shown;
  };
  $('sign-in-resend').addEventListener('click', () => {
    // A new link to the address typed above (a passkey's refusal names none: it must be typed).
    const email = $<HTMLInputElement>('email').value.trim();
    if (!email) {
      fieldError('sign-in-error', 'Type your email address above, then ask for the link again.');
      $('email').focus();
      return;
    }
    void run(async () => {
      await resendVerification(api, email);
      fieldError('sign-in-error', null);
      offerResend(false);
    });
  });
  /** docs/api.md §10: an mfaToken lives 5 minutes and allows 5 wrong codes. */
  const MFA_ATTEMPTS = 5;
  const MFA_LIFETIME_MS = 5 * 60_000;

  const signInForm = $<HTMLFormElement>('sign-in-form');
  signInForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { email = '', password = '' } = fields(signInForm);
    fieldError('sign-in-error', null);
    offerResend(false);
    void run(async () => {
      try {
        const answer = await client.login({ email, password, remember: remember() });
        signInForm.reset();
        if ('mfaRequired' in answer) return askSecondFactor({ ...answer, remember: remember() });
        await finish();
      } catch (err) {
        fieldError(
          'sign-in-error',
          isCode(err, 'UNAUTHORIZED')
            ? 'That email and password do not match an account.'
            : isCode(err, 'EMAIL_NOT_VERIFIED')
              ? UNVERIFIED
              : describe(err),
        );
        offerResend(isCode(err, 'EMAIL_NOT_VERIFIED'));
        $('password').focus();
      }
    });
  });

  $('passkey-sign-in').addEventListener('click', () =>
    run(async () => {
      fieldError('sign-in-error', null);
      offerResend(false);
      try {
        const { challengeId, options } = await api.passkeySignInOptions();
        // The server's options are @simplewebauthn/server's, typed loosely in the API document.
        const response = await startAuthentication({ optionsJSON: options as never });
        await client.loginPasskey({ challengeId, response: response as never, remember: remember() });
        await finish();
      } catch (err) {
        fieldError(
          'sign-in-error',
          isCode(err, 'UNAUTHORIZED')
            ? 'That passkey is not registered to any account here.'
            : isCode(err, 'EMAIL_NOT_VERIFIED')
              ? UNVERIFIED
              : describe(err),
        );
        offerResend(isCode(err, 'EMAIL_NOT_VERIFIED'));
      }
    }),
  );

  // ---- the second step: a code from the authenticator app, or a recovery code ---------------

  let useRecoveryCode = false;

  function askSecondFactor(challenge: SecondFactorRequired & { remember: boolean }): void {
    pendingMfa = { ...challenge, since: Date.now(), failures: 0 };
    setMfaMethod(false);
    $('mfa-switch').hidden = !challenge.methods.includes('recovery_code');
    clearMessages();
    show('mfa');
  }

  function setMfaMethod(recovery: boolean): void {
    useRecoveryCode = recovery;
    $('mfa-code-field').hidden = recovery;
    $('mfa-recovery-field').hidden = !recovery;
    $<HTMLInputElement>('mfa-code').required = !recovery;
    $<HTMLInputElement>('mfa-recovery-code').required = recovery;
    $('mfa-lead').textContent = recovery
      ? 'Enter one of the recovery codes you saved when you set up two-step verification. Each works once.'
      : 'Enter the 6-digit code from your authenticator app.';
    $('mfa-switch').textContent = recovery
      ? 'Use a code from the app instead'
      : 'Use a recovery code instead';
    fieldError('mfa-error', null);
  }

  $('mfa-switch').addEventListener('click', () => {
    setMfaMethod(!useRecoveryCode);
    $(useRecoveryCode ? 'mfa-recovery-code' : 'mfa-code').focus();
  });
  $('mfa-cancel').addEventListener('click', () => {
    pendingMfa = null;
    $<HTMLFormElement>('mfa-form').reset();
    showSignedOut();
  });

  const mfaForm = $<HTMLFormElement>('mfa-form');
  mfaForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const challenge = pendingMfa;
    if (!challenge) return showSignedOut();
    const { code = '', recoveryCode = '' } = fields(mfaForm);
    fieldError('mfa-error', null);
    void run(async () => {
      try {
        const second = useRecoveryCode
          ? { recoveryCode: recoveryCode.trim() }
          : { code: code.replace(/\s+/g, '') };
        await client.loginMfa({ mfaToken: challenge.mfaToken, remember: challenge.remember, ...second });
        mfaForm.reset();
        await finish();
      } catch (err) {
        // Every refusal is a 401: a wrong code (the sign-in goes on), or a sign-in that is over
        // (its mfaToken lives 5 minutes and dies at the fifth wrong code). The server says which.
        if (!isCode(err, 'UNAUTHORIZED')) {
          fieldError('mfa-error', describe(err));
          return;
        }
        challenge.failures++;
        if (challenge.failures >= MFA_ATTEMPTS || Date.now() - challenge.since >= MFA_LIFETIME_MS) {
          pendingMfa = null;
          mfaForm.reset();
          showSignedOut();
          warn('That sign-in has ended. Sign in with your password again.');
          return;
        }
        fieldError('mfa-error', 'That code is wrong, has expired or was already used. Try again.');
        $(useRecoveryCode ? 'mfa-recovery-code' : 'mfa-code').focus();
      }
    });
  });

  async function finish(): Promise<void> {
    pendingMfa = null;
    await signedIn();
  }
}
