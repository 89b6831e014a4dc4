import type { MailConfig } from '../config.js';
import type { ClaimedMail, MailQueries } from '../domain/store.js';
import type { MailTransport } from '../mail/transport.js';
import type { Metrics } from '../metrics.js';
import type { JobLog } from './interval-job.js';
import { backoffDelay, OutboxLoop } from './outbox-loop.js';

export interface MailDispatcherOptions
  extends Pick<MailConfig, 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'pollMs' | 'timeoutMs'> {
  /** Messages claimed per pass; sent one after another (one SMTP server, no need to rush it). */
  batchSize?: number;
  /** How long a claimed message is ours before another instance may take it (only if we died sending it). */
  leaseMs?: number;
}

/**
 * Delivers the mail outbox (mail_outbox), the way WebhookDispatcher delivers
 * event_outbox: claims due rows (SKIP LOCKED plus a lease, one short
 * statement, no transaction held while the mail server is slow), sends each,
 * then records the outcome: sent (the body, which holds the link, is cleared),
 * or a retry after an exponential, jittered delay, or dead after the last
 * attempt. A mail server that is down delays messages; it loses none. The
 * loop and backoff are the webhook dispatcher's (outbox-loop.ts), and it
 * listens to the same OutboxSignal, so a message
 * queued here goes at once instead of at the next poll. At least once: a
 * process killed between the server's acceptance and our record of it sends
 * that message again after the lease.
 */
export class MailDispatcher {
  readonly #opts: Required<MailDispatcherOptions>;
  readonly stats = { sent: 0, retried: 0, dead: 0 };
  readonly #loop: OutboxLoop;

  constructor(
    private readonly store: MailQueries,
    private readonly transport: MailTransport,
    opts: MailDispatcherOptions,
    private readonly log: JobLog,
    /** gatehouse_mails_total, when the dispatcher runs in a server. */
    private readonly metrics?: Pick<Metrics, 'mails'>,
  ) {
    // A batch is sent one by one, each bounded by about three timeouts (connect, greeting, socket).
    const batchSize = opts.batchSize ?? 10;
    this.#opts = { batchSize, leaseMs: batchSize * 3 * opts.timeoutMs + 10_000, ...opts };
    this.#loop = new OutboxLoop(
      () => this.dispatchOnce(),
      this.#opts,
      log,
      'mail dispatcher could not claim messages',
    );
  }

  start(): void {
    this.#loop.start();
  }

  /** Look for due messages now (one was just queued here), instead of at the next poll. */
  wake(): void {
    this.#loop.wake();
  }

  /** Stops polling, waits for the message in flight to be recorded, and closes the transport. */
  async stop(): Promise<void> {
    await this.#loop.stop();
    this.transport.close();
  }

  /** One pass: claims what is due and sends it. Returns how many messages were attempted. */
  async dispatchOnce(): Promise<number> {
    const batch = await this.store.claimMails(this.#opts.batchSize, this.#opts.leaseMs);
    for (const mail of batch) await this.#attempt(mail);
    return batch.length;
  }

  async #attempt(mail: ClaimedMail): Promise<void> {
    let error: string | null = null;
    try {
      await this.transport.send(mail.message);
    } catch (err) {
      error = describeFailure(err);
    }
    try {
      if (error === null) {
        await this.store.markMailSent(mail.id, mail.attempts);
        this.stats.sent++;
        this.metrics?.mails.inc({ kind: mail.kind, result: 'sent' });
      } else if (mail.attempts >= this.#opts.maxAttempts) {
        await this.store.markMailDead(mail.id, mail.attempts, error);
        this.stats.dead++;
        this.metrics?.mails.inc({ kind: mail.kind, result: 'dead' });
        this.log.warn(
          { mailId: mail.id, kind: mail.kind, attempts: mail.attempts, error },
          'mail is dead: no more attempts',
        );
      } else {
        await this.store.scheduleMailRetry(mail.id, mail.attempts, this.retryDelay(mail.attempts), error);
        this.stats.retried++;
        this.metrics?.mails.inc({ kind: mail.kind, result: 'retry' });
        this.log.warn(
          { mailId: mail.id, kind: mail.kind, attempts: mail.attempts, error },
          'mail not sent; will retry',
        );
      }
    } catch (err) {
      // The lease runs out and the message is attempted again: never lost, maybe sent twice.
      this.log.warn({ err, mailId: mail.id }, 'mail dispatcher could not record an attempt');
    }
  }

  /** Exponential from MAIL_RETRY_BASE_MS to MAIL_RETRY_MAX_MS, jittered (outbox-loop.ts#backoffDelay). */
  retryDelay(attempts: number): number {
    return backoffDelay(attempts, this.#opts.retryBaseMs, this.#opts.retryMaxMs);
  }
}

/** What went wrong, for last_error and the log: the SMTP code and reply, never the message. */
function describeFailure(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const parts = [e.code, e.responseCode, e.message ?? String(err)].filter((p) => p !== undefined);
  return parts.join(' ').slice(0, 500);
}
