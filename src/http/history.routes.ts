import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { iso } from '../core/clock.js';
import { authErrors, pagination, secured, IdParams } from './schemas/common.js';
import { ChatHistoryQuery, ChatHistoryResponse, ChatParams, EventsQuery, EventsResponse } from './schemas/messaging.js';
import { eventView, messageView } from './views.js';

/** A chat's stored messages and the instance's event log (poll with `since = latestTimestamp`). */
export const historyRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { history } = opts.services;
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/api/instances/:id/chats/:chatId/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'Messages of a chat, newest first',
        security: secured,
        params: ChatParams,
        querystring: ChatHistoryQuery,
        response: { 200: ChatHistoryResponse, ...authErrors },
      },
    },
    async (request) => {
      const { limit, skip } = request.query;
      const page = await history.chatMessages(request.user, request.params.id, request.params.chatId, request.query);
      return { messages: page.items.map(messageView), pagination: pagination(page.total, limit, skip) };
    },
  );

  app.get(
    '/api/instances/:id/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Events of an instance: after `since` oldest first, else the latest `limit`',
        security: secured,
        params: IdParams,
        querystring: EventsQuery,
        response: { 200: EventsResponse, ...authErrors },
      },
    },
    async (request) => {
      const page = await history.events(request.user, request.params.id, request.query);
      const events = page.items.map(eventView);
      const last = page.items.at(-1);
      const latestTimestamp = last ? iso(last.ts) : page.since !== undefined ? iso(page.since) : null;
      return { events, latestTimestamp, count: events.length, hasMore: page.hasMore };
    },
  );
};
