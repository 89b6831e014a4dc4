/**
 * The device list: every active session of the account as a table on wide
 * screens and as one card per device on narrow ones (account.css turns the
 * rows into cards, each cell labelled by its column), with a per-device
 * sign-out button named after the device.
 */
import type { SessionInfo } from '../../client/index.js';

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

/** The kind of device in words when it is not a computer (computers are the usual case and say nothing). */
const KINDS: Partial<Record<SessionInfo['device']['type'], string>> = {
  mobile: 'Phone',
  tablet: 'Tablet',
  tv: 'TV',
};

function activeTime(iso: string): HTMLTimeElement {
  const t = time(iso);
  t.title = t.textContent ?? '';
  t.textContent = lastActive(iso);
  return t;
}

/** A cell with its column's name, which narrow screens show in front of the value. */
function cell(label: string, ...children: (Node | string)[]): HTMLTableCellElement {
  const td = document.createElement('td');
  td.dataset.label = label;
  td.append(...children);
  return td;
}

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

function row(s: SessionInfo, signOut: (s: SessionInfo) => void): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.sessionId = s.id;
  if (s.current) tr.className = 'current';

  const device = cell('Device', span('device', deviceLabel(s)));
  if (s.current) device.append(span('badge', 'This device'));
  const type = KINDS[s.device.type];
  if (type) device.append(span('device-type', type));
  device.append(span('user-agent', s.userAgent ?? 'No user agent sent'));

  const action = cell('Action');
  action.className = 'action';
  if (!s.current) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Sign out';
    button.setAttribute(
      'aria-label',
      `Sign out ${deviceLabel(s)}, signed in ${when.format(new Date(s.createdAt))}`,
    );
    button.addEventListener('click', () => signOut(s));
    action.append(button);
  }

  tr.append(
    device,
    cell('IP address', s.ip ?? 'unknown'),
    cell('Signed in', time(s.createdAt)),
    cell('Last active', activeTime(s.lastUsedAt)),
    action,
  );
  return tr;
}

/** Replaces the list's rows with these sessions. */
export function renderDevices(
  table: HTMLTableElement,
  sessions: SessionInfo[],
  signOut: (s: SessionInfo) => void,
): void {
  table.tBodies[0]?.replaceChildren(...sessions.map((s) => row(s, signOut)));
}
