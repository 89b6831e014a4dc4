import { command, wholeNumber } from './command.js';

export interface MailListArgs {
  limit: number;
  outbox: boolean;
  json: boolean;
}

export const mailList = command<{ limit?: string; outbox?: boolean; json?: boolean }, MailListArgs>({
  path: ['mail', 'list'],
  summary: 'Show the latest mails Gatehouse sent (verification, password reset, email change).',
  synopsis: '[--limit <n>] [--outbox] [--json]',
  description:
    'Without MAIL_URL (the embedded default) it reads the .eml files in DATA_DIR/mail, newest first,\n' +
    'with the link each one carries: what to pass on to a user when no mail server is set up. It needs\n' +
    'no database, so it works beside a running server. With MAIL_URL, or with --outbox, it reads the\n' +
    'mail outbox instead: each message queued, sent or given up (dead), its attempts and last error; the\n' +
    'outbox never shows a link (a message body is cleared once it is sent).',
  options: { limit: { type: 'string' }, outbox: { type: 'boolean' } },
  optionHelp: [
    { flag: '--limit <n>', description: 'how many (default 20, at most 1000)' },
    { flag: '--outbox', description: 'read the outbox even without MAIL_URL' },
  ],
  examples: ['gatehouse mail list', 'gatehouse mail list --outbox --limit 50'],
  json: true,
  check: (v) => ({
    limit: wholeNumber('limit', v.limit, 20, 1000),
    outbox: v.outbox === true,
    json: v.json === true,
  }),
  load: () => import('./run/mail.js').then((m) => m.listMail),
});
