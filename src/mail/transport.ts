import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { MailConfig } from '../config.js';
import type { MailMessage } from '../domain/store.js';

/** How a queued message leaves: over SMTP (MAIL_URL), or into a file (the embedded default). */
export interface MailTransport {
  /** Resolves once the message was handed over; rejects with what went wrong. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface TransportLog {
  info(obj: object, msg: string): void;
}

/** The directory of the embedded default's messages: DATA_DIR/mail. */
export const mailDirectory = (dataDir: string): string => join(dataDir, 'mail');

const mime = (from: string, m: MailMessage) => ({
  from,
  to: m.to,
  subject: m.subject,
  text: m.text,
  html: m.html,
});

/** MAIL_URL set: SMTP (smtp:// with STARTTLS when the server offers it, smtps:// for TLS from the start). */
export function smtpTransport(config: Pick<MailConfig, 'url' | 'from' | 'timeoutMs'>): MailTransport {
  const transporter = createTransport({
    url: config.url,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
  });
  return {
    async send(message) {
      await transporter.sendMail(mime(config.from, message));
    },
    close: () => transporter.close(),
  };
}

/**
 * MAIL_URL unset: each message becomes DATA_DIR/mail/<time>-<id>.eml (the
 * whole MIME message, readable by any mail client), and one log line says
 * where it is and gives the link it carries, which is what an operator of a
 * server with no mail set up needs to pass on. The file is the user's own
 * link, so it is readable by the server's account only (0600), and it is
 * written under a temporary name and renamed, so `gatehouse mail list` never
 * reads half a message.
 */
export function fileTransport(dataDir: string, from: string, log: TransportLog): MailTransport {
  const dir = mailDirectory(dataDir);
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await composer.sendMail(mime(from, message));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
      const file = join(dir, name);
      await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      log.info(
        { to: message.to, subject: message.subject, link: message.link, file },
        'mail written to DATA_DIR/mail (MAIL_URL is not set)',
      );
    },
    close: () => composer.close(),
  };
}

export function mailTransport(config: MailConfig, dataDir: string, log: TransportLog): MailTransport {
  return config.url ? smtpTransport(config) : fileTransport(dataDir, config.from, log);
}
