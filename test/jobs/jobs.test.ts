import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundJobs } from '../../src/jobs/background.js';
import { deliveryPruner } from '../../src/jobs/delivery-pruner.js';
import { IntervalJob } from '../../src/jobs/interval-job.js';
import { backends } from '../support/backends.js';
import { startTestApp, type TestApp, testConfig } from '../support/harness.js';
import { silentLog, until } from '../support/webhook-receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an interval job', () => {
  it('never runs twice at once, and stop() waits for the run in flight', async () => {
    let running = 0;
    let most = 0;
    let finished = 0;
    const job = new IntervalJob(
      'slow',
      5,
      async () => {
        running++;
        most = Math.max(most, running);
        await sleep(40);
        running--;
        finished++;
      },
      silentLog,
    );
    job.start();
    await until(() => running === 1, 2000, 'a run to start');
    await job.stop();
    expect(running).toBe(0);
    expect(most).toBe(1);
    const after = finished;
    await sleep(50);
    expect(finished).toBe(after);
  });

  it('logs a failed run and runs again at the next interval', async () => {
    const warnings: string[] = [];
    let runs = 0;
    const job = new IntervalJob(
      'flaky',
      10,
      async () => {
        runs++;
        if (runs === 1) throw new Error('database unavailable');
      },
      { info() {}, warn: (_obj, msg) => warnings.push(msg) },
    );
    job.start();
    await until(() => runs >= 2, 2000, 'a second run');
    await job.stop();
    expect(warnings).toEqual(['flaky failed; retrying at the next run']);
  });

  it('does nothing with an interval of 0', async () => {
    let runs = 0;
    const job = new IntervalJob('off', 0, async () => void runs++, silentLog);
    job.start();
    await sleep(30);
    await job.stop();
    expect(runs).toBe(0);
  });
});

describe('webhook delivery pruning', () => {
  it('deletes what is older than the retention, on its own interval', async () => {
    const cutoffs: number[] = [];
    const pruner = deliveryPruner(
      {
        pruneDeliveries: async (before) => {
          cutoffs.push(before.getTime());
          return 0;
        },
      },
      { retentionMs: 3_600_000, pruneMs: 10 },
      silentLog,
    );
    pruner.start();
    await until(() => cutoffs.length >= 2, 2000, 'two prunings');
    await pruner.stop();
    for (const cutoff of cutoffs) expect(Math.abs(Date.now() - 3_600_000 - cutoff)).toBeLessThan(2000);
  });
});

describe.each(backends)('background jobs on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t.close());

  it('still prune old webhook deliveries when the session sweeper is off', async () => {
    const config = testConfig({ SESSION_SWEEP_INTERVAL_MS: '0', WEBHOOK_PRUNE_INTERVAL_MS: '20' });
    const store = t.ctx.store;
    const prune = store.pruneDeliveries;
    let prunings = 0;
    store.pruneDeliveries = async (before) => {
      prunings++;
      return prune(before);
    };
    const jobs = await startBackgroundJobs(t.ctx, config, silentLog);
    try {
      await until(() => prunings >= 2, 3000, 'pruning with the sweeper off');
    } finally {
      await jobs.stop();
      store.pruneDeliveries = prune;
    }
  });
});
