/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/**
 * Opens an event stream with fetch and collects its events. `next()` resolves
 * with the next event (or null once the stream has closed).
 */
export async function openEventStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiting: ((e: SseEvent | null) => void)[] = [];
  let closed = false;
  const push = (e: SseEvent | null) => {
    const w = waiting.shift();
    if (w) w(e);
    else if (e) events.push(e);
  };
  const pump = async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event) push({ event, data: data === undefined ? null : JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
    closed = true;
    while (waiting.length > 0) waiting.shift()?.(null);
  };
  const done = pump();
  return {
    status: res.status,
    headers: res.headers,
    /** The next event, or null when the stream closed first; rejects after `timeoutMs`. */
    next(timeoutMs = 5000): Promise<SseEvent | null> {
      const queued = events.shift();
      if (queued) return Promise.resolve(queued);
      if (closed) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no event in time')), timeoutMs);
        waiting.push((e) => {
          clearTimeout(timer);
          resolve(e);
        });
      });
    },
    closed: () => closed,
    async close() {
      controller.abort();
      await done;
    },
  };
}
