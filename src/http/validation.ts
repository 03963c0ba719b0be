import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { ValidationError } from '../core/errors.js';

/**
 * Query strings and path parameters arrive as text, so they are coerced to the schema's types;
 * JSON bodies are not: `{"name": 123}` is a wrong-typed field and gets a 400 naming it.
 * Nothing is removed: a field the schema does not know is refused (see `strict`). `verbose` keeps
 * the schema beside each error, so messages can list the allowed values and fields.
 */
function build(coerceTypes: boolean | 'array') {
  const ajv = new Ajv.default({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: true, verbose: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}

const forText = build('array');
const forBody = build(false);

type Schema = Record<string, unknown>;

/**
 * A copy of a request schema in which every object that does not say otherwise refuses
 * properties it does not list: one rule for every route, so a misspelt field (`webhookURL`) is a
 * 400 naming it instead of a 200 that silently changed nothing. Objects meant to be free-form
 * say `additionalProperties: true`.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = strict(value);
  if (copy.type === 'object' && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

/**
 * A body validator that reads a missing body (no body, or an empty one sent with
 * `Content-Type: application/json`, as many client wrappers do on every request) as `{}` when
 * the schema requires no field, and otherwise says the body is required and what it needs.
 */
function bodyValidator(validate: ValidateFunction, schema: Schema) {
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const optionalBody = schema.type === 'object' && required.length === 0;
  return (data: unknown) => {
    if (data === null && !optionalBody && required.length > 0) {
      return {
        error: new ValidationError(
          `A JSON body is required, with the fields ${required.join(', ')}`,
          required.map((field) => ({ field, message: 'is required' })),
        ),
      };
    }
    const value = data === null && optionalBody ? {} : data;
    if (!validate(value)) return { error: validate.errors as ErrorObject[] };
    return { value };
  };
}

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  if (httpPart === 'headers') return forText.compile(schema as Schema);
  const strictSchema = strict(schema) as Schema;
  if (httpPart === 'body') return bodyValidator(forBody.compile(strictSchema), strictSchema);
  return forText.compile(strictSchema);
};

/**
 * Fastify's JSON parser refuses an empty body (FST_ERR_CTP_EMPTY_JSON_BODY) even on routes that
 * take none; here an empty body is no body, and the route's schema decides whether it needs one.
 * Anything else goes to Fastify's own parser (prototype-poisoning checks included).
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return parse(request, text, done);
  });
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NO_BODY = { type: 'object', properties: {}, description: 'No fields: leave the body out, or send {}' };

/**
 * Routes that take no body get a schema saying so (an empty object, strict like every other), so
 * `{"force": true}` sent to one is a 400 naming `force` rather than ignored. Multipart routes
 * (`consumes`) read their form themselves.
 */
export function refuseUnexpectedBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!(Array.isArray(route.method) ? route.method : [route.method]).some((m) => WITH_BODY.has(m))) return;
    if (route.schema?.body || route.schema?.consumes) return;
    route.schema = { ...route.schema, body: NO_BODY };
  });
}
