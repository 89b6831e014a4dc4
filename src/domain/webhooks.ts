import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import { type Delivery, type DeliveryState, type WebhookEndpoint, webhookUrlProblem } from './events.js';
import type { WebhookEndpointWithCounts } from './store.js';

/**
 * Webhook endpoints, as operators manage them (the CLI and WEBHOOK_URL).
 * Every session that ends from then on is sent to every active endpoint.
 */

/** A fresh signing secret: 256 random bits, prefixed so it is recognisable in a config file. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Adds an endpoint; returns it with its secret, which is shown this once. 422 bad URL (a private
 * address without `allowPrivate`, WEBHOOK_ALLOW_PRIVATE), 409 URL taken.
 */
export async function addWebhookEndpoint(
  ctx: Context,
  input: { url: string; secret?: string; description?: string | null },
  opts: { allowPrivate: boolean },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const problem = webhookUrlProblem(input.url, opts);
  if (problem) throw new AppError('VALIDATION_ERROR', `The URL ${problem}`);
  if (input.secret !== undefined && input.secret.length < 16)
    throw new AppError('VALIDATION_ERROR', 'A webhook secret must be at least 16 characters');
  const secret = input.secret ?? newWebhookSecret();
  const endpoint = await ctx.store.insertWebhookEndpoint({
    id: randomUUID(),
    url: input.url,
    secret,
    source: 'cli',
    description: input.description?.trim() || null,
  });
  if (!endpoint) throw new AppError('CONFLICT', `An endpoint for ${input.url} is already registered`);
  return { endpoint, secret };
}

/** Active endpoints (and removed ones, if asked), with how many deliveries are pending, delivered, dead. */
export function listWebhookEndpoints(
  ctx: Context,
  opts: { includeRemoved?: boolean } = {},
): Promise<WebhookEndpointWithCounts[]> {
  return ctx.store.listWebhookEndpoints(opts.includeRemoved ?? false);
}

/** Stops sending to an endpoint; what it had not yet received is dropped (marked dead). 404 if not active. */
export async function removeWebhookEndpoint(ctx: Context, id: string): Promise<void> {
  if (!(await ctx.store.disableWebhookEndpoint(id)))
    throw new AppError('NOT_FOUND', `No active webhook endpoint ${id}`);
}

/** Sends dead deliveries again, from attempt one (after fixing a receiver). Returns how many. */
export function redeliverDeadEvents(ctx: Context, endpointId?: string): Promise<number> {
  return ctx.store.requeueDeadDeliveries(endpointId);
}

/** Recent deliveries, newest first, e.g. the dead ones and why they died. */
export function listDeliveries(
  ctx: Context,
  filter: { endpointId?: string; state?: DeliveryState; limit: number },
): Promise<Delivery[]> {
  return ctx.store.listDeliveries(filter);
}

/**
 * Makes the endpoints that came from the environment match it, at start:
 * WEBHOOK_URL is registered (or its secret updated), and an endpoint an
 * earlier WEBHOOK_URL registered is removed. Endpoints added with the CLI are
 * left alone.
 */
export async function syncEnvWebhookEndpoint(
  ctx: Context,
  endpoint: { url: string; secret: string } | undefined,
): Promise<WebhookEndpoint | null> {
  return ctx.store.transaction(async (tx) => {
    await tx.disableEnvWebhookEndpoints(endpoint?.url ?? null);
    if (!endpoint) return null;
    return tx.upsertWebhookEndpoint({
      id: randomUUID(),
      url: endpoint.url,
      secret: endpoint.secret,
      source: 'env',
      description: 'WEBHOOK_URL',
    });
  });
}
