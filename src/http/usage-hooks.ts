import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AppServices } from '../app-context.js';
import { apiCallPolicy } from '../services/limits/api-call-policy.js';

/**
 * Hands every authenticated call on an instance to the limits service, which counts it and
 * refuses it with 429 once `maxApiCalls` is reached; which calls count is the service's policy
 * (src/services/limits/api-call-policy.ts). A preHandler, not onRequest: it must run after the
 * route's authentication, so an unauthenticated caller is told 401, not an instance's quota.
 * Counting at admission (not in onResponse) makes the count the reservation, so concurrent
 * calls cannot slip past the limit together.
 */
const plugin: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { limits } = opts.services;
  // Attached only to the routes whose calls may count, so every other request skips the hook altogether.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((method) => apiCallPolicy({ method, route: route.url, viaDashboard: false }) === 'exempt')) return;
    const admit: preHandlerAsyncHookHandler = async (request) => {
      const id = (request.params as { id?: unknown } | undefined)?.id;
      if (!request.user || typeof id !== 'string') return;
      // Described per call, not once per route, so the policy can weigh facts of the request too.
      await limits.admitApiCall(request.user, id, { method: request.method, route: route.url, viaDashboard: request.viaSessionCookie });
    };
    route.preHandler = [...(Array.isArray(route.preHandler) ? route.preHandler : route.preHandler ? [route.preHandler] : []), admit];
  });
};

export const usageHooks = fp(plugin, { name: 'usageHooks' });
