/**
 * The account page's script: sign in, list this account's sessions, sign
 * devices out. Everything goes through the typed client in cookie mode (the
 * tokens stay in HttpOnly cookies); bundled for the browser by
 * src/http/account-assets.ts.
 */
import { createGatehouseClient, GatehouseError, type Me, type SessionInfo } from '../../client/index.js';

const client = createGatehouseClient({
  baseUrl: location.origin,
  mode: 'cookie',
  onSignedOut: () => showSignedOut('Your session has ended. Sign in again to continue.'),
});

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
};

const view = { loading: $('loading'), signedOut: $('signed-out'), signedIn: $('signed-in') };
const status = $('status');
const alertBox = $('alert');
const form = $<HTMLFormElement>('sign-in-form');
const formError = $('sign-in-error');
const tbody = $<HTMLTableElement>('sessions').tBodies[0]!;
let signedIn = false;

// ---- views -------------------------------------------------------------------

function show(which: keyof typeof view): void {
  for (const [name, element] of Object.entries(view)) element.hidden = name !== which;
}

function say(message: string): void {
  alertBox.hidden = true;
  alertBox.textContent = '';
  status.textContent = message;
}

function warn(message: string): void {
  status.textContent = '';
  alertBox.textContent = message;
  alertBox.hidden = false;
}

function showSignedOut(message?: string): void {
  const was = signedIn || view.loading.hidden === false;
  signedIn = false;
  tbody.replaceChildren();
  show('signedOut');
  if (message) say(message);
  if (was) $('sign-in-title').focus();
}

function showAccount(me: Me): void {
  signedIn = true;
  $('who').textContent = me.user.name ? `${me.user.name} (${me.user.email})` : me.user.email;
  show('signedIn');
}

/** Runs an action with its buttons disabled, turning a failure into a message. */
async function busy(action: () => Promise<void>): Promise<void> {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('button')];
  for (const b of buttons) b.disabled = true;
  try {
    await action();
  } catch (err) {
    if (err instanceof GatehouseError && err.status === 401) showSignedOut('Your session has ended.');
    else warn(describe(err));
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

const describe = (err: unknown): string =>
  err instanceof GatehouseError
    ? err.code === 'NETWORK_ERROR'
      ? 'Gatehouse could not be reached. Check your connection and try again.'
      : `${err.message}: ${err.description}`
    : 'Something went wrong. Try again.';

// ---- the session list -------------------------------------------------------------

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function time(iso: string): HTMLTimeElement {
  const t = document.createElement('time');
  t.dateTime = iso;
  t.textContent = when.format(new Date(iso));
  return t;
}

const withoutVersion = (name: string | null): string | null => name?.replace(/ [\d.]+$/, '') ?? null;

/**
 * What the user calls the device: the name given at sign-in, else "Firefox on Linux" from the
 * device the server parsed from its user agent (the full string is shown beneath it).
 */
export function deviceLabel(s: Pick<SessionInfo, 'device' | 'deviceName'>): string {
  if (s.deviceName) return s.deviceName;
  const browser = withoutVersion(s.device.browser);
  const os = withoutVersion(s.device.os);
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? 'Unknown device';
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "2 minutes ago", "yesterday"; under a minute is "just now". */
export function lastActive(iso: string, now = Date.now()): string {
  const ago = Math.max(0, now - Date.parse(iso));
  for (const [unit, ms] of UNITS) if (ago >= ms) return relative.format(-Math.floor(ago / ms), unit);
  return 'just now';
}

function activeTime(iso: string): HTMLTimeElement {
  const t = time(iso);
  t.title = t.textContent ?? '';
  t.textContent = lastActive(iso);
  return t;
}

function cell(...children: (Node | string)[]): HTMLTableCellElement {
  const td = document.createElement('td');
  td.append(...children);
  return td;
}

function row(s: SessionInfo): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.sessionId = s.id;
  if (s.current) tr.className = 'current';

  const name = document.createElement('span');
  name.className = 'device';
  name.textContent = deviceLabel(s);
  const device = cell(name);
  if (s.current) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'This device';
    device.append(badge);
  }
  const ua = document.createElement('span');
  ua.className = 'user-agent';
  ua.textContent = s.userAgent ?? 'No user agent sent';
  device.append(ua);

  const action = cell();
  if (!s.current) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Sign out';
    button.setAttribute(
      'aria-label',
      `Sign out ${deviceLabel(s)}, signed in ${when.format(new Date(s.createdAt))}`,
    );
    button.addEventListener('click', () => busy(() => signOutDevice(s)));
    action.append(button);
  }

  tr.append(device, cell(s.ip ?? 'unknown'), cell(time(s.createdAt)), cell(activeTime(s.lastUsedAt)), action);
  return tr;
}

