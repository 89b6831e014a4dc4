import { webhookUrlProblem } from '../domain/events.js';
import { command, required, UsageError, uuidArg, wholeNumber } from './command.js';

export const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;

export interface WebhooksAddArgs {
  url: string;
  description: string | undefined;
  json: boolean;
}
export interface WebhooksListArgs {
  all: boolean;
  json: boolean;
}
export interface WebhooksRemoveArgs {
  id: string;
  json: boolean;
}
export interface WebhooksDeliveriesArgs {
  endpointId: string | undefined;
  state: (typeof DELIVERY_STATES)[number] | undefined;
  limit: number;
  json: boolean;
}
export interface WebhooksRedeliverArgs {
  endpointId: string | undefined;
  json: boolean;
}

const endpointIdArg = (name: string, raw: string | undefined) => uuidArg(name, raw, 'a webhook endpoint id');
const optionalEndpoint = (raw: string | undefined) =>
  raw === undefined ? undefined : endpointIdArg('endpoint', raw);

export const webhooksAdd = command<{ url?: string; description?: string; json?: boolean }, WebhooksAddArgs>({
  path: ['webhooks', 'add'],
  summary: 'Register an endpoint for signed session.ended events (one per ended session).',
  synopsis: '--url <url> [--description <text>] [--json]',
  description:
    'Prints the endpoint and its signing secret, once: give the secret to the receiver, which checks the\n' +
    'Gatehouse-Signature header with it (docs/events.md). Sessions that end from now on are sent to it,\n' +
    'by every running instance, with retries.',
  options: { url: { type: 'string' }, description: { type: 'string' } },
  optionHelp: [
    { flag: '--url <url>', description: 'where to POST events (https:// recommended; required)' },
    { flag: '--description <text>', description: 'a note for the list, e.g. who owns the receiver' },
  ],
  examples: ['gatehouse webhooks add --url https://hooks.example.com/gatehouse --description "SIEM"'],
  json: true,
  check(v) {
    const url = required('url', v.url);
    // The URL's form, before anything is opened; whether its address is allowed depends on
    // WEBHOOK_ALLOW_PRIVATE, which the endpoint's registration checks with the configuration.
    const problem = webhookUrlProblem(url, { allowPrivate: true });
    if (problem) throw new UsageError(`--url ${problem}`);
    return { url, description: v.description, json: v.json === true };
  },
  load: () => import('./run/webhooks.js').then((m) => m.addWebhook),
});

export const webhooksList = command<{ all?: boolean; json?: boolean }, WebhooksListArgs>({
  path: ['webhooks', 'list'],
  summary: 'List webhook endpoints with their pending, delivered and dead deliveries.',
  synopsis: '[--all] [--json]',
  options: { all: { type: 'boolean' } },
  optionHelp: [{ flag: '--all', description: 'include removed endpoints' }],
  examples: ['gatehouse webhooks list'],
  json: true,
  check: (v) => ({ all: v.all === true, json: v.json === true }),
  load: () => import('./run/webhooks.js').then((m) => m.listWebhooks),
});

export const webhooksRemove = command<{ id?: string; json?: boolean }, WebhooksRemoveArgs>({
  path: ['webhooks', 'remove'],
  summary: 'Stop sending events to an endpoint; what it has not yet received is dropped.',
  synopsis: '--id <endpoint id> [--json]',
  description: 'An endpoint that came from WEBHOOK_URL is registered again when a server starts with it set.',
  options: { id: { type: 'string' } },
  optionHelp: [{ flag: '--id <id>', description: 'the endpoint (see webhooks list; required)' }],
  examples: ['gatehouse webhooks remove --id 6f1c2e4b-0d7f-4d6e-9a53-0b8f0f6e3c1c'],
  json: true,
  check: (v) => ({ id: endpointIdArg('id', v.id), json: v.json === true }),
  load: () => import('./run/webhooks.js').then((m) => m.removeWebhook),
});

export const webhooksDeliveries = command<
  { endpoint?: string; state?: string; limit?: string; json?: boolean },
  WebhooksDeliveriesArgs
>({
  path: ['webhooks', 'deliveries'],
  summary: 'Recent deliveries, newest first: their state, attempts and last error.',
  synopsis: '[--endpoint <id>] [--state pending|delivered|dead] [--limit <n>] [--json]',
  options: { endpoint: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' } },
  optionHelp: [
    { flag: '--endpoint <id>', description: 'only this endpoint' },
    { flag: '--state <state>', description: 'pending, delivered or dead' },
    { flag: '--limit <n>', description: 'at most this many (default 50, at most 10000)' },
  ],
  examples: ['gatehouse webhooks deliveries --state dead'],
  json: true,
  check(v) {
    const state = DELIVERY_STATES.find((s) => s === v.state);
    if (v.state !== undefined && !state)
      throw new UsageError(`--state must be one of ${DELIVERY_STATES.join(', ')} (got '${v.state}')`);
    return {
      endpointId: optionalEndpoint(v.endpoint),
      state,
      limit: wholeNumber('limit', v.limit, 50, 10_000),
      json: v.json === true,
    };
  },
  load: () => import('./run/webhooks.js').then((m) => m.listDeliveries),
});

export const webhooksRedeliver = command<{ endpoint?: string; json?: boolean }, WebhooksRedeliverArgs>({
  path: ['webhooks', 'redeliver'],
  summary: 'Send dead deliveries again, from the first attempt (after fixing the receiver).',
  synopsis: '[--endpoint <id>] [--json]',
  options: { endpoint: { type: 'string' } },
  optionHelp: [{ flag: '--endpoint <id>', description: "only this endpoint's (default: every active one)" }],
  examples: ['gatehouse webhooks redeliver --endpoint 6f1c2e4b-0d7f-4d6e-9a53-0b8f0f6e3c1c'],
  json: true,
  check: (v) => ({ endpointId: optionalEndpoint(v.endpoint), json: v.json === true }),
  load: () => import('./run/webhooks.js').then((m) => m.redeliver),
});
