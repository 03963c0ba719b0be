/**
 * Typed errors thrown by services and mapped to HTTP in one place (`http/error-handler.ts`).
 * Services never know about HTTP; the status here is the one mapping every caller agrees on.
 */
export interface ErrorDetail {
  field?: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  readonly details?: ErrorDetail[];

  constructor(message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  /** Extra fields merged into the JSON error body. */
  body(): Record<string, unknown> {
    return {};
  }

  headers(): Record<string, string> {
    return {};
  }
}

export class ValidationError extends AppError {
  readonly statusCode = 400;
}

export class UnauthorizedError extends AppError {
  readonly statusCode = 401;
}

export class ForbiddenError extends AppError {
  readonly statusCode = 403;
}

export class NotFoundError extends AppError {
  readonly statusCode = 404;
}

export class ConflictError extends AppError {
  readonly statusCode = 409;
}

/** The file cannot be sent as the kind asked for (and cannot be converted here). */
export class UnsupportedMediaTypeError extends AppError {
  readonly statusCode = 415;
}

export class PayloadTooLargeError extends AppError {
  readonly statusCode = 413;
}

export class BadGatewayError extends AppError {
  readonly statusCode = 502;
}

export class ServiceUnavailableError extends AppError {
  readonly statusCode = 503;
}

export class TooManyRequestsError extends AppError {
  readonly statusCode = 429;

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }

  override headers(): Record<string, string> {
    return { 'retry-after': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) };
  }
}

/** A usage limit stopped the request. */
export class LimitExceededError extends TooManyRequestsError {
  constructor(
    readonly limit: string,
    readonly value: number,
    readonly usage: number,
    readonly resetsAt: Date,
    now: Date = new Date(),
  ) {
    super(
      `Limit ${limit} reached: ${usage} of ${value} used; resets at ${resetsAt.toISOString()}`,
      (resetsAt.getTime() - now.getTime()) / 1000,
    );
  }

  override body(): Record<string, unknown> {
    return { limit: this.limit, value: this.value, usage: this.usage, resetsAt: this.resetsAt.toISOString() };
  }
}

/** A fixed quota (not a window that resets) stopped the request: waiting will not help. */
export class QuotaExceededError extends AppError {
  constructor(
    readonly statusCode: 403 | 413,
    readonly limit: string,
    readonly value: number,
    readonly usage: number,
  ) {
    super(`Limit ${limit} reached: ${usage} requested or used, ${value} allowed`);
  }

  override body(): Record<string, unknown> {
    return { limit: this.limit, value: this.value, usage: this.usage };
  }
}
