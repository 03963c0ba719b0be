import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger that becomes a real pino child (with the request id) only when something
 * is logged at an enabled level. Fastify makes a child per request, and pino's `child` cost
 * more CPU than everything else `/health` does (bench/); at the default level most requests
 * log nothing, so most never need one.
 */
class LazyChildLogger {
  private real: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.parent.level;
  }

  set level(level: string) {
    this.logger().level = level;
  }

  // Methods, not arrow-function fields, so each request's logger is one small object, not eight.
  fatal(...args: unknown[]): void {
    this.log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.log('error', args);
  }

  warn(...args: unknown[]): void {
    this.log('warn', args);
  }

  info(...args: unknown[]): void {
    this.log('info', args);
  }

  debug(...args: unknown[]): void {
    this.log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.log('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger().child(bindings, options);
  }

  isLevelEnabled(level: string): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }

  private log(level: Level, args: unknown[]): void {
    if (!this.real && !this.parent.isLevelEnabled(level)) return;
    (this.logger()[level] as (...a: unknown[]) => void)(...args);
  }

  private logger(): Logger {
    this.real ??= this.parent.child(this.bindings, this.options);
    return this.real;
  }
}

/** Fastify's `childLoggerFactory`, for an app whose logger is pino. */
export function lazyChildLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  // A route's own log level decides for itself which lines are enabled: no shortcut then.
  if (options.level !== undefined) return (parent as Logger).child(bindings, options);
  return new LazyChildLogger(parent as Logger, bindings, options) as unknown as FastifyBaseLogger;
}

/**
 * One concise line per request, at debug: at the default level a busy gateway would otherwise
 * write two JSON lines per request, burying the errors and lifecycle lines operators look for.
 * Fastify's own request lines are off (its `logController`); this hook is added only when
 * debug is enabled, so the default level pays nothing per request.
 */
export function logRequestsAtDebug(app: FastifyInstance<any, any, any, any, any>): void {
  // Only called for an app built with a pino logger (Fastify's stand-in has no levels).
  if (!(app.log as unknown as Logger).isLevelEnabled('debug')) return;
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, `${request.method} ${request.url}`);
  });
}
