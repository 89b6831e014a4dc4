import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); never a browser downloaded by Playwright. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether browser tests can run here; says why not, once per file, when they cannot. */
export function chromiumAvailable(file: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available)
    console.warn(`${file} skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
  return available;
}

/** Headless, and quiet on a machine with no outside network (no background fetches). */
export function launchChromium(): Promise<Browser> {
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
