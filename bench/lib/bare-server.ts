import Fastify from 'fastify';

/**
 * The baseline: a bare Fastify 5 process answering the status route with the same JSON and a
 * response schema, and nothing else (no auth, no store, no plugins). Started by `bare.ts`.
 */
const port = Number(process.argv[2]);
const app = Fastify({ logger: false });
const body = { ready: true, status: 'connected', hasQr: false };
app.get(
  '/api/whatsapp/:id/status',
  {
    schema: {
      response: {
        200: { type: 'object', properties: { ready: { type: 'boolean' }, status: { type: 'string' }, hasQr: { type: 'boolean' } }, required: ['ready', 'status', 'hasQr'] },
      },
    },
  },
  async () => body,
);
app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
