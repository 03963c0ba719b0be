import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../core/errors.js';

interface ValidationIssue {
  instancePath: string;
  schemaPath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
  schema?: unknown;
  parentSchema?: Record<string, unknown>;
}

/** Names the field a schema error is about: `/webhookSettings/maxRetries` → `webhookSettings.maxRetries`. */
function fieldOf(issue: ValidationIssue): string {
  const base = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params.missingProperty as string | undefined;
  const extra = issue.params.additionalProperty as string | undefined;
  const leaf = missing ?? extra;
  return leaf ? (base ? `${base}.${leaf}` : leaf) : base;
}

const list = (values: unknown[]) => values.map((v) => String(v)).join(', ');

function describe(issue: ValidationIssue): string {
  const parent = issue.parentSchema ?? {};
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties': {
      const known = Object.keys((parent.properties as object | undefined) ?? {});
      return known.length ? `is not a known field (allowed: ${list(known)})` : 'is not a known field';
    }
    case 'enum':
      return `must be one of: ${list(issue.params.allowedValues as unknown[])}`;
    case 'const':
      return `must be ${String(issue.params.allowedValue)}`;
    case 'minimum':
    case 'maximum':
      if (typeof parent.minimum === 'number' && typeof parent.maximum === 'number') {
        return `must be ${parent.type === 'integer' ? 'an integer ' : ''}from ${parent.minimum} to ${parent.maximum}`;
      }
      return issue.message ?? 'is out of range';
    default:
      return issue.message ?? 'is invalid';
  }
}

/** The values a union of constants allows, or undefined when a branch is not a constant. */
function constants(branches: Array<Record<string, unknown>>): unknown[] | undefined {
  const values: unknown[] = [];
  for (const branch of branches) {
    if ('const' in branch) values.push(branch.const);
    else if (Array.isArray(branch.enum)) values.push(...(branch.enum as unknown[]));
    else if (branch.type === 'null') values.push(null);
    else return undefined;
  }
  return values;
}

/**
 * One message for a union (`anyOf`) instead of one per branch plus "must match a schema in anyOf":
 * `must be one of: baileys, simulator`, or the branches' own complaints joined with "or".
 */
function describeUnion(union: ValidationIssue, branchIssues: ValidationIssue[]): string {
  const branches = Array.isArray(union.schema) ? (union.schema as Array<Record<string, unknown>>) : [];
  const values = constants(branches);
  if (values) return `must be one of: ${list(values)}`;
  const nullable = branches.some((b) => b.type === 'null');
  const messages = [...new Set(branchIssues.filter((i) => !(i.keyword === 'type' && i.params.type === 'null')).map(describe))];
  return `${messages.join('; or ') || 'is invalid'}${nullable ? ' (or null)' : ''}`;
}

/** Ajv's errors as `{field, message}`, the branches of each union folded into one detail. */
export function validationDetails(issues: ValidationIssue[]): ErrorDetail[] {
  const unions = issues.filter((i) => i.keyword === 'anyOf' || i.keyword === 'oneOf');
  const branchesOf = (union: ValidationIssue) => issues.filter((i) => i !== union && i.schemaPath.startsWith(`${union.schemaPath}/`));
  const inBranch = new Set(unions.flatMap(branchesOf));
  return issues
    .filter((i) => !inBranch.has(i))
    .map((i) => ({ field: fieldOf(i), message: unions.includes(i) ? describeUnion(i, branchesOf(i)) : describe(i) }));
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
      const details = validationDetails(error.validation as unknown as ValidationIssue[]);
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

/**
 * Errors Fastify raises before any route or handler runs (a URL it cannot decode, a path
 * parameter over its length limit), in the same `{error}` shape as every other error.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    reply.code(400).send({ error: `Malformed URL: ${error.message} (check its percent-encoding, e.g. %20 for a space)` });
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.code(414).send({ error: `URL too long: ${error.message}` });
  } else {
    reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({ error: error.statusCode && error.statusCode < 500 ? error.message : 'Internal server error' });
  }
}
