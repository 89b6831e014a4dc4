import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/backends.js';
import { type Cluster, startCluster } from '../support/cluster.js';
import { backgroundLoad, describeVerdict, History, logoutRounds, seeded } from '../support/history.js';

const SEED = Number(process.env.BARRIER_SEED ?? 12);
/** /metrics is served only to a bearer of METRICS_TOKEN. */
const METRICS = 'metrics-token-for-the-barrier-test';

/**
 * docs/api.md §2/§6: once a logout's 200 has been sent, no instance accepts the
 * session's token for any request sent after it. Three instances on one
 * PostgreSQL database, under background GET /auth/me load on each; the
 * history checker (test/support/history.ts) judges every request.
 */
describe.runIf(TEST_DATABASE_URL)('the revocation barrier across three instances', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster(3, { METRICS_TOKEN: METRICS });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('accepts no request sent after a logout was answered, on any instance (>= 2,000 checks)', async () => {
    const live = await Promise.all([0, 1, 2].map((i) => cluster.login(i)));
    const load = backgroundLoad(
      cluster,
      live.map((l) => l.token),
      2,
    );
    const history = new History();
    const sessions = await cluster.issue(300);
    await logoutRounds(cluster, history, {
      sessions,
      workers: 6,
      checksPerInstance: 3,
      rng: seeded(SEED),
    });
    await load.stop();
    const verdict = history.check();
    console.info(
      `barrier on (seed ${SEED}): ${describeVerdict(verdict)}; ${load.requests} background requests`,
    );
    expect(verdict.logouts).toBe(sessions.length);
    expect(verdict.checks).toBeGreaterThanOrEqual(2000);
    expect(verdict.violations).toEqual([]);
    // Every check was answered (401), none refused for want of a lease: the cluster was healthy.
    const statuses = new Set(history.entries.filter((e) => e.kind === 'me').map((e) => e.status));
    expect([...statuses].every((s) => s === 200 || s === 401)).toBe(true);
  }, 120_000);

  it('lists every instance in the lease table, with valid leases and a watermark', async () => {
    const res = await fetch(`${cluster.instances[0]!.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS}` },
    });
    const text = await res.text();
    expect(text).toMatch(/gatehouse_revocation_barrier_wait_seconds_count \d+/);
    expect(text).toMatch(/gatehouse_instance_fenced 0/);
    expect(text).toMatch(/gatehouse_lease_age_seconds 0\.\d+/);
    const rows = await cluster.database.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM instances WHERE lease_expires_at > clock_timestamp() AND applied_through IS NOT NULL',
    );
    expect(rows[0]?.n).toBe(3);
  });
});

/**
 * The same checker against a deliberately broken build: REVOCATION_BARRIER=off
 * answers the logout before the others confirm. It must find violations, or
 * the checker above could not fail.
 */
describe.runIf(TEST_DATABASE_URL)('the history checker, with the barrier switched off', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    // Each instance hears PostgreSQL 25 ms late (a slow link), so without the barrier another
    // instance is told of a logout well after its 200: the checker must see that window.
    cluster = await startCluster(3, { REVOCATION_BARRIER: 'off' }, true, 25);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('finds requests accepted after the logout was answered', async () => {
    const live = await Promise.all([0, 1, 2].map((i) => cluster.login(i)));
    const load = backgroundLoad(
      cluster,
      live.map((l) => l.token),
      2,
    );
    const history = new History();
    let checked = 0;
    await logoutRounds(cluster, history, {
      sessions: await cluster.issue(600),
      workers: 6,
      checksPerInstance: 3,
      rng: seeded(SEED),
      // Stop as soon as the point is made (checking the whole history every 20 rounds).
      enough: () => ++checked % 20 === 0 && history.check().violations.length > 0,
    });
    await load.stop();
    const verdict = history.check();
    console.info(`barrier off (seed ${SEED}): ${describeVerdict(verdict)}`);
    expect(verdict.violations.length).toBeGreaterThan(0);
  }, 120_000);
});
