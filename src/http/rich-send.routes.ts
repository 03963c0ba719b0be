import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, IdParams, secured } from './schemas/common.js';
import { SendResponse } from './schemas/messaging.js';
import { SendContactBody, SendLocationBody, SendPollBody } from './schemas/rich-send.js';

const sendErrors = { ...authErrors, 409: ErrorResponse, 429: ErrorResponse, 502: ErrorResponse };

/** Sending locations, contact cards and polls; each answers the WhatsApp message id like `send`. */
export const richSendRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { richSend } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['messages'];
  const schema = { tags, security: secured, params: IdParams, response: { 200: SendResponse, ...sendErrors } };

  app.post(
    '/api/whatsapp/:id/send-location',
    { schema: { ...schema, summary: 'Send a location', body: SendLocationBody } },
    async (request) => richSend.sendLocation(request.user, request.params.id, request.body),
  );

  app.post(
    '/api/whatsapp/:id/send-contact',
    { schema: { ...schema, summary: 'Send 1 to 10 contact cards (vCards) in one message', body: SendContactBody } },
    async (request) => richSend.sendContacts(request.user, request.params.id, request.body),
  );

  app.post(
    '/api/whatsapp/:id/send-poll',
    {
      schema: {
        ...schema,
        summary: 'Send a poll; its votes arrive as poll_vote events and in the message history',
        body: SendPollBody,
      },
    },
    async (request) => richSend.sendPoll(request.user, request.params.id, request.body),
  );
};
