import { describe, expect, it } from 'vitest';
import { combine, type Throughput } from '../../bench/load.js';

function slice(over: Partial<Throughput> & Pick<Throughput, 'ok' | 'seconds'>): Throughput {
  return {
    rps: over.ok / over.seconds,
    latency: { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 },
    requests: over.ok,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: { '200': over.ok },
    ...over,
  };
}

describe('combine (the bench joins a server’s alternating slices into one figure)', () => {
  it('adds the counts and divides the successes by the seconds measured, not averaging rates', () => {
    const t = combine([slice({ ok: 1000, seconds: 2 }), slice({ ok: 3000, seconds: 1 })]);
    expect(t.ok).toBe(4000);
    expect(t.seconds).toBe(3);
    expect(t.rps).toBeCloseTo(4000 / 3);
    expect(t.statusCodes).toEqual({ '200': 4000 });
  });

  it('weights p50 and the mean by requests and keeps the worst slice’s p99 and max', () => {
    const t = combine([
      slice({ ok: 300, seconds: 1, latency: { p50: 1, p90: 2, p99: 9, max: 20, mean: 1 } }),
      slice({ ok: 100, seconds: 1, latency: { p50: 5, p90: 6, p99: 7, max: 30, mean: 5 } }),
    ]);
    expect(t.latency.p50).toBe(2);
    expect(t.latency.mean).toBe(2);
    expect(t.latency.p99).toBe(9);
    expect(t.latency.max).toBe(30);
  });

  it('carries failures and an exhausted slice through, and CPU weighted by seconds', () => {
    const cpu = (server: number) => ({
      machineBusy: 190,
      server,
      postgres: 0,
      bench: 90,
      other: 0,
      steal: 0,
    });
    const t = combine([
      slice({ ok: 10, seconds: 3, non2xx: 2, cpu: cpu(100) }),
      slice({ ok: 10, seconds: 1, errors: 1, timeouts: 1, exhausted: true, cpu: cpu(60) }),
    ]);
    expect([t.non2xx, t.errors, t.timeouts, t.exhausted]).toEqual([2, 1, 1, true]);
    expect(t.cpu?.server).toBe(90);
    expect(
      combine([slice({ ok: 1, seconds: 1, cpu: cpu(1) }), slice({ ok: 1, seconds: 1 })]).cpu,
    ).toBeUndefined();
  });

  it('refuses nothing to combine', () => {
    expect(() => combine([])).toThrow(/no slices/);
  });
});
