import { MailDispatcher } from '../../src/jobs/mail-dispatcher.js';
import { issueLink } from '../../src/mail/links.js';
import { passwordStamp } from '../../src/mail/tokens.js';
import { type MailTransport, smtpTransport } from '../../src/mail/transport.js';
import type { TestApp } from './harness.js';
import type { SmtpSink } from './smtp-sink.js';

export const quietJobLog = { info: () => {}, warn: () => {} };

/**
 * The mail dispatcher of a test app, sending over real SMTP to `sink` (or
 * through `transport`): what the server's background job runs, driven by
 * hand. `deliver()` waits for the work requests left after their answers,
 * then sends everything due.
 */
export function mailerFor(t: TestApp, sink: SmtpSink | null, transport?: MailTransport) {
  const dispatcher = new MailDispatcher(
    t.store,
    transport ?? smtpTransport({ url: sink?.url, from: t.config.mail.from, timeoutMs: 2000 }),
    { ...t.config.mail, retryBaseMs: 10, retryMaxMs: 10, timeoutMs: 2000 },
    quietJobLog,
  );
  return {
    dispatcher,
    async deliver(): Promise<number> {
      await t.ctx.mail.afterResponse.settled();
      // Passes until nothing is due; a pass with a failure ends it, so a retry is not spent at once.
      const before = dispatcher.stats.sent;
      for (;;) {
        const failed = dispatcher.stats.retried + dispatcher.stats.dead;
        if ((await dispatcher.dispatchOnce()) === 0) break;
        if (dispatcher.stats.retried + dispatcher.stats.dead > failed) break;
      }
      return dispatcher.stats.sent - before;
    },
  };
}

/** A token as a mailed link carries it, issued by the code that issues them (no mail is queued). */
export async function mailedToken(
  t: TestApp,
  user: { id: string; email: string },
  purpose: 'verify' | 'reset',
): Promise<string> {
  const record = await t.store.findUserById(user.id);
  const link = await t.store.transaction((tx) =>
    issueLink(t.ctx, tx, {
      userId: user.id,
      purpose,
      email: user.email,
      ...(purpose === 'reset' ? { passwordStamp: passwordStamp(record?.passwordHash ?? '') } : {}),
    }),
  );
  return new URL(link).hash.replace(/^#\w+=/, '');
}
