import type { Delivery } from '../../domain/events.js';
import {
  addWebhookEndpoint,
  listWebhookEndpoints,
  listDeliveries as readDeliveries,
  redeliverDeadEvents,
  removeWebhookEndpoint,
} from '../../domain/webhooks.js';
import type { WebhookEndpointWithCounts } from '../../storage/event-queries.js';
import { withContext } from '../connect.js';
import { type CliIo, formatTime, printJson, printLine, printTable, truncate } from '../output.js';
import type {
  WebhooksAddArgs,
  WebhooksDeliveriesArgs,
  WebhooksListArgs,
  WebhooksRedeliverArgs,
  WebhooksRemoveArgs,
} from '../webhooks.js';

export async function addWebhook(args: WebhooksAddArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx, config) => {
    const { endpoint, secret } = await addWebhookEndpoint(
      ctx,
      { url: args.url, description: args.description },
      { allowPrivate: config.webhooks.allowPrivate },
    );
    if (args.json) printJson(io, { endpoint, secret });
    else {
      printLine(io, `Added webhook endpoint ${endpoint.id} for ${endpoint.url}.`);
      printLine(io, `Signing secret (shown once): ${secret}`);
    }
    return 0;
  });
}

export async function listWebhooks(args: WebhooksListArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const endpoints = await listWebhookEndpoints(ctx, { includeRemoved: args.all });
    if (args.json) printJson(io, { endpoints });
    else
      printTable<WebhookEndpointWithCounts>(
        io,
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
}

export async function removeWebhook(args: WebhooksRemoveArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    await removeWebhookEndpoint(ctx, args.id);
    if (args.json) printJson(io, { removed: args.id });
    else printLine(io, `Removed webhook endpoint ${args.id}.`);
    return 0;
  });
}

export async function listDeliveries(args: WebhooksDeliveriesArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const deliveries = await readDeliveries(ctx, {
      endpointId: args.endpointId,
      state: args.state,
      limit: args.limit,
    });
    if (args.json) printJson(io, { deliveries });
    else
      printTable<Delivery>(
        io,
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
}

export async function redeliver(args: WebhooksRedeliverArgs, io: CliIo): Promise<number> {
  return withContext(io, async (ctx) => {
    const requeued = await redeliverDeadEvents(ctx, args.endpointId);
    if (args.json) printJson(io, { requeued });
    else printLine(io, `Queued ${requeued} dead deliver${requeued === 1 ? 'y' : 'ies'} again.`);
    return 0;
  });
}
