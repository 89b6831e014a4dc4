/**
 * The account console's entry point: the session state, which view to show
 * (the address's #register, #forgot and mailed #verify=/#reset= links), and
 * the device list with every kind of sign-out. Signing in is sign-in.ts, the
 * views reached by link mailed-links.ts, the signed-in security sections
 * security.ts. Everything goes through the typed client in
 * cookie mode (the tokens stay in HttpOnly cookies); bundled for the browser
 * by src/http/account-assets.ts.
 */
import { createGatehouseClient, GatehouseError, type Me, type SessionInfo } from '../../client/index.js';
import { accountApi } from './account-api.js';
import { deviceLabel, renderDevices } from './devices.js';
import { recoveryViews } from './mailed-links.js';
import { oidcReturn } from './oidc-return.js';
import { describeUnlessCancelled, freshProof } from './proof.js';
import { securitySections } from './security.js';
import { readHint, writeHint } from './session-hint.js';
import { signInViews } from './sign-in.js';
import {
  $,
  busy,
  clearMessages,
  confirmAction,
  currentView,
  describe,
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
  // Every page (GET /auth/sessions pages by cursor): a device list is short.
  const sessions = await client.allSessions();
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

/** After any way of signing in: the cookies are set. */
async function signedIn(): Promise<void> {
  // The cookies are set; the client learns the session (and the page its details) from /auth/me.
  const who = await client.me();
  // Sent here by the OpenID Provider (docs/oidc.md): back to the application, signed in.
  if (oidcReturn) return oidcReturn.continue();
  say('You are signed in.');
  await showAccount(who);
}

// ---- the signed-out views --------------------------------------------------------------

signInViews({ client, api, run, showSignedOut, signedIn });
const links = recoveryViews({ client, api, run, showSignedOut, go });

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
      links.openReset(token('#reset='));
    } else await links.verify(token('#verify='));
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

/** The OpenID Provider needs a sign-in here before it answers the application. */
function signInForApplication(): void {
  show('sign-in', false);
  say('Sign in to continue to the application.');
}

async function start(): Promise<void> {
  if (oidcReturn?.signInAgain) return signInForApplication();
  const hint = readHint();
  const routed = await route();
  // No sign that this browser has a session: no request that could only answer 401. The
  // OpenID Provider's visit asks anyway: the cookie decides, and it answers either way.
  if (hint === null && !oidcReturn) {
    if (!routed) show('sign-in', false);
    return;
  }
  try {
    const who = await client.me();
    if (oidcReturn) return oidcReturn.continue();
    if (!routed) await showAccount(who);
    else me = who;
  } catch (err) {
    if (err instanceof GatehouseError && err.status === 401) {
      if (oidcReturn?.silent) return oidcReturn.continue(); // prompt=none: the provider says login_required
      if (oidcReturn) return signInForApplication();
      // With storage blocked this is simply a visit without a session. Otherwise this browser
      // had a session and the server says it is over: ended elsewhere, or its time ran out.
      if (hint === undefined || hint === null) {
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
