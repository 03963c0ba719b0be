import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import { SESSION_COOKIE } from './auth.js';
import { ApiKeyView, LoginBody, LoginHeaders, LoginResponse, PasswordBody, PasswordChanged } from './schemas/auth.js';
import { authErrors, ErrorResponse, secured, SuccessResponse } from './schemas/common.js';
import { MeResponse } from './schemas/users.js';

/** Sent to /api only: pages and assets never carry it. Strict: no other site's request carries it. */
const cookieOptions = (secure: boolean) => ({ path: '/api', httpOnly: true, sameSite: 'strict' as const, secure });

export const authRoutes: FastifyPluginAsyncTypebox<{ services: AppServices; loginRateLimitPerMinute: number }> = async (app, opts) => {
  const { auth, users } = opts.services;

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password',
        description: 'With `x-session: cookie` the token is also set as an httpOnly session cookie, which the API accepts only with `x-requested-with: dashboard`.',
        headers: LoginHeaders,
        body: LoginBody,
        response: { 200: LoginResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
      config: { rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { token, user } = await auth.login(request.body.email, request.body.password, request.ip);
      if (request.headers['x-session'] === 'cookie') reply.setCookie(SESSION_COOKIE, token, cookieOptions(request.protocol === 'https'));
      return { token, user: { ...users.toPublic(user), apiKey: users.apiKeyOf(user) } };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: "End the dashboard's cookie session", response: { 200: SuccessResponse } } },
    async (request, reply) => {
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request.protocol === 'https'));
      return { success: true };
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
          description:
            'Ends every token issued before (other sessions and devices must log in again) and returns a new one; a dashboard session gets its cookie renewed.',
          security: secured,
          body: PasswordBody,
          response: { 200: PasswordChanged, 429: ErrorResponse, ...authErrors },
        },
        config: { rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      },
      async (request, reply) => {
        const user = await users.changePassword(request.user, request.body.currentPassword, request.body.newPassword, request.ip);
        const token = await auth.issueToken(user);
        if (request.viaSessionCookie) reply.setCookie(SESSION_COOKIE, token, cookieOptions(request.protocol === 'https'));
        return { success: true, token };
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
          response: { 200: ApiKeyView, ...authErrors },
        },
      },
      async (request) => ({ apiKey: await users.rotateApiKey(request.user) }),
    );
};
