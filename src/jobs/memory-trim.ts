import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import { type Gc, holdNextTickEntry, lastResortGc } from '../gc.js';
import type { JobLog } from './interval-job.js';

/** Event-loop utilisation below this over a whole interval: no work going on (requests are counted apart). */
const IDLE_BELOW = 0.02;
/** At or above this in some interval since the last trim: there was work whose garbage may remain. */
const BUSY_FROM = 0.05;
/**
 * Requests answered a second, on average over an interval, that still leave it quiet: a health
 * check or two, not traffic. A token check costs ~20 µs, so 200 requests a second keep the event
 * loop under 1% busy, below IDLE_BELOW; counting requests too keeps the collection's ~100 ms
 * pause away from them (measured before: a 51 ms stall in a steady 200/s, after a burst).
 */
const QUIET_REQUESTS_PER_SECOND = 1;
/** Event-loop time after a collection put down to the collection itself (twice what was seen). */
const AFTER_WORK_MS = 150;

/** The event loop's time over one interval, ms: working (`active`) and in all (`elapsed`). */
export interface LoopTime {
  active: number;
  elapsed: number;
}

function loopTimeSince(since: EventLoopUtilization): { time: LoopTime; next: EventLoopUtilization } {
  const next = performance.eventLoopUtilization();
  const d = performance.eventLoopUtilization(next, since);
  return { time: { active: d.active, elapsed: d.active + d.idle }, next };
}

/**
 * Gives memory back to the operating system once the server falls idle after work.
 *
 * Under load V8 grows its young generation to 64 MB a semi-space on a large machine, and
 * keeps it, with the old generation's garbage and the buffers freed only when their objects
 * are collected, until its next major collection, which an idle process may not reach for
 * hours: an embedded server measured 380–510 MB resident after a load and ~200 MB after one
 * last-resort collection (docs/performance.md). So when a whole interval passes with the event
 * loop idle, after an interval that was busy (or once after start), this runs that collection:
 * ~100 ms of pause, never while requests flow, once per quiet spell. The signals are event-loop
 * utilisation and the count of requests answered, which the request timing keeps anyway
 * (`answered`), so no request pays for the bookkeeping. MEMORY_TRIM_IDLE_MS = 0 turns it off.
 */
export class IdleMemoryTrim {
  #timer: NodeJS.Timeout | undefined;
  #last = performance.eventLoopUtilization();
  #answered = 0;
  /** Work since the last trim; true at start, so the start-up's garbage goes too. */
  #dirty = true;
  /** Active time still to be put down to the last collection's after-work, ms. */
  #afterWork = 0;
  #afterWorkUntil = 0;
  trims = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly gc: Gc | undefined,
    private readonly log: JobLog,
    /** Requests answered so far, all routes and statuses (a counter that only grows). */
    private readonly answered: () => number,
    private readonly loopTime: (since: EventLoopUtilization) => {
      time: LoopTime;
      next: EventLoopUtilization;
    } = loopTimeSince,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || !this.gc || this.#timer) return;
    this.#timer = setInterval(() => this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  /** One interval's check (the timer's; tests call it directly). */
  tick(): void {
    const { time, next } = this.loopTime(this.#last);
    this.#last = next;
    // A collection leaves work behind for a while (sweeping, finalizers: ~50 ms seen). It is not
    // the server's work, or each collection would call for the next. The excuse lasts for the
    // first interval after the collection, and at least a second.
    const excused = Math.min(this.#afterWork, time.active);
    this.#afterWork = this.clock() <= this.#afterWorkUntil ? this.#afterWork - excused : 0;
    const utilization = time.elapsed > 0 ? (time.active - excused) / time.elapsed : 0;
    const answered = this.answered();
    const requests = answered - this.#answered;
    this.#answered = answered;
    const fewRequests = requests <= (time.elapsed / 1000) * QUIET_REQUESTS_PER_SECOND;
    if (utilization >= BUSY_FROM || !fewRequests) {
      this.#dirty = true;
      // V8's own memory reducer may collect before this trim does: keep an entry of the load's
      // shape alive for it too (one nextTick per busy interval; src/gc.ts says why).
      holdNextTickEntry();
    }
    if (!this.#dirty || utilization >= IDLE_BELOW || !fewRequests || !this.gc) return;
    const before = process.memoryUsage.rss();
    const started = performance.now();
    lastResortGc(this.gc);
    this.trims++;
    this.#dirty = false;
    // The collection's own time is not work: the next interval starts after it.
    this.#last = performance.eventLoopUtilization();
    this.#afterWork = AFTER_WORK_MS;
    this.#afterWorkUntil = this.clock() + Math.max(this.intervalMs, 1000);
    this.log.debug?.(
      {
        rssMbBefore: Math.round(before / 1_048_576),
        rssMbAfter: Math.round(process.memoryUsage.rss() / 1_048_576),
        ms: Math.round(performance.now() - started),
      },
      'idle: memory given back',
    );
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