async function loadSessions(): Promise<void> {
  const sessions = await client.sessions();
  tbody.replaceChildren(...sessions.map(row));
}

// ---- actions -----------------------------------------------------------------------

async function start(): Promise<void> {
  try {
    showAccount(await client.me());
    await loadSessions();
  } catch (err) {
    if (err instanceof GatehouseError && err.status === 401) return showSignedOut();
    showSignedOut();
    warn(describe(err));
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  formError.hidden = true;
  void busy(async () => {
    let me: Me;
    try {
      const answer = await client.login({
        email: String(data.get('email')),
        password: String(data.get('password')),
        // Unticked: a short session whose cookies end with the browser session (docs/api.md §7).
        remember: data.get('remember') !== null,
      });
      // The second step (POST /account/login/mfa) is the account page's to ask for; until it does, say so.
      if ('mfaRequired' in answer) {
        formError.textContent = 'This account has a second factor, which this page cannot ask for yet.';
        formError.hidden = false;
        return;
      }
      me = { user: answer.user, session: answer.session };
    } catch (err) {
      formError.textContent =
        err instanceof GatehouseError && err.status === 401
          ? 'That email and password do not match an account.'
          : describe(err);
      formError.hidden = false;
      $('password').focus();
      return;
    }
    form.reset();
    say('You are signed in.');
    showAccount(me);
    await loadSessions();
    $('account-title').focus();
  });
});

/** Ends this device's session (alone or with every other): a 401/409 means it already was. */
async function signOut(everywhere: boolean): Promise<void> {
  try {
    const { alreadyEnded } = everywhere ? await client.endAllSessions() : await client.logout();
    showSignedOut(
      alreadyEnded
        ? 'This device had already been signed out.'
        : everywhere
          ? 'You have signed out on every device.'
          : 'You have signed out.',
    );
  } catch (err) {
    // The server could not confirm, but this browser's cookies are gone: never stay signed in here.
    showSignedOut();
    warn(`Signed out here, but Gatehouse could not confirm it: ${describe(err)}`);
  }
}

async function signOutDevice(s: SessionInfo): Promise<void> {
  const { alreadyEnded } = await client.endSession(s.id);
  if (!signedIn) return; // the answer was that this device's own session is over
  say(
    alreadyEnded
      ? `${deviceLabel(s)} had already been signed out.`
      : `${deviceLabel(s)} has been signed out.`,
  );
  await loadSessions();
}

async function signOutOthers(): Promise<void> {
  const { alreadyEnded } = await client.endOtherSessions();
  if (alreadyEnded || !signedIn) return showSignedOut('This device had already been signed out.');
  say('Every other device has been signed out.');
  await loadSessions();
}

$('sign-out').addEventListener('click', () => busy(() => signOut(false)));
$('sign-out-all').addEventListener('click', () => busy(() => signOut(true)));
$('sign-out-others').addEventListener('click', () => busy(signOutOthers));
$('reload').addEventListener('click', () =>
  busy(async () => {
    await loadSessions();
    if (signedIn) say('Session list updated.');
  }),
);
// Coming back to the tab: show what changed meanwhile (and notice a sign-out from elsewhere).
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && signedIn) void busy(loadSessions);
});

void start();
