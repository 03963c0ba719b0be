import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from '../../src/http/request-logger.js';

/** A Fastify app whose pino logger writes its lines into `lines`, with the lazy request logger. */
function appLogging(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const app = Fastify({ loggerInstance: logger, childLoggerFactory: lazyChildLogger });
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

  it('keeps Fastify\'s own request lines, tied to one request id, when info is enabled', async () => {
    const { app, lines } = appLogging('info');
    await app.inject({ method: 'GET', url: '/work' });
    const messages = lines.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['incoming request', 'a warning', 'some info', 'request completed']));
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
