import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, IdParams, secured } from './schemas/common.js';
import { BlockBody, BlocklistView, BlockView, ProfileBody, ProfileParams, ProfileView } from './schemas/profiles.js';

const errors = { ...authErrors, 409: ErrorResponse, 502: ErrorResponse };

/** Profiles (another account's, and the linked account's own) and blocking. */
export const profilesRoutes: FastifyPluginAsyncTypebox<{ services: AppServices; maxMediaBytes: number }> = async (app, opts) => {
  const { profiles } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['contacts'];

  app.get(
    '/api/whatsapp/:id/profile/:phone',
    { schema: { tags, security: secured, summary: "A WhatsApp account's name, about text and picture; exists: false for a number that is no account", params: ProfileParams, response: { 200: ProfileView, ...errors } } },
    async (request) => profiles.get(request.user, request.params.id, request.params.phone),
  );

  app.put(
    '/api/whatsapp/:id/profile',
    {
      // Base64 pictures are a third larger than the bytes they carry.
      bodyLimit: Math.ceil((opts.maxMediaBytes * 4) / 3) + 64 * 1024,
      schema: {
        tags,
        security: secured,
        summary: "Set the linked account's own push name, about text and picture (at least one); answers its profile",
        params: IdParams,
        body: ProfileBody,
        response: { 200: ProfileView, 413: ErrorResponse, 415: ErrorResponse, ...errors },
      },
    },
    async (request) => profiles.update(request.user, request.params.id, request.body),
  );

  app.post(
    '/api/whatsapp/:id/block',
    { schema: { tags, security: secured, summary: 'Block an account: it can no longer message or call this one', params: IdParams, body: BlockBody, response: { 200: BlockView, ...errors } } },
    async (request) => profiles.setBlocked(request.user, request.params.id, request.body.phone, true),
  );

  app.post(
    '/api/whatsapp/:id/unblock',
    { schema: { tags, security: secured, summary: 'Unblock an account', params: IdParams, body: BlockBody, response: { 200: BlockView, ...errors } } },
    async (request) => profiles.setBlocked(request.user, request.params.id, request.body.phone, false),
  );

  app.get(
    '/api/whatsapp/:id/blocklist',
    { schema: { tags, security: secured, summary: 'The accounts this account blocks', params: IdParams, response: { 200: BlocklistView, ...errors } } },
    async (request) => profiles.blocklist(request.user, request.params.id),
  );
};
