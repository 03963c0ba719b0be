import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { COLLECTION_NAMES } from '../store/transfer.js';
import { authErrors, ErrorResponse, secured } from './schemas/common.js';

const Provider = Type.Union([Type.Literal('sqlite'), Type.Literal('postgres'), Type.Literal('mongodb')]);
const Counts = Type.Object(Object.fromEntries(COLLECTION_NAMES.map((c) => [c, Type.Optional(Type.Integer())])), {
  description: 'Rows per collection (table)',
});

const DbStatus = Type.Object({
  provider: Provider,
  url: Type.String({ description: 'The live database URL, any password masked' }),
  healthy: Type.Boolean(),
  counts: Counts,
});

const SwitchBody = Type.Object({ provider: Type.String({ minLength: 1, maxLength: 20, description: 'sqlite, postgres or mongodb' }) }, { additionalProperties: false });

const SwitchResponse = Type.Object({
  success: Type.Boolean(),
  message: Type.String(),
  provider: Provider,
  copied: Type.Optional(Counts),
});

/** Database status and the live provider switch: admins only (the data of every user moves). */
export const dbRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { database } = opts.services;
  app.addHook('onRequest', app.authenticate);
  app.addHook('preHandler', app.requireAdmin);
  const tags = ['database'];

  app.get(
    '/api/db/status',
    { schema: { tags, summary: 'The live database provider, its (masked) URL, health and row counts', security: secured, response: { 200: DbStatus, ...authErrors } } },
    async () => database.status(),
  );

  app.post(
    '/api/db/switch',
    {
      schema: {
        tags,
        summary: 'Copy every record to another provider and switch to it without a restart',
        description:
          'The target comes from DATABASE_URL / POSTGRES_URL / MONGODB_URL / SQLITE_DATABASE_URL. Writes pause only for the final catch-up; the choice is kept in DATA_DIR/database.json.',
        security: secured,
        body: SwitchBody,
        response: { 200: SwitchResponse, 409: ErrorResponse, 503: ErrorResponse, ...authErrors },
      },
    },
    async (request) => database.switchTo(request.body.provider),
  );
};
