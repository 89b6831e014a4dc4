import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the SMTP server received and mailparser read it. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
  /** The account-page link the text part carries, if any. */
  link: string | null;
  /** The token in that link (after #verify= or #reset=). */
  token: string | null;
}

const LINK = /https?:\/\/\S+\/account#(?:verify|reset)=([A-Za-z0-9_-]{43})/;

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package), as an operator's
 * relay would be: accepts every message (with AUTH PLAIN/LOGIN for the
 * credentials `user`/`pass`), parses it with mailparser and keeps it. It can be
 * stopped and started again on the same port ("the mail server is down").
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  #server: SMTPServer | null = null;
  #port = 0;
  #waiters: (() => void)[] = [];

  static async start(port = 0): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await sink.listen(port);
    return sink;
  }

  /** A sink that is not listening yet, on a port that was free a moment ago. */
  static async down(): Promise<SmtpSink> {
    const sink = await SmtpSink.start();
    await sink.stop();
    return sink;
  }

  get port(): number {
    return this.#port;
  }

  /** MAIL_URL for this sink (plain SMTP; the server offers no STARTTLS). */
  get url(): string {
    return `smtp://user:pass@127.0.0.1:${this.#port}`;
  }

  async listen(port = this.#port): Promise<void> {
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.username === 'user' && auth.password === 'pass'
          ? callback(null, { user: auth.username })
          : callback(new Error('Invalid username or password')),
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const text = parsed.text ?? '';
            const match = LINK.exec(text);
            this.received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              from: parsed.from?.text ?? '',
              to: Array.isArray(parsed.to)
                ? parsed.to.map((a) => a.text).join(', ')
                : (parsed.to?.text ?? ''),
              subject: parsed.subject ?? '',
              text,
              html: typeof parsed.html === 'string' ? parsed.html : '',
              parsed,
              link: match?.[0] ?? null,
              token: match?.[1] ?? null,
            });
            for (const wake of this.#waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The messages to `address`, oldest first. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelope.to.includes(address));
  }

  /** Waits until `count` messages in all have arrived (or fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.received.length < count) {
      if (performance.now() > deadline)
        throw new Error(`expected ${count} mails, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
