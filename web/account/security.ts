/**
 * The signed-in account's security sections: email address, password, the
 * authenticator app (TOTP: QR code, manual key, confirm, recovery codes shown
 * once, turn off), and the passkeys (passkeys.ts). Sensitive changes go
 * through the fresh-proof flow (proof.ts).
 */
import type { GatehouseClient, Me } from '../../client/index.js';
import type { AccountApi, Factors } from './account-api.js';
import { passkeySection } from './passkeys.js';
import { qrCode } from './qr.js';
import { $, busy, confirmAction, describe, fieldError, fields, isCode, say } from './ui.js';

export type WithFreshProof = <T>(action: () => Promise<T>) => Promise<T>;

export function securitySections(
  client: GatehouseClient,
  api: AccountApi,
  withFreshProof: WithFreshProof,
  { onError }: { onError: (err: unknown) => void },
) {
  const run = (action: () => Promise<void>) => busy(action, onError);
  const passkeys = passkeySection({ api, run, withFreshProof, reload: () => loadFactors() });
  let email = '';

  // ---- email --------------------------------------------------------------------

  function showEmail(who: Me): void {
    email = who.user.email;
    $('profile-email').textContent = email;
    const verified: boolean | undefined = who.user.emailVerified;
    const state = $('email-state');
    state.hidden = verified === undefined;
    state.textContent = verified ? 'Verified' : 'Not verified';
    state.className = verified ? 'badge' : 'badge warning';
    $('resend-verification').hidden = verified !== false;
  }

  $('resend-verification').addEventListener('click', () =>
    run(async () => {
      await api.resendVerification(email);
      say(`A new verification link is on its way to ${email}.`);
    }),
  );

  const emailForm = $<HTMLFormElement>('email-form');
  emailForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { newEmail = '' } = fields(emailForm);
    void run(async () => {
      await withFreshProof(() => api.changeEmail(newEmail));
      emailForm.reset();
      say(
        `We sent a link to ${newEmail}. Your address changes when you follow it; ${email} keeps working until then.`,
      );
    });
  });

  // ---- password -------------------------------------------------------------------

  const passwordForm = $<HTMLFormElement>('password-form');
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { currentPassword = '', newPassword = '' } = fields(passwordForm);
    fieldError('password-error', null);
    void run(async () => {
      try {
        await withFreshProof(async () => {
          await client.me(); // a fresh access cookie, so a 401 below means a wrong current password
          return client.changePassword({ currentPassword, newPassword });
        });
      } catch (err) {
        if (isCode(err, 'UNAUTHORIZED'))
          return fieldError('password-error', 'Your current password is not right.');
        if (isCode(err, 'VALIDATION_ERROR')) return fieldError('password-error', describe(err));
        throw err;
      }
      passwordForm.reset();
      say('Password changed. Every other device has been signed out.');
    });
  });

  // ---- authenticator app (TOTP) and recovery codes ------------------------------------------

  function showFactors(factors: Factors): void {
    const on = factors.totp.enabled;
    const left = factors.recoveryCodes.remaining;
    $('totp-state').textContent = on
      ? `On: signing in asks for a code from your authenticator app. ${left} recovery code${left === 1 ? '' : 's'} left.`
      : 'Off. With it on, signing in also asks for a code from an authenticator app.';
    $('totp-enable').hidden = on;
    $('totp-disable').hidden = !on;
    $('recovery-regenerate').hidden = !on;
    passkeys.show(factors.passkeys);
  }

  async function loadFactors(): Promise<void> {
    try {
      showFactors(await api.factors());
      $('security').hidden = false;
      $('passkeys').hidden = false;
    } catch (err) {
      // A server without second factors: say nothing about them.
      if (!isCode(err, 'NOT_FOUND')) throw err;
      $('security').hidden = true;
      $('passkeys').hidden = true;
    }
  }

  $('totp-enable').addEventListener('click', () =>
    run(async () => {
      const { secret, otpauthUri } = await withFreshProof(() => api.enrolTotp());
      $('totp-qr').replaceChildren(qrCode(otpauthUri, 'QR code for your authenticator app'));
      // Groups of four, as apps show them; the spaces are ignored when typed.
      $('totp-secret').textContent = secret.replace(/(.{4})/g, '$1 ').trim();
      $('totp-enrol').hidden = false;
      $('totp-enable').hidden = true;
      fieldError('totp-error', null);
      $('totp-code').focus();
    }),
  );

  function closeEnrolment(): void {
    $('totp-enrol').hidden = true;
    $('totp-qr').replaceChildren();
    $('totp-secret').textContent = '';
    $<HTMLFormElement>('totp-confirm-form').reset();
  }

  $('totp-cancel').addEventListener('click', () => {
    closeEnrolment();
    $('totp-enable').hidden = false;
    $('totp-enable').focus();
  });

  const confirmForm = $<HTMLFormElement>('totp-confirm-form');
  confirmForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const { code = '' } = fields(confirmForm);
    fieldError('totp-error', null);
    void run(async () => {
      let codes: string[];
      try {
        ({ recoveryCodes: codes } = await api.confirmTotp(code.replace(/\s+/g, '')));
      } catch (err) {
        if (!isCode(err, 'INVALID_CODE')) throw err;
        fieldError(
          'totp-error',
          'That code is not right. Check the time on your phone and try the next one.',
        );
        $('totp-code').focus();
        return;
      }
      closeEnrolment();
      say('Two-step verification is on.');
      showRecoveryCodes(codes);
      await loadFactors();
    });
  });

  $('totp-disable').addEventListener('click', async () => {
    const sure = await confirmAction(
      'Turn off two-step verification?',
      'Signing in will need only your password (or a passkey). Your recovery codes stop working.',
      'Turn off',
    );
    if (!sure) return $('totp-disable').focus();
    await run(async () => {
      await withFreshProof(() => api.disableTotp());
      say('Two-step verification is off.');
      hideRecoveryCodes();
      await loadFactors();
      $('totp-enable').focus();
    });
  });

  $('recovery-regenerate').addEventListener('click', async () => {
    const sure = await confirmAction(
      'Make new recovery codes?',
      'Your current recovery codes stop working at once.',
      'Make new codes',
    );
    if (!sure) return $('recovery-regenerate').focus();
    await run(async () => {
      const { recoveryCodes } = await withFreshProof(() => api.newRecoveryCodes());
      say('New recovery codes made; the old ones no longer work.');
      showRecoveryCodes(recoveryCodes);
      await loadFactors();
    });
  });

  let shownCodes: string[] = [];

  function showRecoveryCodes(codes: string[]): void {
    shownCodes = codes;
    $('recovery-list').replaceChildren(
      ...codes.map((c) => {
        const li = document.createElement('li');
        const code = document.createElement('code');
        code.textContent = c;
        li.append(code);
        return li;
      }),
    );
    $('recovery-codes').hidden = false;
    $('recovery-title').focus();
  }

  function hideRecoveryCodes(): void {
    shownCodes = [];
    $('recovery-list').replaceChildren();
    $('recovery-codes').hidden = true;
  }

  const codesText = () =>
    `Gatehouse recovery codes for ${email}\nEach code works once.\n\n${shownCodes.join('\n')}\n`;

  $('recovery-copy').addEventListener('click', () =>
    run(async () => {
      await navigator.clipboard.writeText(codesText());
      say('Recovery codes copied.');
    }),
  );
  $('recovery-download').addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([codesText()], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'gatehouse-recovery-codes.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  });
  $('recovery-done').addEventListener('click', () => {
    hideRecoveryCodes();
    $('totp-title').focus();
  });

  return {
    /** Fills the sections for the signed-in user. */
    async load(who: Me): Promise<void> {
      showEmail(who);
      await loadFactors();
    },
    /** Forgets everything shown (signing out). */
    clear(): void {
      email = '';
      closeEnrolment();
      hideRecoveryCodes();
      passkeys.clear();
    },
  };
}
