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

/**
 * Parsed with bowser (MIT, maintained). Only the major browser version and
 * two parts of the OS version: enough to recognise a device, not a fingerprint.
 */
export function deviceOf(userAgent: string | null): Device {
  if (!userAgent) return UNKNOWN;
  try {
    const { browser, os, platform } = Bowser.parse(userAgent);
    const type = platform.type && TYPES.has(platform.type) ? (platform.type as Device['type']) : 'unknown';
    return { browser: named(browser.name, browser.version, 1), os: named(os.name, os.version, 2), type };
  } catch {
    return UNKNOWN;
  }
}
