import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EndReason } from './model.js';
import { isLocalName, isPrivateAddress, literalAddress } from './private-addresses.js';

/**
 * What operators receive when a session ends (docs/events.md). One event per
 * ended session; `id` is the same on every delivery of it, so a receiver can
 * drop a repeat.
 */
export interface SessionEndedEvent {
  id: string;
  type: 'session.ended';
  /** When the event was written: the same transaction that ended the session. */
  createdAt: string;
  data: {
    userId: string;
    sessionId: string;
    reason: EndReason;
    endedAt: string;
  };
}

/**
 * Tells this process that events were just committed to the outbox, so its
 * dispatcher sends them at once instead of at its next poll. (Other instances
 * need not hear: the instance that ended the session delivers its events.)
 */
export class OutboxSignal {
  readonly #listeners = new Set<() => void>();

  written(): void {
    for (const listener of this.#listeners) listener();
  }

  onWritten(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  readonly #endedListeners = new Set<() => void>();

  /**
   * Sessions have just ended here (committed). An ending may have queued back-channel logout
   * tokens (docs/oidc.md), which the ending's statement writes without counting them; with the
   * OpenID Provider on, the dispatcher listens to this too. Nobody listens otherwise.
   */
  ended(): void {
    for (const listener of this.#endedListeners) listener();
  }

  onEnded(listener: () => void): () => void {
    this.#endedListeners.add(listener);
    return () => this.#endedListeners.delete(listener);
  }
}

export const SIGNATURE_HEADER = 'Gatehouse-Signature';
export const EVENT_ID_HEADER = 'Gatehouse-Event-Id';
/** How old a signature a receiver should accept, seconds (replays older than this are refused). */
export const SIGNATURE_TOLERANCE = 300;

const hmac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The timestamp is
 * inside the signed text, so a receiver that refuses old timestamps refuses
 * replays, and an attacker cannot freshen one without the secret.
 */
export function signatureHeader(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

/**
 * The receiver's check, as docs/events.md shows it: true when `header` signs
 * `body` with `secret` within the tolerance. Several v1 values are allowed
 * (a future secret rotation may send two).
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  opts: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t)) return false;
  const age = Math.abs((opts.now ?? Date.now()) / 1000 - t);
  if (age > (opts.toleranceSeconds ?? SIGNATURE_TOLERANCE)) return false;
  // Compare digests in constant time, so timing does not reveal how much of a forgery matched.
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v as string, 'hex'), expected));
}

/** Where events are sent. The secret is shown once, when the endpoint is added. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  /** 'env' for WEBHOOK_URL (kept in step with the environment at start), 'cli' otherwise. */
  source: 'env' | 'cli';
  description: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

/** One event on its way to one endpoint (a row of the outbox). */
export interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  deadAt: Date | null;
  lastError: string | null;
  state: DeliveryState;
}

/** Why a webhook URL is unacceptable ("must …"), or null: for WEBHOOK_URL and for endpoints added later. */
export function webhookUrlProblem(url: string, opts: { allowPrivate: boolean }): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must be an absolute http:// or https:// URL (got "${url}")`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return `must be an http:// or https:// URL (got "${url}")`;
  if (parsed.username || parsed.password) return 'must not contain credentials; the signature authenticates';
  // A name is checked when each delivery resolves it (src/jobs/webhook-target.ts); an address or localhost now.
  const address = literalAddress(parsed.hostname);
  if (!opts.allowPrivate && (isLocalName(parsed.hostname) || (address !== null && isPrivateAddress(address))))
    return `must not point to a loopback, link-local or private address (got "${parsed.hostname}"); set WEBHOOK_ALLOW_PRIVATE=on to allow it`;
  return null;
}
