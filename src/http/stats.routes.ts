import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppServices } from '../app-context.js';
import type { StatsPeriod } from '../services/usage-windows.js';
import { authErrors, IdParams, secured } from './schemas/common.js';
import { InstanceStats, SystemStats, UserStats } from './schemas/stats.js';

const PERIODS_DOC = 'UTC days, today included: today = 1, week = 7, month = 30, year = 365; all = everything recorded';

/** A string enum as one schema, so a bad value gets one error naming `period`, and a literal type. */
const periodQuery = <P extends StatsPeriod>(periods: P[], fallback: P) =>
  Type.Object({ period: Type.Optional(Type.Unsafe<P>({ type: 'string', enum: periods, default: fallback, description: PERIODS_DOC })) });

/** Defaults of `period` (the spec's for user and instance stats); the schema fills them in. */
const DEFAULT_PERIOD = { user: 'month', instance: 'today', system: 'all' } as const;

/** Usage statistics from the per-day counters (spec: 통계 및 모니터링). */
export const statsRoutes: FastifyPluginAsyncTypebox<{ services: AppServices }> = async (app, opts) => {
  const { stats } = opts.services;
  app.addHook('onRequest', app.authenticate);
  const tags = ['stats'];

  app.get(
    '/api/stats/user',
    {
      schema: {
        tags,
        summary: 'Your usage over a period, in total (deleted instances included) and per current instance',
        security: secured,
        querystring: periodQuery(['week', 'month', 'year', 'all'], DEFAULT_PERIOD.user),
        response: { 200: UserStats, ...authErrors },
      },
    },
    async (request) => stats.userStats(request.user, request.query.period ?? DEFAULT_PERIOD.user),
  );

  app.get(
    '/api/stats/instances/:id',
    {
      schema: {
        tags,
        summary: 'An instance\'s usage over a period, with one entry per UTC day that had activity',
        security: secured,
        params: IdParams,
        querystring: periodQuery(['today', 'week', 'month', 'all'], DEFAULT_PERIOD.instance),
        response: { 200: InstanceStats, ...authErrors },
      },
    },
    async (request) => ({ usage: await stats.instanceStats(request.user, request.params.id, request.query.period ?? DEFAULT_PERIOD.instance) }),
  );

  app.get(
    '/api/stats/system',
    {
      schema: {
        tags,
        summary: 'Everyone\'s usage and how many instances and users are active now (admin only)',
        security: secured,
        querystring: periodQuery(['today', 'week', 'month', 'year', 'all'], DEFAULT_PERIOD.system),
        response: { 200: SystemStats, ...authErrors },
      },
      preHandler: app.requireAdmin,
    },
    async (request) => stats.systemStats(request.query.period ?? DEFAULT_PERIOD.system),
  );
};
