import type { MailMessage } from '../domain/store.js';

/**
 * The messages Gatehouse sends, each as plain text and HTML with the same
 * words. Links carry the token in the fragment (#verify=…, #reset=…): a
 * fragment is never sent to a server, so it stays out of access logs and
 * Referer headers; the account page reads it from location.hash.
 */

export type MailKind = 'verify_email' | 'email_change' | 'email_change_notice' | 'password_reset';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const accountLink = (publicUrl: string, action: 'verify' | 'reset', token: string): string =>
  `${publicUrl}/account#${action}=${token}`;

const greeting = (name: string | null) => (name ? `Hello ${name},` : 'Hello,');

/** One message from paragraphs; `link` (if any) is shown as a button in HTML and on a line of its own in text. */
function compose(
  to: string,
  subject: string,
  name: string | null,
  paragraphs: { before: string[]; link?: { url: string; label: string }; after: string[] },
): MailMessage {
  const { before, link, after } = paragraphs;
  const text = [greeting(name), ...before, ...(link ? [link.url] : []), ...after].join('\n\n');
  const p = (t: string) => `<p>${escapeHtml(t)}</p>`;
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    p(greeting(name)),
    ...before.map(p),
    ...(link
      ? [
          `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`,
          `<p style="font-size: smaller">${escapeHtml('Or copy this address into your browser:')}<br>${escapeHtml(link.url)}</p>`,
        ]
      : []),
    ...after.map(p),
    '</body></html>',
  ].join('\n');
  return { to, subject, text: `${text}\n`, html, link: link?.url ?? null };
}

const IGNORE = 'If you did not ask for this, you can ignore this message.';

export function verifyEmailMessage(to: string, name: string | null, url: string): MailMessage {
  return compose(to, 'Verify your email address', name, {
    before: ['Please confirm that this address belongs to your account. The link works once, for 24 hours:'],
    link: { url, label: 'Verify my email address' },
    after: [IGNORE],
  });
}

export function emailChangeMessage(to: string, name: string | null, url: string): MailMessage {
  return compose(to, 'Confirm your new email address', name, {
    before: [
      'You asked to use this address for your account. Confirm it with this link; it works once, for 24 hours:',
    ],
    link: { url, label: 'Confirm my new address' },
    after: [`${IGNORE} The address of the account does not change unless the link is followed.`],
  });
}

export function emailChangeNotice(to: string, name: string | null, newAddress: string): MailMessage {
  return compose(to, 'Your email address is being changed', name, {
    before: [
      `Someone signed in to your account asked to change its email address from ${to} to ${newAddress}. The change happens when the new address is confirmed.`,
    ],
    after: [
      'If this was not you, change your password now and sign out of every device from your account page.',
    ],
  });
}

export function passwordResetMessage(to: string, name: string | null, url: string): MailMessage {
  return compose(to, 'Reset your password', name, {
    before: [
      'Someone asked to reset the password of your account. Choose a new one with this link; it works once, for 30 minutes, and signs you out everywhere:',
    ],
    link: { url, label: 'Choose a new password' },
    after: [`${IGNORE} Your password stays as it is.`],
  });
}
