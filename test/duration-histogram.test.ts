import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../src/duration-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const NAME = 'test_duration_seconds';
const HELP = 'Request duration';

/** The same observations recorded by prom-client's Histogram and by ours. */
function both() {
  const theirs = new Registry();
  const ours = new Registry();
  const reference = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status'] as const,
    buckets: BUCKETS,
    registers: [theirs],
  });
  const fast = new DurationHistogram(NAME, HELP, BUCKETS, ours);
  return {
    theirs,
    ours,
    fast,
    observe(method: string, route: string, status: number, seconds: number) {
      reference.observe({ method, route, status }, seconds);
      fast.observe(method, route, status, seconds);
    },
  };
}

const sortedLines = async (r: Registry) => (await r.metrics()).split('\n').sort();

describe('DurationHistogram', () => {
  it('renders what prom-client renders for the same observations', async () => {
    const h = both();
    // On a bound (inclusive, as Prometheus's "le"), between bounds, above every bound, and zero.
    const seconds = [0.001, 0.0005, 0.05, 0.01, 0.5, 3, 0, 0.1, 1];
    seconds.forEach((s, i) => {
      h.observe('GET', '/auth/me', 200, s);
      h.observe(i % 2 ? 'POST' : 'GET', i % 3 ? '/auth/logout' : 'unmatched', i % 2 ? 401 : 404, s * 2);
    });
    const ours = await sortedLines(h.ours);
    expect(ours).toEqual(await sortedLines(h.theirs));
    expect(ours).toContain(`${NAME}_bucket{le="0.001",method="GET",route="/auth/me",status="200"} 3`);
    expect(ours).toContain(`${NAME}_bucket{le="+Inf",method="GET",route="/auth/me",status="200"} 9`);
    expect(ours).toContain(`${NAME}_count{method="GET",route="/auth/me",status="200"} 9`);
  });

  it('renders nothing but its help and type before the first observation, and after reset', async () => {
    const h = both();
    expect(await sortedLines(h.ours)).toEqual(await sortedLines(h.theirs));
    h.observe('GET', '/health', 200, 0.002);
    h.theirs.resetMetrics();
    h.ours.resetMetrics();
    const lines = await sortedLines(h.ours);
    expect(lines).toEqual(await sortedLines(h.theirs));
    expect(lines.join('\n')).not.toContain('/health');
  });

  it('counts every observation, across series, and keeps counting through a reset', () => {
    const h = both();
    expect(h.fast.count).toBe(0);
    h.observe('GET', '/auth/me', 200, 0.0004);
    h.observe('GET', '/auth/me', 200, 0.002);
    h.observe('POST', '/auth/logout', 401, 0.5);
    h.observe('GET', 'unmatched', 404, 3);
    expect(h.fast.count).toBe(4);
    // The memory trim reads differences of it: a reset of the exposition must not step it back.
    h.ours.resetMetrics();
    h.observe('GET', '/health', 200, 0.001);
    expect(h.fast.count).toBe(5);
  });

  it('is refused a second registration under its name, like any metric', () => {
    const h = both();
    expect(() => new DurationHistogram(NAME, HELP, BUCKETS, h.ours)).toThrow(/already been registered/);
  });
});
