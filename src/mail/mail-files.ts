import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mailDirectory } from './transport.js';

/** One message the embedded default wrote (transport.ts#fileTransport), as `gatehouse mail list` shows it. */
export interface MailFile {
  file: string;
  date: Date | null;
  to: string;
  subject: string;
  /** The account-page link in it, if any. */
  link: string | null;
}

const LINK = /https?:\/\/[^\s"<>]+\/account#(?:verify|reset)=[A-Za-z0-9_-]{43}/;

/** The headers of a MIME message, folded lines unfolded (RFC 5322 §2.2.3), names lower-cased. */
function headersOf(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * The link, wherever the message carries it. Our text parts may be
 * quoted-printable, which breaks long lines ("=" at the end) and writes "=" as
 * "=3D": both undone before looking.
 */
function linkOf(raw: string): string | null {
  const unfolded = raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  return LINK.exec(unfolded)?.[0] ?? null;
}

/** The latest `limit` messages in DATA_DIR/mail, newest first (file names start with their time). */
export async function readMailFiles(dataDir: string, limit: number): Promise<MailFile[]> {
  const dir = mailDirectory(dataDir);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.eml'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  names.sort().reverse();
  return Promise.all(
    names.slice(0, limit).map(async (name) => {
      const file = join(dir, name);
      const raw = await readFile(file, 'utf8');
      const headers = headersOf(raw);
      const date = headers.get('date');
      return {
        file,
        date: date ? new Date(date) : null,
        to: headers.get('to') ?? '',
        subject: headers.get('subject') ?? '',
        link: linkOf(raw),
      };
    }),
  );
}
