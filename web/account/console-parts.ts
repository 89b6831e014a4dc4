/** The seams between the page's modules (account.ts wires them). */
import type { GatehouseClient } from '../../client/index.js';
import type { AccountApi } from './account-api.js';

/** What the views of the signed-out side need from the page (account.ts). */
export interface ConsoleParts {
  client: GatehouseClient;
  api: AccountApi;
  /** Runs an action with the buttons disabled; a failure becomes a message. */
  run: (action: () => Promise<void>) => Promise<void>;
  /** Shows a signed-out view (and forgets any session state). */
  showSignedOut: (view?: 'sign-in' | 'register' | 'forgot') => void;
}
