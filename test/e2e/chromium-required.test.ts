import { describe, expect, it } from 'vitest';
import { CHROMIUM, missingChromium } from '../support/chromium.js';

/**
 * Without Chromium the browser tests cannot run: in CI that fails the run (a green CI run must
 * mean they ran), elsewhere they are skipped with one line (test/support/global-setup.ts).
 */
describe('a missing Chromium', () => {
  it('fails a CI run, with one line naming the browser and how to install it', () => {
    for (const CI of ['true', '1', 'yes', 'woodpecker']) {
      const missing = missingChromium({ CI }, false);
      expect(missing).toEqual({
        fail: `CI is set and the browser tests (test/e2e) cannot run: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`,
      });
    }
  });

  it('skips the browser tests elsewhere, saying so', () => {
    for (const env of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }, { CI: 'FALSE' }])
      expect(missingChromium(env, false)).toEqual({
        skip: `The browser tests (test/e2e) are skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`,
      });
  });

  it('changes nothing when Chromium is there, in CI or not', () => {
    expect(missingChromium({ CI: 'true' }, true)).toBeNull();
    expect(missingChromium({}, true)).toBeNull();
  });
});
