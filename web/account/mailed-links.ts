/**
 * The views reached by link: create an account, forgotten password, and the
 * two mailed links (#reset= asks for a new password, #verify= verifies the
 * address). account.ts reads the token from the address and calls `openReset`
 * or `verify`.
 */
import type { ConsoleParts } from './console-parts.js';
import { $, clearMessages, describe, fieldError, fields, isCode, say, show } from './ui.js';

export function recoveryViews({
  client,
  api,
  run,
  showSignedOut,
  go,
}: ConsoleParts & { go: (view: 'sign-in' | 'register' | 'forgot') => void }) {
  const registerForm = $<HTMLFormElement>('register-form');
  registerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { name = '', email = '', password = '' } = fields(registerForm);
    fieldError('register-error', null);
    void run(async () => {
      try {
        await client.register({ email, password, ...(name.trim() ? { name: name.trim() } : {}) });
      } catch (err) {
        fieldError('register-error', describe(err));
        return;
      }
      registerForm.reset();
      go('sign-in');
      say(`Account created. We sent a link to ${email} to verify the address; you can sign in now.`);
      $<HTMLInputElement>('email').value = email;
    });
  });

  const forgotForm = $<HTMLFormElement>('forgot-form');
  forgotForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { email = '' } = fields(forgotForm);
    fieldError('forgot-error', null);
    void run(async () => {
      try {
        await api.forgotPassword(email);
      } catch (err) {
        fieldError('forgot-error', describe(err));
        return;
      }
      forgotForm.reset();
      // The same answer whether or not the address has an account (the server's too).
      say(
        `If ${email} has an account, a link to choose a new password is on its way. It works for 30 minutes.`,
      );
    });
  });

  let resetToken: string | null = null;
  const resetForm = $<HTMLFormElement>('reset-form');
  resetForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { newPassword = '' } = fields(resetForm);
    fieldError('reset-error', null);
    void run(async () => {
      if (!resetToken) return go('forgot');
      try {
        await api.resetPassword(resetToken, newPassword);
      } catch (err) {
        fieldError(
          'reset-error',
          isCode(err, 'INVALID_TOKEN')
            ? 'This link has expired or has already been used. Ask for a new one.'
            : describe(err),
        );
        return;
      }
      resetToken = null;
      resetForm.reset();
      showSignedOut();
      say('Your password has been changed and every device signed out. Sign in with the new password.');
    });
  });

  async function verify(token: string): Promise<void> {
    show('verify');
    const result = $('verify-result');
    result.textContent = 'Checking your link…';
    $('resend-form').hidden = true;
    try {
      await api.verifyEmail(token);
      result.textContent = 'Your email address is verified. Thank you.';
      say('Email address verified.');
    } catch (err) {
      if (!isCode(err, 'INVALID_TOKEN')) throw err;
      result.textContent = 'This link has expired or has already been used.';
      $('resend-form').hidden = false;
    }
  }

  const resendForm = $<HTMLFormElement>('resend-form');
  resendForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { email = '' } = fields(resendForm);
    void run(async () => {
      await resendVerification(api, email);
      resendForm.reset();
    });
  });

  return {
    /** A mailed reset link: ask for the new password (the token is kept in memory only). */
    openReset(token: string): void {
      resetToken = token;
      clearMessages();
      show('reset');
    },
    verify,
  };
}

/** Asks for a new verification link (the same 202 whatever the address), and says so. */
export async function resendVerification(api: ConsoleParts['api'], email: string): Promise<void> {
  await api.resendVerification(email);
  say(`If ${email} has an account waiting for verification, a new link is on its way.`);
}
