import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger, logRequestsAtDebug } from '../../src/http/request-logger.js';

/** A Fastify app logging as src/http/app.ts sets it up, whose pino logger writes into `lines`. */
function appLogging(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const app = Fastify({ loggerInstance: logger, childLoggerFactory: lazyChildLogger, logController: new LogController({ disableRequestLogging: true }) });
  logRequestsAtDebug(app);
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/work', async (request) => {
    request.log.warn({ step: 'warned' }, 'a warning');
    request.log.info({ step: 'informed' }, 'some info');
    request.log.child({ part: 'inner' }).warn('from a child');
    return { ok: true };
  });
  app.get('/verbose', { logLevel: 'debug' }, async (request) => {
    request.log.debug('a detail');
    return { ok: true };
  });
  return { app, lines };
}

describe('request logger', () => {
  it('logs enabled levels with the request id, and skips disabled ones', async () => {
    const { app, lines } = appLogging('warn');
    const response = await app.inject({ method: 'GET', url: '/work' });
    expect(response.statusCode).toBe(200);
    expect(lines.map((l) => l.msg)).toEqual(['a warning', 'from a child']);
    expect(lines[0]).toMatchObject({ step: 'warned', reqId: expect.any(String) });
    expect(lines[1]).toMatchObject({ part: 'inner', reqId: lines[0].reqId });
    await app.close();
  });

  it('writes no line for a request at info, the default level', async () => {
    const { app, lines } = appLogging('info');
    const response = await app.inject({ method: 'GET', url: '/quiet' });
    expect(response.statusCode).toBe(200);
    expect(lines).toEqual([]);
    await app.close();
  });

  it('writes one concise line per request at debug, tied to the request id of its other lines', async () => {
    const { app, lines } = appLogging('debug');
    await app.inject({ method: 'GET', url: '/work?page=2' });
    expect(lines.map((l) => l.msg)).toEqual(['a warning', 'some info', 'from a child', 'GET /work?page=2']);
    expect(lines[3]).toMatchObject({ level: 20, statusCode: 200, ms: expect.any(Number) });
    expect(new Set(lines.map((l) => l.reqId)).size).toBe(1);
    await app.close();
  });

  it('follows a route\'s own log level', async () => {
    const { app, lines } = appLogging('warn');
    await app.inject({ method: 'GET', url: '/verbose' });
    expect(lines.map((l) => l.msg)).toContain('a detail');
    await app.close();
  });
});
