/**
 * The page's small DOM toolkit: finding elements, switching views, the two
 * message areas, the confirmation dialog, and turning errors into sentences.
 * Everything the server sends is inserted as text, never as HTML.
 */
import { GatehouseError } from '../../client/index.js';

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
};

export const VIEWS = [
  'loading',
  'sign-in',
  'mfa',
  'register',
  'forgot',
  'reset',
  'verify',
  'account',
] as const;
export type View = (typeof VIEWS)[number];

let current: View = 'loading';

/** Shows one view, hides the others, and moves focus to its heading (so screen readers follow). */
export function show(which: View, focus = true): void {
  for (const name of VIEWS) {
    const section = name === 'loading' ? $('loading') : $(`${name}-view`);
    section.hidden = name !== which;
  }
  const changed = current !== which;
  current = which;
  if (focus && changed) $(`${which === 'account' ? 'account' : which}-title`).focus();
}

export const currentView = (): View => current;

const status = (): HTMLElement => $('status');
const alertBox = (): HTMLElement => $('alert');

/** Something that went as asked (green, polite). */
export function say(message: string): void {
  alertBox().hidden = true;
  alertBox().textContent = '';
  alertBox().className = 'alert';
  status().textContent = message;
}

/** Something that went wrong (red, assertive). */
export function warn(message: string): void {
  status().textContent = '';
  alertBox().className = 'alert';
  alertBox().textContent = message;
  alertBox().hidden = false;
}

/** Something that happened to the user rather than by their action, e.g. signed out from elsewhere (amber, assertive). */
export function notice(message: string): void {
  status().textContent = '';
  alertBox().className = 'alert notice';
  alertBox().textContent = message;
  alertBox().hidden = false;
}

export function clearMessages(): void {
  status().textContent = '';
  alertBox().hidden = true;
  alertBox().textContent = '';
}

/** Shows (or hides, with null) a form's own error line. */
export function fieldError(id: string, message: string | null): void {
  const line = $(id);
  line.textContent = message ?? '';
  line.hidden = message === null;
}

export const describe = (err: unknown): string =>
  err instanceof GatehouseError
    ? err.code === 'NETWORK_ERROR'
      ? 'Gatehouse could not be reached. Check your connection and try again.'
      : err.code === 'RATE_LIMITED'
        ? 'Too many attempts. Wait a little and try again.'
        : `${err.message}: ${err.description}`
    : err instanceof Error && err.name === 'NotAllowedError'
      ? 'The passkey request was cancelled or timed out.'
      : 'Something went wrong. Try again.';

export const isCode = (err: unknown, code: string): boolean =>
  err instanceof GatehouseError && (err.code as string) === code;

/**
 * Asks before something that cannot be undone. A native <dialog>: modal,
 * focus trapped and returned, Escape cancels; resolves true only on the
 * confirming button.
 */
export function confirmAction(title: string, text: string, ok: string): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = ok;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

/** Runs an action with every button disabled (no double submits), turning a failure into a message. */
export async function busy(action: () => Promise<void>, onError: (err: unknown) => void): Promise<void> {
  // Not the dialogs' buttons: an action may open one (the proof dialog) while it runs.
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('main button')].filter(
    (b) => !b.closest('dialog'),
  );
  const was = buttons.map((b) => b.disabled);
  for (const b of buttons) b.disabled = true;
  try {
    await action();
  } catch (err) {
    onError(err);
  } finally {
    buttons.forEach((b, i) => {
      b.disabled = was[i] ?? false;
    });
  }
}

/** The values of a form's named fields, as strings. */
export function fields(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) if (typeof value === 'string') out[name] = value;
  return out;
}
