import { loadConfig } from '../../config.js';
import type { MailRecord } from '../../domain/store.js';
import { type MailFile, readMailFiles } from '../../mail/mail-files.js';
import { mailDirectory } from '../../mail/transport.js';
import { withContext } from '../connect.js';
import type { MailListArgs } from '../mail.js';
import { type CliIo, formatTime, note, printJson, printTable, truncate } from '../output.js';

export async function listMail(args: MailListArgs, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  if (config.mail.url || args.outbox) {
    return withContext(io, async (ctx) => {
      const mails = await ctx.store.listMails(args.limit);
      if (args.json) printJson(io, { source: 'outbox', mails });
      else
        printTable<MailRecord>(
          io,
          mails,
          [
            ['ID', (m) => m.id],
            ['CREATED', (m) => formatTime(m.createdAt)],
            ['TO', (m) => m.to],
            ['KIND', (m) => m.kind],
            [
              'STATE',
              (m) => (m.state === 'queued' ? `queued (next ${formatTime(m.nextAttemptAt)})` : m.state),
            ],
            ['ATTEMPTS', (m) => String(m.attempts)],
            ['LAST ERROR', (m) => truncate(m.lastError, 60)],
          ],
          'No mails in the outbox.',
        );
      return 0;
    });
  }
  const dir = mailDirectory(config.dataDir);
  const files = await readMailFiles(config.dataDir, args.limit);
  if (args.json) printJson(io, { source: 'files', directory: dir, mails: files });
  else {
    note(io, `Mails written to ${dir} (MAIL_URL is not set), newest first:`);
    printTable<MailFile>(
      io,
      files,
      [
        ['DATE', (m) => formatTime(m.date)],
        ['TO', (m) => m.to],
        ['SUBJECT', (m) => m.subject],
        ['LINK', (m) => m.link],
      ],
      `No mails in ${dir}.`,
    );
  }
  return 0;
}
