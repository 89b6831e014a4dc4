import Bowser from 'bowser';

/** What a session's User-Agent says about its device (docs/api.md §7), for people telling sessions apart. */
export interface Device {
  /** e.g. "Chrome 120"; null when the User-Agent names none. */
  browser: string | null;
  /** e.g. "macOS 10.15"; null when the User-Agent names none. */
  os: string | null;
  type: 'desktop' | 'mobile' | 'tablet' | 'tv' | 'bot' | 'unknown';
}

const TYPES = new Set(['desktop', 'mobile', 'tablet', 'tv', 'bot']);
const UNKNOWN: Device = { browser: null, os: null, type: 'unknown' };

const named = (name: string | undefined, version: string | undefined, parts: number): string | null => {
  if (!name) return null;
  const short = version?.split('.').slice(0, parts).join('.');
  return short ? `${name} ${short}` : name;
};

// Parsing costs about half a millisecond (bowser tries its rules one by one), and a page of
// 200 sessions would pay it 200 times. Sessions share a handful of User-Agents, so the results
// are kept, a bounded number of them: the oldest go first.
const PARSED_MAX = 2000;
const parsed = new Map<string, Device>();

/**
 * Parsed with bowser (MIT, maintained). Only the major browser version and
 * two parts of the OS version: enough to recognise a device, not a fingerprint.
 */
export function deviceOf(userAgent: string | null): Device {
  if (!userAgent) return UNKNOWN;
  const known = parsed.get(userAgent);
  if (known) return known;
  // Shared by every session with this User-Agent: frozen, so no caller can change it for the others.
  const device = Object.freeze(parse(userAgent));
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
  parsed.set(userAgent, device);
  return device;
}

function parse(userAgent: string): Device {
  try {
    const { browser, os, platform } = Bowser.parse(userAgent);
    const type = platform.type && TYPES.has(platform.type) ? (platform.type as Device['type']) : 'unknown';
    return { browser: named(browser.name, browser.version, 1), os: named(os.name, os.version, 2), type };
  } catch {
    return UNKNOWN;
  }
}
