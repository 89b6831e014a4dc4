import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { responseProblems, type SeenResponse } from '../support/hostile.js';

/**
 * What `inject` cannot show: bytes on a real socket. Oversized headers,
 * malformed request lines, smuggling attempts and random bytes are refused
 * by Node's HTTP parser before Fastify sees them; they must still get the
 * envelope (never a framework's own error shape), and the server must stay up.
 */
const RUNS = Number(process.env.FUZZ_RUNS ? Math.ceil(Number(process.env.FUZZ_RUNS) / 20) : 300);

/** Sends raw bytes, half-closes after `waitMs` of silence, and returns every response in what came back. */
function exchange(port: number, bytes: Buffer | string, waitMs = 40): Promise<SeenResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    const quiet = () => {
      clearTimeout(idle);
      idle = setTimeout(() => socket.end(), waitMs);
    };
    const hardStop = setTimeout(() => socket.destroy(), 5000);
    socket.on('connect', () => {
      socket.write(bytes);
      quiet();
    });
    socket.on('data', (c) => {
      chunks.push(c);
      quiet();
    });
    socket.on('error', () => {}); // a reset after the answer is fine
    socket.on('close', () => {
      clearTimeout(idle);
      clearTimeout(hardStop);
      try {
        resolve(parseResponses(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    });
  });
}

function parseResponses(raw: Buffer): SeenResponse[] {
  const out: SeenResponse[] = [];
  let rest = raw;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete response: ${rest.toString().slice(0, 200)}`);
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
    if (!m) throw new Error(`not an HTTP response: ${statusLine.slice(0, 100)}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    let body = rest.subarray(end + 4);
    if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      rest = body.subarray(n);
      body = body.subarray(0, n);
    } else {
      rest = Buffer.alloc(0);
    }
    out.push({ statusCode: Number(m[1]), headers, body: body.toString() });
  }
  return out;
}

const LOGIN_BODY = '{"email":"a@b.test","password":"not it at all"}';
const VALID = `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${LOGIN_BODY.length}\r\n\r\n${LOGIN_BODY}`;

describe.each(backends.slice(0, 1))('malformed HTTP on a real socket ($name)', (backend) => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp(backend);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t?.close());

  const expectEnvelope400 = (responses: SeenResponse[], description: RegExp) => {
    expect(responses).toHaveLength(1);
    const [res] = responses as [SeenResponse];
    expect(responseProblems(res)).toEqual([]);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'INVALID_INPUT', description });
  };

  it.each([
    ['one huge header', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    [
      'a huge Authorization header',
      `GET /auth/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(40_000)}\r\n\r\n`,
    ],
    ['a huge URL', `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
  ])('answers 400 in the envelope for %s', async (_label, request) => {
    expectEnvelope400(await exchange(port, request), /headers are too large/);
  });

  it.each([
    ['an unknown HTTP version', 'GET /health HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['a NUL in a header', 'GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n'],
    ['a header without a colon', 'GET /health HTTP/1.1\r\nHost x\r\n\r\n'],
    ['a bad chunk size', 'POST /auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n'],
    [
      'Content-Length and Transfer-Encoding together (smuggling)',
      'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'two Content-Lengths',
      'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    ],
    ['garbage', '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003'],
  ])('answers 400 in the envelope for %s', async (_label, request) => {
    expectEnvelope400(await exchange(port, request), /not valid HTTP/);
  });

  it.each(['/auth/%E0%A4%A', '/%', '/%c0%af', '/health%zz'])(
    'answers 400 in the envelope for the malformed URL %s',
    async (url) => {
      expectEnvelope400(await exchange(port, `GET ${url} HTTP/1.1\r\nHost: x\r\n\r\n`), /URL is not valid/);
    },
  );

  it('answers CONNECT (which Node never hands to Fastify) with 404 in the envelope', async () => {
    const responses = await exchange(
      port,
      'CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n',
    );
    expect(responses).toHaveLength(1);
    const [res] = responses as [SeenResponse];
    expect(responseProblems(res)).toEqual([]);
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'NOT_FOUND', description: 'No route for CONNECT' });
  });

  it('answers 400 in the envelope for an HTTP/1.1 request without Host (RFC 9112)', async () => {
    expectEnvelope400(await exchange(port, 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n'), /no Host/);
    const [ok] = await exchange(port, 'GET /health HTTP/1.0\r\n\r\n');
    expect(ok?.statusCode).toBe(200);
  });

  it('answers 400 in the envelope for three thousand small headers (refused as too large)', async () => {
    // Node 20 kept the first 2,000 headers and answered 200; Node 22+ refuses the header
    // section as too large (431), which reaches clients as 400 in the envelope.
    const [res, ...more] = await exchange(
      port,
      `GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${'X-A: b\r\n'.repeat(3000)}\r\n`,
    );
    expect(more).toEqual([]);
    expect(res?.statusCode).toBe(400);
    expect(responseProblems(res as SeenResponse)).toEqual([]);
  });

  it('answers a request with a hundred small headers normally', async () => {
    const [res, ...more] = await exchange(
      port,
      `GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${'X-A: b\r\n'.repeat(100)}\r\n`,
    );
    expect(more).toEqual([]);
    expect(res?.statusCode).toBe(200);
    expect(responseProblems(res as SeenResponse)).toEqual([]);
  });

  it('survives a body cut short (the client hangs up mid-body)', async () => {
    const responses = await exchange(port, VALID.slice(0, VALID.length - 10), 50);
    for (const res of responses) expect(responseProblems(res)).toEqual([]);
  });

  it(`answers ${RUNS} mangled requests with no 5xx and only the envelope, and stays up`, async () => {
    const mangled = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc
        .tuple(
          fc.nat(VALID.length),
          fc.nat(20),
          fc.uint8Array({ maxLength: 20 }),
          fc.constantFrom('cut', 'insert', 'replace' as const),
        )
        .map(([at, length, bytes, how]) => {
          const valid = Buffer.from(VALID);
          const head = valid.subarray(0, at);
          if (how === 'cut') return Buffer.concat([head, valid.subarray(at + length)]);
          if (how === 'insert') return Buffer.concat([head, Buffer.from(bytes), valid.subarray(at)]);
          return Buffer.concat([head, Buffer.from(bytes), valid.subarray(at + bytes.length)]);
        }),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(mangled, async (bytes) => {
        for (const res of await exchange(port, bytes)) {
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const problems = responseProblems(res);
          if (problems.length > 0) throw new Error(`${problems.join('; ')}\n${res.body.slice(0, 300)}`);
        }
      }),
      { numRuns: RUNS, ...(process.env.FUZZ_SEED === 'random' ? {} : { seed: 20_260_102 }) },
    );
    console.info(
      `raw HTTP fuzz: ${RUNS} cases; statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`,
    );
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  }, 120_000);
});
