// Run by test/jobs/memory-trim.test.ts in a process of its own, under --allow-natives-syntax:
// does holdNextTickEntry keep a real nextTick entry, of the shape the entries have after a
// load, through a memory-reducing collection? Prints one JSON line.
import { executionAsyncResource } from 'node:async_hooks';
import { heldNextTickEntry, lastResortGc } from '../../src/gc.js';

// V8's own test helper: do two objects share a hidden class? Built at run time, so that the
// TypeScript compiler never sees the % syntax.
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const tickEntry = () =>
  new Promise<object>((resolve) => process.nextTick(() => resolve(executionAsyncResource())));
const turn = () => new Promise((resolve) => setImmediate(resolve));

const before = heldNextTickEntry();
// Entries as a server under load makes them, with and without arguments.
for (let i = 0; i < 20_000; i++) {
  if (i % 2) await tickEntry();
  else await new Promise((resolve) => process.nextTick(resolve, i));
}
const warm = await tickEntry();
lastResortGc();
await turn();
const held = heldNextTickEntry();
const fresh = await tickEntry();
process.stdout.write(
  `${JSON.stringify({
    heldBefore: before !== undefined,
    held: held !== undefined,
    heldIsAnEntry: held !== undefined && held !== globalThis && sameMap(held, warm),
    freshShareIt: held !== undefined && sameMap(held, fresh),
  })}\n`,
);
