import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn, Logger } from 'pino';

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

  fatal: LogFn = (...args: unknown[]) => this.log('fatal', args);
  error: LogFn = (...args: unknown[]) => this.log('error', args);
  warn: LogFn = (...args: unknown[]) => this.log('warn', args);
  info: LogFn = (...args: unknown[]) => this.log('info', args);
  debug: LogFn = (...args: unknown[]) => this.log('debug', args);
  trace: LogFn = (...args: unknown[]) => this.log('trace', args);
  silent: LogFn = () => undefined;

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
