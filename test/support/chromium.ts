import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); never a browser downloaded by Playwright. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * What a run does when Chromium is not at CHROMIUM: null when it is. In CI (the CI variable set,
 * as every CI service sets it) the run fails, so that a green CI run means the browser tests
 * ran; elsewhere they are skipped, said in one line. Pure, for its test.
 */
export function missingChromium(
  env: Record<string, string | undefined>,
  present: boolean,
): { fail: string } | { skip: string } | null {
  if (present) return null;
  const install = `${CHROMIUM} not found (install it with: apt-get install -y chromium)`;
  const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
  return ci
    ? { fail: `CI is set and the browser tests (test/e2e) cannot run: ${install}` }
    : { skip: `The browser tests (test/e2e) are skipped: ${install}` };
}

/**
 * Whether browser tests can run here, for `describe.skipIf`. The global setup has already
 * failed the run in CI, or printed the one line, when they cannot; this throws in CI too, for a
 * file run without that setup.
 */
export function chromiumAvailable(): boolean {
  const missing = missingChromium(process.env, existsSync(CHROMIUM));
  if (missing && 'fail' in missing) throw new Error(missing.fail);
  return missing === null;
}

/** Headless, and quiet on a machine with no outside network (no background fetches). */
export async function launchChromium(): Promise<Browser> {
  // Imported here, not at the top: the global setup reads this module, and most runs start no browser.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
