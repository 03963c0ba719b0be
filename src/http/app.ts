import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { AppContext } from '../app-context.js';
import { PACKAGE_VERSION } from '../version.js';
import { authPlugin } from './auth.js';
import { authRoutes } from './auth.routes.js';
import { dbRoutes } from './db.routes.js';
import { frameworkErrors, registerErrorHandling } from './errors.js';
import { lazyChildLogger, logRequestsAtDebug } from './request-logger.js';
import { securityHeaders } from './security-headers.js';
import { healthRoutes } from './health.routes.js';
import { chatsRoutes } from './chats.routes.js';
import { contactsRoutes } from './contacts.routes.js';
import { historyRoutes } from './history.routes.js';
import { instanceLifecycleRoutes } from './instance-lifecycle.routes.js';
import { instancesRoutes } from './instances.routes.js';
import { limitsRoutes } from './limits.routes.js';
import { messagingRoutes } from './messaging.routes.js';
import { richSendRoutes } from './rich-send.routes.js';
import { messageActionsRoutes } from './message-actions.routes.js';
import { chatActionsRoutes } from './chat-actions.routes.js';
import { profilesRoutes } from './profiles.routes.js';
import { groupsRoutes } from './groups.routes.js';
import { metricsRoutes } from './metrics.routes.js';
import { staticRoutes } from './static.routes.js';
import { ErrorResponse } from './schemas/common.js';
import { statsRoutes } from './stats.routes.js';
import { usageHooks } from './usage-hooks.js';
import { simulatorRoutes } from './simulator.routes.js';
import { usersRoutes } from './users.routes.js';
import { acceptEmptyJsonBodies, refuseUnexpectedBodies, validatorCompiler } from './validation.js';
import { webhooksRoutes } from './webhooks.routes.js';

/** The document's sections, in the order a user needs them: sign in, create, link, send, read, then the rest. */
const DOC_TAGS = [
  { name: 'auth', description: 'Sign in, your API key and password' },
  { name: 'instances', description: 'Create an instance (one WhatsApp account), link it by QR or pairing code, manage its connection' },
  { name: 'whatsapp', description: 'The same linking routes under the /api/whatsapp prefix' },
  { name: 'simulator', description: 'Play the phone of a simulator instance (SIMULATOR_ENABLED=true)' },
  { name: 'messages', description: 'Send text, media and files; read chat history and stored media' },
  { name: 'chats', description: 'The conversation list: chats by latest activity, unread counts, mark read' },
  { name: 'groups', description: 'Groups: list, create, members, settings, invite links, leave' },
  { name: 'events', description: 'Poll the event log of an instance' },
  { name: 'contacts', description: 'Contacts from WhatsApp and stored ones' },
  { name: 'webhooks', description: 'Webhook deliveries: list, retry, test' },
  { name: 'stats', description: 'Usage statistics' },
  { name: 'limits', description: 'Usage limits at the default, user and instance levels' },
  { name: 'users', description: 'User management (admin)' },
  { name: 'database', description: 'Database status and live switch (admin)' },
  { name: 'health', description: 'Liveness and readiness' },
  { name: 'metrics', description: 'Prometheus metrics' },
];

export interface BuildOptions {
  /** A pino logger; none in tests. */
  logger?: FastifyBaseLogger;
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** Builds the HTTP app around an app context; `server.ts` only listens. Tests call `inject`. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<App> {
  const { config } = ctx.services;
  // A hop count as the function Fastify makes of one at run time (its types omit numbers).
  const { trustProxy: trust } = config.http;
  const common = { bodyLimit: config.http.bodyLimitBytes, trustProxy: typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust, frameworkErrors };
  const app = (
    options.logger
      ? Fastify({ ...common, loggerInstance: options.logger, childLoggerFactory: lazyChildLogger, logController: new LogController({ disableRequestLogging: true }) })
      : Fastify({ ...common, logger: false })
  ).withTypeProvider<TypeBoxTypeProvider>();
  if (options.logger) logRequestsAtDebug(app);
  app.setValidatorCompiler(validatorCompiler);
  acceptEmptyJsonBodies(app);
  refuseUnexpectedBodies(app);

  registerErrorHandling(app);
  app.addSchema(ErrorResponse);
  await app.register(securityHeaders, { helmet: { contentSecurityPolicy: false } });
  // With no origin allowed the plugin adds nothing to any reply, yet would still run per request.
  if (config.http.corsOrigin !== false) await app.register(cors, { origin: config.http.corsOrigin });
  // Cookies are read only by authentication, and only when no header credential came with the
  // request (src/http/auth.ts): no parse hook on every request.
  await app.register(cookie, { hook: false });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: config.media.maxBytes, files: 1, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'WhatsApp Multi-Instance API', version: PACKAGE_VERSION, description: 'Many WhatsApp accounts behind one HTTP API, with signed webhooks.' },
      tags: DOC_TAGS.filter((tag) => tag.name !== 'simulator' || ctx.services.simulator),
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, { auth: ctx.services.auth, dashboardRateLimitPerMinute: config.http.dashboardRateLimitPerMinute });

  const services = ctx.services;
  // First: their root hooks (request metrics, API-call counting and limits) must see every route.
  await app.register(metricsRoutes, { services });
  await app.register(usageHooks, { services });
  await app.register(healthRoutes, { services });
  await app.register(authRoutes, { services, loginRateLimitPerMinute: config.http.loginRateLimitPerMinute });
  await app.register(usersRoutes, { services });
  await app.register(dbRoutes, { services });
  await app.register(instancesRoutes, { services });
  await app.register(instanceLifecycleRoutes, { services });
  if (services.simulator) await app.register(simulatorRoutes, { simulator: services.simulator, maxMediaBytes: config.media.maxBytes });
  await app.register(messagingRoutes, { services });
  await app.register(richSendRoutes, { services });
  await app.register(messageActionsRoutes, { services });
  await app.register(chatActionsRoutes, { services });
  await app.register(profilesRoutes, { services, maxMediaBytes: config.media.maxBytes });
  await app.register(groupsRoutes, { services });
  await app.register(contactsRoutes, { services });
  await app.register(chatsRoutes, { services });
  await app.register(historyRoutes, { services });
  await app.register(statsRoutes, { services });
  await app.register(limitsRoutes, { services });
  await app.register(webhooksRoutes, { services });
  // Last: its catch-all sends the dashboard for any path no API route claimed.
  await app.register(staticRoutes, { dir: config.dashboard.dir });
  return app;
}
