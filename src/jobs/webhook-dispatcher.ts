import type { WebhookConfig } from '../config.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from '../domain/events.js';
import { BACKCHANNEL_LOGOUT_TYPE } from '../oidc/backchannel.js';
import type { OidcTokens } from '../oidc/tokens.js';
import type { ClaimedDelivery, EventQueries } from '../storage/event-queries.js';
import { VERSION } from '../version.js';
import type { JobLog } from './interval-job.js';
import { backoffDelay, OutboxLoop } from './outbox-loop.js';
import { postToTarget, RefusedTarget } from './webhook-target.js';

export interface DispatcherOptions extends Omit<WebhookConfig, 'endpoint' | 'retentionMs' | 'pruneMs'> {
  /** Deliveries claimed (and attempted concurrently) per pass. */
  batchSize?: number;
  /**
   * How long a claimed delivery is ours before another dispatcher may take it
   * (it only happens if we died mid-delivery). Longer than any attempt can take.
   */
  leaseMs?: number;
}

/**
 * Delivers the outbox: claims due rows (SKIP LOCKED plus a lease, in one
 * short statement, so no transaction stays open while a receiver is slow),
 * POSTs each signed event, then records the outcome: delivered on 2xx, else
 * a retry after an exponential, jittered delay, and dead after the last
 * attempt. Several dispatchers on one database share the work and never
 * hold the same row at once. Delivery is at least once: a process killed
 * between a receiver's 2xx and our record of it sends that event again after
 * the lease, with the same Gatehouse-Event-Id.
 */
export class WebhookDispatcher {
  readonly #opts: Required<DispatcherOptions>;
  /** Outcomes of this dispatcher's attempts since it started. */
  readonly stats = { delivered: 0, retried: 0, dead: 0 };
  readonly #loop: OutboxLoop;

  constructor(
    private readonly store: EventQueries,
    opts: DispatcherOptions,
    private readonly log: JobLog,
    /** Signs back-channel logout tokens (docs/oidc.md); null when OIDC_ISSUER is not set here. */
    private readonly logoutTokens: Pick<OidcTokens, 'logoutToken'> | null = null,
  ) {
    // Past the timeout, recording the outcome takes at most one bounded statement (5 s + margin).
    this.#opts = { batchSize: 50, leaseMs: opts.timeoutMs + 10_000, ...opts };
    this.#loop = new OutboxLoop(
      () => this.dispatchOnce(),
      this.#opts,
      log,
      'webhook dispatcher could not claim deliveries',
    );
  }

  start(): void {
    this.#loop.start();
  }

  /** Look for due deliveries now (a session has just ended here), instead of at the next poll. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops polling and waits for attempts in flight (each bounded by the timeout) to be recorded. */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }

  /** One pass: claims what is due and attempts it. Returns how many deliveries were attempted. */
  async dispatchOnce(): Promise<number> {
    // Back-channel logouts are left to instances that can sign them (OIDC_ISSUER set).
    const batch = await this.store.claimDeliveries(this.#opts.batchSize, this.#opts.leaseMs, {
      backchannel: this.logoutTokens !== null,
    });
    await Promise.all(batch.map((d) => this.#attempt(d)));
    return batch.length;
  }

  async #attempt(d: ClaimedDelivery): Promise<void> {
    const error = await this.#post(d);
    try {
      if (error === null) {
        await this.store.markDelivered(d.id, d.attempts);
        this.stats.delivered++;
      } else if (d.attempts >= this.#opts.maxAttempts) {
        await this.store.markDead(d.id, d.attempts, error);
        this.stats.dead++;
        this.log.warn(
          { eventId: d.eventId, endpointId: d.endpointId, attempts: d.attempts, error },
          'webhook delivery is dead: no more attempts',
        );
      } else {
        await this.store.scheduleRetry(d.id, d.attempts, this.retryDelay(d.attempts), error);
        this.stats.retried++;
      }
    } catch (err) {
      // The lease runs out and the delivery is attempted again: never lost, maybe sent twice.
      this.log.warn({ err, eventId: d.eventId }, 'webhook dispatcher could not record an attempt');
    }
  }

  /** Exponential from WEBHOOK_RETRY_BASE_MS to WEBHOOK_RETRY_MAX_MS, jittered (outbox-loop.ts#backoffDelay). */
  retryDelay(attempts: number): number {
    return backoffDelay(attempts, this.#opts.retryBaseMs, this.#opts.retryMaxMs);
  }

  /** Sends one event; null on a 2xx, else what went wrong (stored as last_error). */
  async #post(d: ClaimedDelivery): Promise<string | null> {
    const request = await this.#request(d);
    if (typeof request === 'string') return request;
    try {
      const status = await postToTarget(
        d.url,
        request.body,
        { 'user-agent': `Gatehouse/${VERSION}`, ...request.headers },
        // Checked again at every delivery: what a name resolves to can change after it was registered.
        { allowPrivate: this.#opts.allowPrivate, signal: AbortSignal.timeout(this.#opts.timeoutMs) },
      );
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (err) {
      if (err instanceof RefusedTarget)
        return `refused: ${err.message}; set WEBHOOK_ALLOW_PRIVATE=on to allow it`;
      return describeFailure(err, this.#opts.timeoutMs);
    }
  }

  /**
   * What one delivery sends: a webhook's signed JSON event, or (a back-channel logout) a
   * logout_token signed now, so its short lifetime starts when it is sent, not when the
   * session ended; its jti is the event id, the same on every retry. A string: why it cannot be sent.
   */
  async #request(d: ClaimedDelivery): Promise<{ body: string; headers: Record<string, string> } | string> {
    if (d.type === BACKCHANNEL_LOGOUT_TYPE) {
      if (!this.logoutTokens || !d.clientId || !d.clientAlg)
        return 'this instance has no OIDC_ISSUER to sign a logout_token';
      const { sub, sid } = d.payload as { sub: string; sid: string };
      const token = await this.logoutTokens.logoutToken({
        clientId: d.clientId,
        alg: d.clientAlg,
        userId: sub,
        sessionId: sid,
        jti: d.eventId,
      });
      return {
        body: new URLSearchParams({ logout_token: token }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
    const body = JSON.stringify(d.payload);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        [EVENT_ID_HEADER]: d.eventId,
        [SIGNATURE_HEADER]: signatureHeader(d.secret ?? '', body),
        'Gatehouse-Delivery-Attempt': String(d.attempts),
      },
    };
  }
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const text =
    (err as NodeJS.ErrnoException).code ??
    cause?.code ??
    cause?.message ??
    (err instanceof Error ? err.message : String(err));
  return `could not connect: ${text}`.slice(0, 500);
}
