import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What the account page's Chromium tests share: a "device" (a browser
 * context) that records every console error and script error, axe-core run on
 * the page as it stands, the no-horizontal-scrolling check, and screenshots in
 * test-results/.
 */
export const SCREENSHOTS = 'test-results';

export const LAPTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
export const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';

export const WIDE = { width: 1100, height: 760 };
/** The narrowest phone the page is made for. */
export const NARROW = { width: 360, height: 740 };

export interface Device {
  context: BrowserContext;
  page: Page;
  /** Every console error (failed requests included) and uncaught script error, in order. */
  errors: string[];
}

export async function openDevice(
  browser: Browser,
  opts: { userAgent?: string; viewport?: { width: number; height: number } } = {},
): Promise<Device> {
  const context = await browser.newContext({
    userAgent: opts.userAgent ?? LAPTOP,
    viewport: opts.viewport ?? WIDE,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  return { context, page, errors };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core on the page as it stands (WCAG 2.x A and AA rules and best
 * practices); fails on any serious or critical violation. Injected through
 * the DevTools protocol, so the page's own Content-Security-Policy stays on.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const violations = (await page.evaluate(`(async () => {
    if (!window.axe) { ${AXE}\n }
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  })()`)) as AxeViolation[];
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${state}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(bad).toEqual([]);
}

/** The page does not scroll sideways: nothing is wider than the window. */
export async function expectNoHorizontalScroll(page: Page, state: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
    innerWidth: window.innerWidth,
  }));
  expect(
    scrollWidth,
    `${state}: page is ${scrollWidth}px wide in a ${innerWidth}px window`,
  ).toBeLessThanOrEqual(innerWidth);
}

/** Checks a state of the page (accessible; at 360 px, no sideways scrolling) and keeps a screenshot of it. */
export async function checkState(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await expectNoHorizontalScroll(page, name);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/account-${name}.png`, fullPage: true });
}

export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 });

/**
 * The errors of a device apart from the browser's "Failed to load resource" lines, which
 * Chromium logs for every 4xx answer, including those a test provokes on purpose (a wrong
 * code, a used link). A fresh visit must have none at all (account-console.test.ts).
 */
export const scriptErrors = (errors: string[]): string[] =>
  errors.filter((e) => !e.startsWith('console: Failed to load resource'));
