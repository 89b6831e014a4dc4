/**
 * The passkeys section: the list (name, added, last used), add (a WebAuthn
 * registration through @simplewebauthn/browser, after a fresh proof), rename
 * in place, delete (asked first, fresh proof).
 */
import { startRegistration } from '@simplewebauthn/browser';
import type { AccountApi, Passkey } from './account-api.js';
import type { WithFreshProof } from './security.js';
import { $, confirmAction, say } from './ui.js';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function passkeySection({
  api,
  run,
  withFreshProof,
  reload,
}: {
  api: AccountApi;
  run: (action: () => Promise<void>) => Promise<void>;
  withFreshProof: WithFreshProof;
  /** Reads the factors again (and shows them, passkeys included). */
  reload: () => Promise<void>;
}) {
  function showPasskeys(passkeys: Passkey[]): void {
    $('passkeys-empty').hidden = passkeys.length > 0;
    $('passkey-list').replaceChildren(...passkeys.map(passkeyItem));
  }

  function passkeyItem(p: Passkey): HTMLLIElement {
    const li = document.createElement('li');
    li.dataset.passkeyId = p.id;
    const name = document.createElement('span');
    name.className = 'passkey-name';
    name.textContent = p.name;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `Added ${when.format(new Date(p.createdAt))} · ${
      p.lastUsedAt ? `last used ${when.format(new Date(p.lastUsedAt))}` : 'never used'
    }`;
    const rename = button('Rename', `Rename passkey ${p.name}`, () => renameForm(li, p));
    const remove = button('Delete', `Delete passkey ${p.name}`, () => void deletePasskey(p), 'danger');
    const actions = document.createElement('span');
    actions.className = 'item-actions';
    actions.append(rename, remove);
    li.append(name, meta, actions);
    return li;
  }

  function renameForm(li: HTMLLIElement, p: Passkey): void {
    const form = document.createElement('form');
    form.className = 'rename';
    const id = `rename-${p.id}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.className = 'rename-label';
    label.textContent = `New name for ${p.name}`;
    const input = document.createElement('input');
    input.id = id;
    input.name = 'name';
    input.required = true;
    input.maxLength = 100;
    input.value = p.name;
    const save = button('Save', null, () => {}, 'primary');
    save.type = 'submit';
    const cancel = button('Cancel', null, () => li.replaceWith(passkeyItem(p)), 'quiet');
    form.append(label, input, save, cancel);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run(async () => {
        const { passkey } = await api.renamePasskey(p.id, input.value.trim());
        say(`Passkey renamed to ${passkey.name}.`);
        await reload();
      });
    });
    li.replaceChildren(form);
    input.select();
  }

  async function deletePasskey(p: Passkey): Promise<void> {
    const sure = await confirmAction(
      `Delete the passkey ${p.name}?`,
      'You will no longer be able to sign in with it.',
      'Delete passkey',
    );
    if (!sure) return;
    await run(async () => {
      await withFreshProof(() => api.deletePasskey(p.id));
      await reload();
      say(`Passkey ${p.name} deleted.`);
      $('passkey-add').focus();
    });
  }

  $('passkey-add').addEventListener('click', () =>
    run(async () => {
      const { challengeId, options } = await withFreshProof(() => api.passkeyRegistrationOptions());
      const response = await startRegistration({ optionsJSON: options as never });
      const { passkey } = await api.addPasskey({ challengeId, response, name: defaultPasskeyName() });
      say(`Passkey ${passkey.name} added. You can sign in with it instead of your password.`);
      await reload();
    }),
  );

  return {
    show: showPasskeys,
    clear: () => $('passkey-list').replaceChildren(),
  };
}

function button(text: string, label: string | null, onClick: () => void, kind?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (label) b.setAttribute('aria-label', label);
  if (kind) b.className = kind;
  b.addEventListener('click', onClick);
  return b;
}

/** A first name for a new passkey, from the platform the browser reports; renamed at will. */
function defaultPasskeyName(): string {
  const platform =
    (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ||
    (/iPhone|iPad/.test(navigator.userAgent)
      ? 'iOS'
      : /Android/.test(navigator.userAgent)
        ? 'Android'
        : /Mac/.test(navigator.userAgent)
          ? 'macOS'
          : /Windows/.test(navigator.userAgent)
            ? 'Windows'
            : /Linux/.test(navigator.userAgent)
              ? 'Linux'
              : '');
  return platform ? `Passkey on ${platform}` : 'Passkey';
}
