/**
 * The fresh-proof flow (docs/api.md §7): a sensitive change answered 403
 * REAUTHENTICATION_REQUIRED asks for the password in a dialog, proves it with
 * POST /auth/reauthenticate, and runs the change again. Cancelling the dialog
 * abandons the change; a wrong password is said in the dialog and can be retried.
 */
import type { GatehouseClient } from '../../client/index.js';
import { $, describe, fieldError, isCode } from './ui.js';

export class Cancelled extends Error {
  override readonly name = 'Cancelled';
}

export function freshProof(client: GatehouseClient) {
  /** Asks for the password until it is proved, or throws Cancelled. */
  function askForProof(): Promise<void> {
    const dialog = $<HTMLDialogElement>('proof-dialog');
    const form = $<HTMLFormElement>('proof-form');
    const password = $<HTMLInputElement>('proof-password');
    form.reset();
    fieldError('proof-error', null);
    dialog.showModal();
    password.focus();
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void) => {
        form.removeEventListener('submit', onSubmit);
        $('proof-cancel').removeEventListener('click', onCancel);
        dialog.removeEventListener('cancel', onCancel);
        dialog.close();
        outcome();
      };
      const onCancel = (event: Event) => {
        event.preventDefault();
        finish(() => reject(new Cancelled('Cancelled')));
      };
      const onSubmit = async (event: SubmitEvent) => {
        event.preventDefault();
        if (!password.value) return fieldError('proof-error', 'Enter your password.');
        try {
          // A fresh access cookie first, so that a 401 below can only mean a wrong password.
          await client.me();
        } catch (err) {
          return finish(() => reject(err));
        }
        try {
          await client.reauthenticate({ password: password.value });
          finish(resolve);
        } catch (err) {
          if (isCode(err, 'UNAUTHORIZED')) {
            fieldError('proof-error', 'That password is not right. Try again.');
            password.select();
          } else finish(() => reject(err));
        }
      };
      form.addEventListener('submit', onSubmit);
      $('proof-cancel').addEventListener('click', onCancel);
      dialog.addEventListener('cancel', onCancel);
    });
  }

  /** Runs `action`; if it needs a fresh proof, asks for one and runs it once more. */
  return async function withFreshProof<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      if (!isCode(err, 'REAUTHENTICATION_REQUIRED')) throw err;
      await askForProof();
      return action();
    }
  };
}

export const describeUnlessCancelled = (err: unknown): string | null =>
  err instanceof Cancelled ? null : describe(err);
