import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../core/errors.js';
import type { AuthService } from '../services/auth.service.js';
import type { UserRecord } from '../store/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user; set by `authenticate`. */
    user: UserRecord;
    /** The credential was the dashboard's session cookie; set by `authenticate`. */
    viaSessionCookie: boolean;
  }
  interface FastifyInstance {
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/** The dashboard's session: an httpOnly cookie holding the JWT, set by login on request. */
export const SESSION_COOKIE = 'wa_session';

/**
 * The session cookie counts only with this header. Another site can make a browser send the
 * cookie (a form post, an image) but cannot add a custom header without a CORS preflight the
 * server refuses, so the header is what proves the request comes from the dashboard itself.
 */
export const DASHBOARD_HEADER = { name: 'x-requested-with', value: 'dashboard' } as const;

/**
 * `Authorization: Bearer <jwt>`, `x-api-key: <key>`, or the dashboard's session cookie with its
 * header; any one is enough, a bad one is a 401.
 *
 * Requests with the session cookie are the dashboard's own: they do not count as the user's API
 * calls (src/services/limits/api-call-policy.ts), so `dashboardRateLimitPerMinute` per user bounds
 * them instead. The limiter only counts (createRateLimit), so a route's own limit (the password
 * change's, per address) still runs on the same request.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { auth: AuthService; dashboardRateLimitPerMinute: number }) => {
  app.decorateRequest('user', null as unknown as UserRecord);
  app.decorateRequest('viaSessionCookie', false);
  const max = opts.dashboardRateLimitPerMinute;
  const dashboardCalls = app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: (request) => `dashboard:${request.user.id}` });

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    if (typeof header === 'string' && header.length > 0) {
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
      request.user = await opts.auth.authenticateToken(match[1].trim());
      return;
    }
    if (typeof apiKey === 'string' && apiKey.length > 0) {
      request.user = await opts.auth.authenticateApiKey(apiKey);
      return;
    }
    const cookies = request.headers.cookie;
    const session = cookies ? app.parseCookie(cookies)[SESSION_COOKIE] : undefined;
    if (session && request.headers[DASHBOARD_HEADER.name] === DASHBOARD_HEADER.value) {
      request.user = await opts.auth.authenticateToken(session);
      request.viaSessionCookie = true;
      const limit = await dashboardCalls(request);
      if (!limit.isAllowed && limit.isExceeded) {
        throw new TooManyRequestsError(`Too many dashboard requests: at most ${max} a minute per user (DASHBOARD_RATE_LIMIT_PER_MINUTE); retry in ${limit.ttlInSeconds} s`, limit.ttlInSeconds);
      }
      return;
    }
    throw new UnauthorizedError('Authentication required: send Authorization: Bearer <token> or x-api-key');
  });

  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    if (request.user?.role !== 'admin') throw new ForbiddenError('Admin role required');
  });
});
