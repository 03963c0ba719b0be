import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { authErrors, ErrorResponse, secured } from './schemas/common.js';
import { MeResponse } from './schemas/users.js';

const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

const LoginResponse = Type.Object({
  token: Type.String(),
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    firstName: Type.String(),
    lastName: Type.String(),
    apiKey: Type.String(),
    role: Type.String(),
  }),
});

export const authRoutes: FastifyPluginAsyncTypebox<{ services: AppServices; loginRateLimitPerMinute: number }> = async (app, opts) => {
  const { auth, users } = opts.services;

  app.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Log in with email and password', body: LoginBody, response: { 200: LoginResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse } },
      config: { rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request) => {
      const { token, user } = await auth.login(request.body.email, request.body.password);
      return { token, user: { ...users.toPublic(user), apiKey: users.apiKeyOf(user) } };
    },
  );

  app.get('/api/auth/me', { onRequest: app.authenticate, schema: { tags: ['auth'], summary: 'The signed-in user', security: secured, response: { 200: MeResponse, ...authErrors } } }, async (request) => ({
      ...users.toPublic(request.user),
      apiKey: users.apiKeyOf(request.user),
    }));

    app.post(
      '/api/auth/password',
      {
        onRequest: app.authenticate,
        schema: {
          tags: ['auth'],
          summary: 'Change your own password',
          security: secured,
          body: Type.Object({ currentPassword: Type.String({ minLength: 1 }), newPassword: Type.String({ minLength: 1, maxLength: 1024 }) }),
          response: { 200: Type.Object({ success: Type.Boolean() }), ...authErrors },
        },
      },
      async (request) => {
        await users.changePassword(request.user, request.body.currentPassword, request.body.newPassword);
        return { success: true };
      },
    );

    app.post(
      '/api/auth/api-key/rotate',
      {
        onRequest: app.authenticate,
        schema: {
          tags: ['auth'],
          summary: 'Replace your API key; the old one stops working at once',
          security: secured,
          response: { 200: Type.Object({ apiKey: Type.String() }), ...authErrors },
        },
      },
      async (request) => ({ apiKey: await users.rotateApiKey(request.user) }),
    );
};
