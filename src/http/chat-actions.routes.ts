import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, IdParams, secured, SuccessResponse } from './schemas/common.js';
import { ChatPresenceParams, ChatPresenceResponse, CheckNumbersBody, CheckNumbersResponse, PresenceBody, ReadBody, ReadResponse } from './schemas/chat-actions.js';

const errors = { ...authErrors, 409: ErrorResponse, 502: ErrorResponse };

/** Read receipts, presence (typing, online) and number checks. */
export const chatActionsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { chatActions, presence } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const base = { tags: ['chats'], security: secured, params: IdParams };

  app.post(
    '/api/whatsapp/:id/read',
    {
      schema: {
        ...base,
        summary: "Send read receipts for messages of a chat (its unread ones by default); the chat's unread count becomes 0",
        body: ReadBody,
        response: { 200: ReadResponse, ...errors },
      },
    },
    async (request) => chatActions.read(request.user, request.params.id, request.body),
  );

  app.post(
    '/api/whatsapp/:id/presence',
    { schema: { ...base, summary: 'Show online/offline, or typing, recording or paused in a chat', body: PresenceBody, response: { 200: SuccessResponse, ...errors } } },
    async (request) => chatActions.presence(request.user, request.params.id, request.body),
  );

  app.get(
    '/api/whatsapp/:id/presence/:chatId',
    {
      schema: {
        ...base,
        params: ChatPresenceParams,
        summary: "A chat's last presence (typing, recording, online) heard in the last 30 seconds; asks WhatsApp for the chat's next ones",
        description:
          'WhatsApp reports a peer\'s presence only to sessions that asked for that chat: this call asks (when connected), and so does a message from the peer. Each update also goes to webhooks as presence_update. Kept in memory only: null when nothing was heard lately.',
        response: { 200: ChatPresenceResponse, ...errors },
      },
    },
    async (request) => presence.get(request.user, request.params.id, request.params.chatId),
  );

  app.post(
    '/api/whatsapp/:id/check-numbers',
    { schema: { ...base, tags: ['contacts'], summary: 'Which numbers are WhatsApp accounts (1 to 100)', body: CheckNumbersBody, response: { 200: CheckNumbersResponse, ...errors } } },
    async (request) => chatActions.checkNumbers(request.user, request.params.id, request.body.phones),
  );
};
