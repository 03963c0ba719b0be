import { type TSchema, Type } from '@sinclair/typebox';

export const ErrorResponse = Type.Object(
  {
    error: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.Optional(Type.String()), message: Type.String() }))),
  },
  { $id: 'Error', additionalProperties: true },
);

export const SuccessResponse = Type.Object({ success: Type.Boolean(), message: Type.Optional(Type.String()) });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const Pagination = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  skip: Type.Integer(),
  hasMore: Type.Boolean(),
});

/**
 * Paging bounds. Without a maximum, `skip=99999999999999999999` passes as an "integer" (1e20)
 * and fails in the database driver; no page that far out exists, and an offset scan there would
 * take forever.
 */
export const MAX_SKIP = 1_000_000_000;
export const Limit = (defaultLimit: number, maxLimit = 1000) => Type.Integer({ minimum: 1, maximum: maxLimit, default: defaultLimit });
export const Skip = Type.Integer({ minimum: 0, maximum: MAX_SKIP, default: 0 });

export const PageQuery = (defaultLimit: number, maxLimit = 1000) => Type.Object({ limit: Limit(defaultLimit, maxLimit), skip: Skip });

/**
 * An object of any fields (a message's metadata, an event's data). Typed as a record of unknowns
 * rather than `{}`, so that readers (the dashboard) may look a field up and check what it holds.
 */
export const FreeForm = Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true }));

export const IsoDate = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Error responses every authenticated route can give, for the OpenAPI document. */
export const authErrors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
};

export function pagination(total: number, limit: number, skip: number) {
  return { total, limit, skip, hasMore: skip + limit < total };
}

export const secured: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKey: [] }];
