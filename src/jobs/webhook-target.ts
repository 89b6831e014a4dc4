import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isLocalName, isPrivateAddress, literalAddress } from '../domain/private-addresses.js';

/** A delivery that was not attempted: the target is, or resolves to, an address it may not reach. */
export class RefusedTarget extends Error {
  override readonly name = 'RefusedTarget';
}

interface Vetted {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a webhook's host and checks every address it resolves to (one
 * private answer among public ones is refused too: it is how a rebinding
 * name looks). Without WEBHOOK_ALLOW_PRIVATE, loopback, link-local and
 * private addresses are refused (src/domain/private-addresses.ts).
 */
export async function vetTarget(hostname: string, allowPrivate: boolean): Promise<Vetted> {
  const literal = literalAddress(hostname);
  if (literal !== null) {
    if (!allowPrivate && isPrivateAddress(literal))
      throw new RefusedTarget(`${literal} is a loopback, link-local or private address`);
    return { address: literal, family: isIP(literal) as 4 | 6 };
  }
  if (!allowPrivate && isLocalName(hostname)) throw new RefusedTarget(`${hostname} names this machine`);
  const answers = await lookup(hostname, { all: true, verbatim: true });
  const first = answers[0];
  if (!first) throw new Error(`${hostname} has no address`);
  const bad = allowPrivate ? undefined : answers.find((a) => isPrivateAddress(a.address));
  if (bad)
    throw new RefusedTarget(
      `${hostname} resolves to ${bad.address}, a loopback, link-local or private address`,
    );
  return { address: first.address, family: first.family as 4 | 6 };
}

/**
 * POSTs a body to a webhook URL and answers its status. The connection goes
 * to the address vetTarget checked, not to whatever a second DNS answer would
 * say (DNS rebinding: a name that resolves to a public address for the check
 * and to 127.0.0.1 for the connection). TLS still checks the certificate
 * against the URL's host name. Redirects are not followed.
 */
export async function postToTarget(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { allowPrivate: boolean; signal: AbortSignal },
): Promise<number> {
  const target = new URL(url);
  const vetted = await abortable(vetTarget(target.hostname, opts.allowPrivate), opts.signal);
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: Vetted[]) => void)(null, [vetted]);
    else callback(null, vetted.address, vetted.family);
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        signal: opts.signal,
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.resume(); // the answer's body is not read: the status is the outcome
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
