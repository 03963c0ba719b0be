import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, secured } from './schemas/common.js';
import { DbStatus, SwitchBody, SwitchResponse } from './schemas/db.js';

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
