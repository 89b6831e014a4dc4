/**
 * The account console's entry point: which view to show, signing in (password,
 * second factor, passkey), registering, the mailed links (#verify=, #reset=),
 * and the device list with every kind of sign-out. The signed-in security
 * sections are in security.ts. Everything goes through the typed client in
 * cookie mode (the tokens stay in HttpOnly cookies); bundled for the browser
 * by src/http/account-assets.ts.
 */
import { startAuthentication } from '@simplewebauthn/browser';
import {
  createGatehouseClient,
  GatehouseError,
  type Me,
  type SecondFactorRequired,
  type SessionInfo,
} from '../../client/index.js';
import { accountApi } from './account-api.js';
import { deviceLabel, renderDevices } from './devices.js';
import { describeUnlessCancelled, freshProof } from './proof.js';
import { securitySections } from './security.js';
import { readHint, writeHint } from './session-hint.js';
import {
  $,
  busy,
  clearMessages,
  confirmAction,
  currentView,
  describe,
  fieldError,
  fields,
  isCode,
  notice,
  say,
  show,
  warn,
} from './ui.js';

export { deviceLabel, lastActive } from './devices.js';

/** Set while this page itself is signing out, so the client's "signed out" callback is not taken for a remote one. */
let signingOut = false;
let me: Me | null = null;

const client = createGatehouseClient({
  baseUrl: location.origin,
  mode: 'cookie',
  onSignedOut: () => {
    if (!signingOut) endedElsewhere();
  },
});
const api = accountApi(client);
const withFreshProof = freshProof(client);
const security = securitySections(client, api, withFreshProof, { onError: failed });

// ---- signed in / signed out ---------------------------------------------------------

/** This device's session ended without this page asking: another device, an admin, a reset, or its time ran out. */
function endedElsewhere(expiresAt = me ? Date.parse(me.session.expiresAt) : Number.NaN): void {
  showSignedOut();
  notice(
    expiresAt <= Date.now()
      ? 'Your session has expired. Sign in again to continue.'
      : 'This device was signed out from another device. Sign in again to continue.',
  );
}

function showSignedOut(view: 'sign-in' | 'register' | 'forgot' = 'sign-in'): void {
  me = null;
  writeHint(null);
  $<HTMLTableElement>('sessions').tBodies[0]?.replaceChildren();
  security.clear();
  show(view);
}

async function showAccount(who: Me): Promise<void> {
  me = who;
  writeHint({ expiresAt: who.session.expiresAt });
  $('who').textContent = who.user.name ? `${who.user.name} (${who.user.email})` : who.user.email;
  show('account');
  await Promise.all([loadSessions(), security.load(who)]);
}

/** A failed action: a session that ended meanwhile shows the sign-in form; anything else is said. */
function failed(err: unknown): void {
  if (err instanceof GatehouseError && err.status === 401) {
    if (me) endedElsewhere();
    return;
  }
  const message = describeUnlessCancelled(err);
  if (message) warn(message);
}

const run = (action: () => Promise<void>) => busy(action, failed);

// ---- the device list ---------------------------------------------------------------

const table = $<HTMLTableElement>('sessions');

async function loadSessions(): Promise<void> {
  const sessions = await client.sessions();
  if (me) renderDevices(table, sessions, (s) => void run(() => signOutDevice(s)));
}

async function signOutDevice(s: SessionInfo): Promise<void> {
  const { alreadyEnded } = await client.endSession(s.id);
  if (!me) return; // the answer was that this device's own session is over
  say(
    alreadyEnded
      ? `${deviceLabel(s)} had already been signed out.`
      : `${deviceLabel(s)} has been signed out.`,
  );
  await loadSessions();
}

/** Ends this device's session (alone or with every other): a 401/409 means it already was. */
async function signOut(everywhere: boolean): Promise<void> {
  signingOut = true;
  try {
    const { alreadyEnded } = everywhere ? await client.endAllSessions() : await client.logout();
    showSignedOut();
    if (alreadyEnded) notice('This device had already been signed out from another device.');
    else say(everywhere ? 'You have signed out on every device.' : 'You have signed out.');
  } catch (err) {
    // The server could not confirm, but this browser's cookies are gone: never stay signed in here.
    showSignedOut();
    warn(`Signed out here, but Gatehouse could not confirm it: ${describe(err)}`);
  } finally {
    signingOut = false;
  }
}

async function signOutOthers(): Promise<void> {
  const { alreadyEnded } = await client.endOtherSessions();
  if (alreadyEnded || !me) return endedElsewhere();
  say('Every other device has been signed out.');
  await loadSessions();
}

$('sign-out').addEventListener('click', () => run(() => signOut(false)));
$('sign-out-others').addEventListener('click', () => run(signOutOthers));
$('sign-out-all').addEventListener('click', async () => {
  const sure = await confirmAction(
    'Sign out everywhere?',
    'Every device signed in to your account will be signed out, this one included. You will need your password (or passkey) to sign in again.',
    'Sign out everywhere',
  );
  if (sure) await run(() => signOut(true));
  else $('sign-out-all').focus();
});
$('reload').addEventListener('click', () =>
  run(async () => {
    await loadSessions();
    if (me) say('Session list updated.');
  }),
);
// Coming back to the tab: show what changed meanwhile (and notice a sign-out from elsewhere).
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && me) void run(loadSessions);
});

