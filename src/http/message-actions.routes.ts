import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, secured } from './schemas/common.js';
import { SendResponse } from './schemas/messaging.js';
import { DeleteQuery, DeleteResponse, EditBody, ForwardBody, MessageParams, ReactionBody } from './schemas/message-actions.js';

const actionErrors = { ...authErrors, 409: ErrorResponse, 429: ErrorResponse, 502: ErrorResponse };

/** Acting on a message already in a chat: react, edit, delete, forward. An unknown messageId is a 404. */
export const messageActionsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { messageActions } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const base = { tags: ['messages'], security: secured, params: MessageParams };

  app.post(
    '/api/whatsapp/:id/messages/:messageId/reaction',
    { schema: { ...base, summary: 'React to a message ("" removes our reaction)', body: ReactionBody, response: { 200: SendResponse, ...actionErrors } } },
    async (request) => messageActions.react(request.user, request.params.id, request.params.messageId, request.body.emoji),
  );

  app.put(
    '/api/whatsapp/:id/messages/:messageId',
    {
      schema: {
        ...base,
        summary: 'Edit the text of a message we sent (403 for another’s message, 409 after 15 minutes)',
        body: EditBody,
        response: { 200: SendResponse, ...actionErrors },
      },
    },
    async (request) => messageActions.edit(request.user, request.params.id, request.params.messageId, request.body.message),
  );

  app.delete(
    '/api/whatsapp/:id/messages/:messageId',
    {
      schema: {
        ...base,
        summary: 'Delete a message we sent for everyone (409 after about 2 days), or with forMe=true only here',
        querystring: DeleteQuery,
        response: { 200: DeleteResponse, ...actionErrors },
      },
    },
    async (request) => messageActions.delete(request.user, request.params.id, request.params.messageId, request.query.forMe ?? false),
  );

  app.post(
    '/api/whatsapp/:id/messages/:messageId/forward',
    { schema: { ...base, summary: 'Forward a message to another chat (a new sent message)', body: ForwardBody, response: { 200: SendResponse, ...actionErrors } } },
    async (request) => messageActions.forward(request.user, request.params.id, request.params.messageId, request.body.phone),
  );
};
