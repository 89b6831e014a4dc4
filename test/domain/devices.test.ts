import { describe, expect, it } from 'vitest';
import { deviceOf } from '../../src/domain/devices.js';

describe('deviceOf (the User-Agent, parsed with bowser)', () => {
  it.each([
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      { browser: 'Chrome 120', os: 'macOS 10.15', type: 'desktop' },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      { browser: 'Safari 17', os: 'iOS 17.1', type: 'mobile' },
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
      { browser: 'Firefox 121', os: 'Linux', type: 'desktop' },
    ],
    ['curl/8.4.0', { browser: null, os: null, type: 'unknown' }],
    ['', { browser: null, os: null, type: 'unknown' }],
    [null, { browser: null, os: null, type: 'unknown' }],
  ])('%s', (ua, device) => {
    expect(deviceOf(ua)).toEqual(device);
  });
});