// ---- signing in ----------------------------------------------------------------------

const remember = () => $<HTMLInputElement>('remember').checked;
interface PendingSecondStep extends SecondFactorRequired {
  remember: boolean;
  since: number;
  failures: number;
}
let pendingMfa: PendingSecondStep | null = null;
/** docs/api.md §9: an mfaToken lives 5 minutes and allows 5 wrong codes. */
const MFA_ATTEMPTS = 5;
const MFA_LIFETIME_MS = 5 * 60_000;

/** After any way of signing in: the cookies are set. */
async function signedIn(): Promise<void> {
  pendingMfa = null;
  // The cookies are set; the client learns the session (and the page its details) from /auth/me.
  const who = await client.me();
  say('You are signed in.');
  await showAccount(who);
}

const signInForm = $<HTMLFormElement>('sign-in-form');
signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const { email = '', password = '' } = fields(signInForm);
  fieldError('sign-in-error', null);
  void run(async () => {
    try {
      const answer = await client.login({ email, password, remember: remember() });
      signInForm.reset();
      if ('mfaRequired' in answer) return askSecondFactor({ ...answer, remember: remember() });
      await signedIn();
    } catch (err) {
      fieldError(
        'sign-in-error',
        isCode(err, 'UNAUTHORIZED')
          ? 'That email and password do not match an account.'
          : isCode(err, 'EMAIL_NOT_VERIFIED')
            ? 'Verify your email address first: follow the link we sent you. You can ask for a new one below.'
            : describe(err),
      );
      $('password').focus();
    }
  });
});

$('passkey-sign-in').addEventListener('click', () =>
  run(async () => {
    fieldError('sign-in-error', null);
    try {
      const { challengeId, options } = await api.passkeySignInOptions();
      // The server's options are @simplewebauthn/server's, typed loosely in the API document.
      const response = await startAuthentication({ optionsJSON: options as never });
      await client.loginPasskey({ challengeId, response: response as never, remember: remember() });
      await signedIn();
    } catch (err) {
      fieldError(
        'sign-in-error',
        isCode(err, 'UNAUTHORIZED') ? 'That passkey is not registered to any account here.' : describe(err),
      );
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
  $('mfa-switch').textContent = recovery ? 'Use a code from the app instead' : 'Use a recovery code instead';
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
      await signedIn();
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

// ---- register, forgot, reset, verify ----------------------------------------------------

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
    await api.resendVerification(email);
    resendForm.reset();
    say(`If ${email} has an account waiting for verification, a new link is on its way.`);
  });
});

// ---- navigation: #register, #forgot, #sign-in; the mailed #verify= and #reset= links -----------

/** Shows a signed-out view (ignored when signed in: the account view has its own anchors). */
function go(view: 'sign-in' | 'register' | 'forgot'): void {
  if (me) return;
  clearMessages();
  show(view);
  if (location.hash !== `#${view}`) history.replaceState(null, '', `#${view}`);
}

/**
 * Acts on the address's fragment. A mailed token is read once and removed
 * from the address at once, so it does not stay in the history, a bookmark or
 * a screenshot (a fragment is never sent to a server, so not to logs either).
 */
async function route(): Promise<boolean> {
  const hash = location.hash;
  const token = (prefix: string) => decodeURIComponent(hash.slice(prefix.length));
  if (hash.startsWith('#reset=') || hash.startsWith('#verify=')) {
    history.replaceState(null, '', location.pathname + location.search);
    if (hash.startsWith('#reset=')) {
      resetToken = token('#reset=');
      clearMessages();
      show('reset');
    } else await verify(token('#verify='));
    return true;
  }
  if (hash === '#register' || hash === '#forgot' || hash === '#sign-in') {
    if (me) {
      // Signed in (e.g. "Continue" after verifying an address): the account is the place to go.
      history.replaceState(null, '', location.pathname + location.search);
      if (currentView() !== 'account') await showAccount(me);
      return true;
    }
    go(hash.slice(1) as 'register' | 'forgot' | 'sign-in');
    return true;
  }
  return false;
}

window.addEventListener('hashchange', () => void run(async () => void (await route())));

async function start(): Promise<void> {
  const hint = readHint();
  const routed = await route();
  // No sign that this browser has a session: no request that could only answer 401.
  if (hint === null) {
    if (!routed) show('sign-in', false);
    return;
  }
  try {
    const who = await client.me();
    if (!routed) await showAccount(who);
    else me = who;
  } catch (err) {
    if (err instanceof GatehouseError && err.status === 401) {
      // With storage blocked this is simply a visit without a session. Otherwise this browser
      // had a session and the server says it is over: ended elsewhere, or its time ran out.
      if (hint === undefined) {
        if (!routed) show('sign-in', false);
      } else if (!routed) endedElsewhere(Date.parse(hint.expiresAt));
      else writeHint(null);
      return;
    }
    if (!routed) show('sign-in', false);
    warn(describe(err));
  }
}

void run(start);
