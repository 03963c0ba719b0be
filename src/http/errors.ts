import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../errors.js';

interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Names the field a schema error is about: `/webhookSettings/maxRetries` → `webhookSettings.maxRetries`. */
function fieldOf(issue: ValidationIssue): string {
  const base = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params.missingProperty as string | undefined;
  const extra = issue.params.additionalProperty as string | undefined;
  const leaf = missing ?? extra;
  return leaf ? (base ? `${base}.${leaf}` : leaf) : base;
}

function describe(issue: ValidationIssue): string {
  if (issue.keyword === 'required') return 'is required';
  if (issue.keyword === 'additionalProperties') return 'is not allowed';
  return issue.message ?? 'is invalid';
}

/** The one place errors become HTTP: `{error, details?}` always JSON, 5xx details hidden. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      const body: Record<string, unknown> = { error: error.message, ...error.body() };
      if (error.details) body.details = error.details;
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return reply.code(error.statusCode).headers(error.headers()).send(body);
    }
    if (error.validation) {
      const part = error.validationContext ?? 'request';
      const details: ErrorDetail[] = (error.validation as ValidationIssue[]).map((issue) => ({ field: fieldOf(issue), message: describe(issue) }));
      const summary = details.map((d) => `${part}${d.field ? `.${d.field}` : ''} ${d.message}`).join('; ');
      return reply.code(400).send({ error: `Invalid request: ${summary}`, details });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'Internal server error' });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send({ error: `Malformed JSON body: ${error.message}` });
    }
    if (status === 413) return reply.code(413).send({ error: `Request body too large: ${error.message}` });
    if (status === 429) return reply.code(429).send({ error: error.message || 'Too many requests' });
    return reply.code(status).send({ error: error.message });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `Route ${request.method} ${request.url.split('?')[0]} not found` });
  });
}
