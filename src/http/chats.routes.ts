import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, IdParams, pagination, secured } from './schemas/common.js';
import { ChatsQuery, ChatsResponse, ChatView } from './schemas/chats.js';
import { ChatParams } from './schemas/messaging.js';
import { chatView } from './views.js';

/** The conversation list of an instance; a chat's messages are under history.routes.ts. */
export const chatsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { chats } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['chats'];

  app.get(
    '/api/instances/:id/chats',
    {
      schema: {
        tags,
        summary: 'Chats, newest activity first, with the last message and unread count',
        security: secured,
        params: IdParams,
        querystring: ChatsQuery,
        response: { 200: ChatsResponse, ...authErrors },
      },
    },
    async (request) => {
      const { limit, skip } = request.query;
      const page = await chats.list(request.user, request.params.id, request.query);
      return { chats: page.items.map(chatView), pagination: pagination(page.total, limit, skip) };
    },
  );

  app.post(
    '/api/instances/:id/chats/:chatId/read',
    {
      schema: {
        tags,
        summary: 'Mark a chat read: its unread count becomes 0',
        security: secured,
        params: ChatParams,
        response: { 200: ChatView, ...authErrors },
      },
    },
    async (request) => chatView(await chats.markRead(request.user, request.params.id, request.params.chatId)),
  );
};
