import { executionAsyncResource } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's gc(), as `--expose-gc` gives it: `last-resort` also shrinks the young generation and compacts. */
export type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * V8's gc() without `--expose-gc` on the command line (`node dist/main.js` stays the whole
 * command): the flag is set for a moment, a fresh context hands out its `gc`, and the flag is
 * cleared again, so no other code sees a global `gc`.
 */
export function exposeGc(): Gc | undefined {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as Gc;
  // Checked on Node 22 and 24. A runtime that refuses flags once started gets no gc, and the
  // server simply keeps its memory (the callers treat undefined as "off"), rather than failing.
  try {
    setFlagsFromString('--expose-gc');
    try {
      const gc: unknown = runInNewContext('gc');
      return typeof gc === 'function' ? (gc as Gc) : undefined;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return undefined;
  }
}

/**
 * One full, compacting collection that also shrinks the young generation (~100 ms on a server's
 * heap). A `process.nextTick` entry is queued first, so one is alive through the collection, and
 * then kept (holdNextTickEntry says why).
 */
export function lastResortGc(gc: Gc | undefined = exposeGc()): void {
  holdNextTickEntry();
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

let heldTickEntry: object | undefined;

/**
 * Keeps one of `process.nextTick`'s queue entries alive for the life of the process (the newest
 * one this made: call it again once the entries' hidden class may have changed, as after a load).
 *
 * Why: a memory-reducing collection (lastResortGc's, or V8's own memory reducer on an idle
 * process) keeps no hidden class ("map") alive that no object uses. Node builds each nextTick
 * entry as an object literal with computed symbol keys. If such a collection runs while no entry
 * is alive, as in any quiet spell, their hidden classes die, and from then on every entry is
 * built through V8's runtime (DefineKeyedOwnPropertyInLiteral, map migration). Measured on this
 * server's GET /auth/me, in CPU instructions a request: 106k before a quiet spell, 127–133k
 * after one for as long as was watched (50 s, ~450,000 requests); a bare Fastify route went
 * 64k → 85–93k the same way. With one entry held: 106–111k and 64–66k, after a few seconds of
 * re-optimisation (docs/performance.md). The entry is caught as the running async resource of a
 * tick this queues (`executionAsyncResource()` inside the callback is that entry); async hooks
 * are never enabled. (That call also has Node track the running resource for native callbacks
 * from then on: no cost measured, 106k steady before and after.)
 */
export function holdNextTickEntry(): void {
  process.nextTick(keepRunningTickEntry);
}

function keepRunningTickEntry(): void {
  heldTickEntry = executionAsyncResource();
}

/** The entry holdNextTickEntry keeps (tests). */
export function heldNextTickEntry(): object | undefined {
  return heldTickEntry;
}
