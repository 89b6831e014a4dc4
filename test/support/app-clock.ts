import { vi } from 'vitest';

/**
 * The application's clock only (the database keeps its own): `freeze()` stops Date at now,
 * `advance(ms)` moves it forward, `now` is where it stands. Tests restore real timers after
 * each test (`vi.useRealTimers()`).
 */
export function appClock() {
  const clock = {
    now: 0,
    freeze() {
      vi.useFakeTimers({ toFake: ['Date'] });
      clock.now = Date.now();
      vi.setSystemTime(clock.now);
    },
    advance(ms: number) {
      clock.now += ms;
      vi.setSystemTime(clock.now);
    },
  };
  return clock;
}
