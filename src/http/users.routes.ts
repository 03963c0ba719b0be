import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, IdParams, PageQuery, pagination, secured, SuccessResponse } from './schemas/common.js';
import { CreatedUser, CreateUserBody, UpdateUserBody, UserList, UserView } from './schemas/users.js';

/** User management: admins only. */
export const usersRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { users } = opts.services;
  app.addHook('onRequest', app.authenticate);
  app.addHook('preHandler', app.requireAdmin);
  const tags = ['users'];

  app.get(
    '/api/users',
    { schema: { tags, summary: 'List users', security: secured, querystring: PageQuery(100), response: { 200: UserList, ...authErrors } } },
    async (request) => {
      const { limit, skip } = request.query;
      const { items, total } = await users.list(limit, skip);
      return { users: items.map((u) => users.toPublic(u)), pagination: pagination(total, limit, skip) };
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Create a user (the response holds their API key)',
        security: secured,
        body: CreateUserBody,
        response: { 201: CreatedUser, 409: ErrorResponse, ...authErrors },
      },
    },
    async (request, reply) => {
      const { user, apiKey } = await users.create(request.body);
      return reply.code(201).send({ ...users.toPublic(user), apiKey });
    },
  );

  app.get('/api/users/:id', { schema: { tags, summary: 'Get a user', security: secured, params: IdParams, response: { 200: UserView, ...authErrors } } }, async (request) =>
    users.toPublic(await users.get(request.params.id)),
  );

  app.put(
    '/api/users/:id',
    { schema: { tags, summary: 'Update a user (role, active flag, password, names, email)', security: secured, params: IdParams, body: UpdateUserBody, response: { 200: UserView, 409: ErrorResponse, ...authErrors } } },
    async (request) => users.toPublic(await users.update(request.user, request.params.id, request.body)),
  );

  app.delete(
    '/api/users/:id',
    { schema: { tags, summary: 'Delete a user and all their instances', security: secured, params: IdParams, response: { 200: SuccessResponse, ...authErrors } } },
    async (request) => {
      await users.delete(request.user, request.params.id);
      return { success: true, message: `User ${request.params.id} deleted successfully` };
    },
  );
};
