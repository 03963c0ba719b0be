import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AppServices } from '../app-context.js';

/** Routes that act on one instance (`:id`): their calls count against it. */
const INSTANCE_ROUTE = /^\/api\/(instances|whatsapp|stats\/instances|simulator(\/instances)?)\/:id(\/|$)/;

/**
 * Reading the instance's stats or limits and deleting it stay possible past `maxApiCalls`:
 * a user must be able to see why they are refused and to clean up.
 */
function exempt(method: string, route: string): boolean {
  return route.startsWith('/api/stats/') || route.endsWith('/limits') || (method === 'DELETE' && route === '/api/instances/:id');
}

/**
 * Counts every authenticated call against an instance and refuses it with 429 once
 * `maxApiCalls` is reached. A preHandler, not onRequest: it must run after the route's
 * authentication, so an unauthenticated caller is told 401, not an instance's quota. Counting
 * at admission (not in onResponse) makes the count the reservation, so concurrent calls cannot
 * slip past the limit together.
 */
const plugin: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { limits } = opts.services;
  // Attached to the instance routes only, so every other request skips the hook altogether.
  app.addHook('onRoute', (route) => {
    if (!INSTANCE_ROUTE.test(route.url)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const enforce = methods.some((method) => !exempt(method, route.url));
    const admit: preHandlerAsyncHookHandler = async (request) => {
      const id = (request.params as { id?: unknown } | undefined)?.id;
      if (!request.user || typeof id !== 'string') return;
      await limits.admitApiCall(request.user, id, enforce);
    };
    route.preHandler = [...(Array.isArray(route.preHandler) ? route.preHandler : route.preHandler ? [route.preHandler] : []), admit];
  });
};

export const usageHooks = fp(plugin, { name: 'usageHooks' });
