import Fastify from 'fastify';
import { type GuardOptions, gatehouseGuard } from './guard.js';

/** A small API of your own whose routes need a Gatehouse login. */
export function buildExampleApi(options: GuardOptions) {
  const api = Fastify();
  const guard = gatehouseGuard(options);

  api.get('/public', async () => ({ hello: 'anyone' }));
  api.get('/private', { preHandler: guard }, async (request) => ({
    hello: request.gatehouseUser?.email,
  }));
  return api;
}

// Run directly: GATEHOUSE_URL=http://127.0.0.1:3000 npx tsx examples/fastify-api/server.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const api = buildExampleApi({
    gatehouseUrl: process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:3000',
    mode: 'ask',
  });
  await api.listen({ port: Number(process.env.PORT ?? 4000) });
  console.log(`example API on http://127.0.0.1:${Number(process.env.PORT ?? 4000)}/private`);
}
