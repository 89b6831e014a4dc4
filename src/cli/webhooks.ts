import type { Delivery, DeliveryState } from '../domain/events.js';
import {
  addWebhookEndpoint,
  listDeliveries,
  listWebhookEndpoints,
  redeliverDeadEvents,
  removeWebhookEndpoint,
} from '../domain/webhooks.js';
import type { WebhookEndpointWithCounts } from '../storage/event-queries.js';
import { command, required, UsageError, wholeNumber } from './command.js';
import { withContext } from './connect.js';
import { formatTime, printJson, printLine, printTable, truncate } from './output.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function endpointIdArg(name: string, raw: string | undefined): string {
  const value = required(name, raw);
  if (!UUID.test(value))
    throw new UsageError(`--${name} must be a webhook endpoint id (a UUID; got '${value}')`);
  return value.toLowerCase();
}

const STATES: DeliveryState[] = ['pending', 'delivered', 'dead'];

export const webhooksAdd = command<{ url?: string; description?: string; json?: boolean }>({
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
  async run(args) {
    const url = required('url', args.url);
    return withContext(async (ctx, config) => {
      const { endpoint, secret } = await addWebhookEndpoint(
        ctx,
        { url, description: args.description },
        { allowPrivate: config.webhooks.allowPrivate },
      );
      if (args.json) printJson({ endpoint, secret });
      else {
        printLine(`Added webhook endpoint ${endpoint.id} for ${endpoint.url}.`);
        printLine(`Signing secret (shown once): ${secret}`);
      }
      return 0;
    });
  },
});

export const webhooksList = command<{ all?: boolean; json?: boolean }>({
  path: ['webhooks', 'list'],
  summary: 'List webhook endpoints with their pending, delivered and dead deliveries.',
  synopsis: '[--all] [--json]',
  options: { all: { type: 'boolean' } },
  optionHelp: [{ flag: '--all', description: 'include removed endpoints' }],
  examples: ['gatehouse webhooks list'],
  json: true,
  async run(args) {
    return withContext(async (ctx) => {
      const endpoints = await listWebhookEndpoints(ctx, { includeRemoved: args.all === true });
      if (args.json) printJson({ endpoints });
      else
        printTable<WebhookEndpointWithCounts>(
          endpoints,
          [
            ['ID', (e) => e.id],
            ['URL', (e) => truncate(e.url, 60)],
            ['FROM', (e) => (e.source === 'env' ? 'WEBHOOK_URL' : 'cli')],
            ['PENDING', (e) => String(e.pending)],
            ['DELIVERED', (e) => String(e.delivered)],
            ['DEAD', (e) => String(e.dead)],
            ['STATE', (e) => (e.disabledAt ? `removed ${formatTime(e.disabledAt)}` : 'active')],
            ['DESCRIPTION', (e) => truncate(e.description)],
          ],
          'No webhook endpoints. Add one with: gatehouse webhooks add --url <url>',
        );
      return 0;
    });
  },
});

export const webhooksRemove = command<{ id?: string; json?: boolean }>({
  path: ['webhooks', 'remove'],
  summary: 'Stop sending events to an endpoint; what it has not yet received is dropped.',
  synopsis: '--id <endpoint id> [--json]',
  description: 'An endpoint that came from WEBHOOK_URL is registered again when a server starts with it set.',
  options: { id: { type: 'string' } },
  optionHelp: [{ flag: '--id <id>', description: 'the endpoint (see webhooks list; required)' }],
  examples: ['gatehouse webhooks remove --id 6f1c2e4b-0d7f-4d6e-9a53-0b8f0f6e3c1c'],
  json: true,
  async run(args) {
    const id = endpointIdArg('id', args.id);
    return withContext(async (ctx) => {
      await removeWebhookEndpoint(ctx, id);
      if (args.json) printJson({ removed: id });
      else printLine(`Removed webhook endpoint ${id}.`);
      return 0;
    });
  },
});

export const webhooksDeliveries = command<{
  endpoint?: string;
  state?: string;
  limit?: string;
  json?: boolean;
}>({
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
  async run(args) {
    const endpointId = args.endpoint === undefined ? undefined : endpointIdArg('endpoint', args.endpoint);
    if (args.state !== undefined && !STATES.includes(args.state as DeliveryState))
      throw new UsageError(`--state must be one of ${STATES.join(', ')} (got '${args.state}')`);
    const state = args.state as DeliveryState | undefined;
    const limit = wholeNumber('limit', args.limit, 50, 10_000);
    return withContext(async (ctx) => {
      const deliveries = await listDeliveries(ctx, { endpointId, state, limit });
      if (args.json) printJson({ deliveries });
      else
        printTable<Delivery>(
          deliveries,
          [
            ['EVENT', (d) => d.eventId],
            ['CREATED', (d) => formatTime(d.createdAt)],
            ['STATE', (d) => d.state],
            ['ATTEMPTS', (d) => String(d.attempts)],
            ['NEXT', (d) => (d.state === 'pending' ? formatTime(d.nextAttemptAt) : null)],
            ['LAST ERROR', (d) => truncate(d.lastError, 50)],
            ['ENDPOINT', (d) => d.endpointId],
          ],
          'No deliveries match.',
        );
      return 0;
    });
  },
});

export const webhooksRedeliver = command<{ endpoint?: string; json?: boolean }>({
  path: ['webhooks', 'redeliver'],
  summary: 'Send dead deliveries again, from the first attempt (after fixing the receiver).',
  synopsis: '[--endpoint <id>] [--json]',
  options: { endpoint: { type: 'string' } },
  optionHelp: [{ flag: '--endpoint <id>', description: "only this endpoint's (default: every active one)" }],
  examples: ['gatehouse webhooks redeliver --endpoint 6f1c2e4b-0d7f-4d6e-9a53-0b8f0f6e3c1c'],
  json: true,
  async run(args) {
    const endpointId = args.endpoint === undefined ? undefined : endpointIdArg('endpoint', args.endpoint);
    return withContext(async (ctx) => {
      const requeued = await redeliverDeadEvents(ctx, endpointId);
      if (args.json) printJson({ requeued });
      else printLine(`Queued ${requeued} dead deliver${requeued === 1 ? 'y' : 'ies'} again.`);
      return 0;
    });
  },
});
