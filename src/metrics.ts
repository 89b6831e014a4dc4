import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EndReason } from './domain/model.js';
import { DurationHistogram } from './duration-histogram.js';

/**
 * Prometheus metrics for one Gatehouse process. A registry per instance (not
 * prom-client's global one), so tests can build several apps side by side.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Observed on every request, so not a prom-client Histogram (see DurationHistogram). */
  readonly httpDuration = new DurationHistogram(
    'gatehouse_http_request_duration_seconds',
    'HTTP request latency by route and status',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    this.registry,
  );

  readonly logins = new Counter({
    name: 'gatehouse_logins_total',
    help: 'Login attempts by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly logouts = new Counter({
    name: 'gatehouse_logouts_total',
    help: 'Successful logout requests by scope (current, others, all, session)',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  readonly sessionsEnded = new Counter({
    name: 'gatehouse_sessions_ended_total',
    help: 'Sessions ended by this instance, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly revocationDelay = new Histogram({
    name: 'gatehouse_revocation_propagation_seconds',
    help: 'Delay from a session ending on another instance to this instance hearing of it',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  readonly barrierWait = new Histogram({
    name: 'gatehouse_revocation_barrier_wait_seconds',
    help: 'From an ending batch committing to every other leased instance confirming it (or its lease lapsing)',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly mails = new Counter({
    name: 'gatehouse_mails_total',
    help: 'Mail delivery attempts by this instance, by kind and result (sent, retry, dead)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'gatehouse_rate_limited_total',
    help: 'Requests refused with 429, by route',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  constructor(revocationListSize: () => number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
    new Gauge({
      name: 'gatehouse_revocation_list_size',
      help: 'Ended sessions this instance remembers (bounded by one access-token lifetime)',
      registers: [this.registry],
      collect() {
        this.set(revocationListSize());
      },
    });
  }

  /**
   * The lease's gauges (PostgreSQL only): whether this instance refuses
   * tokens (fenced: lease lapsed, or feed down and not caught up), how old
   * its last confirmed renewal is, and how long its last renewal took to come
   * back through the feed (how far the feed trails the database).
   */
  watchLease(lease: {
    fenced(): boolean;
    leaseAgeSeconds(): number | null;
    feedLagSeconds(): number | null;
  }): void {
    new Gauge({
      name: 'gatehouse_instance_fenced',
      help: '1 while this instance answers authenticated requests with 503 (lease lapsed or revocation feed not caught up)',
      registers: [this.registry],
      collect() {
        this.set(lease.fenced() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'gatehouse_lease_age_seconds',
      help: 'Time since the start of the last lease renewal this instance heard back (a lease lasts LEASE_MS from then)',
      registers: [this.registry],
      collect() {
        const age = lease.leaseAgeSeconds();
        if (age !== null) this.set(age);
      },
    });
    new Gauge({
      name: 'gatehouse_revocation_feed_lag_seconds',
      help: 'How long the last lease renewal took to come back through the revocation feed',
      registers: [this.registry],
      collect() {
        const lag = lease.feedLagSeconds();
        if (lag !== null) this.set(lag);
      },
    });
  }

  endedSessions(reason: EndReason, count: number): void {
    if (count > 0) this.sessionsEnded.inc({ reason }, count);
  }
}
