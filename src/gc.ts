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

/** One full, compacting collection that also shrinks the young generation (~100 ms on a server's heap). */
export function lastResortGc(gc: Gc | undefined = exposeGc()): void {
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
