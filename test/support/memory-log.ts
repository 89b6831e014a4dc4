import { Writable } from 'node:stream';

/** A log destination that keeps every JSON line it is given, parsed, in `lines`. */
export function memoryLog(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { stream, lines };
}
