/** One problem with a request, named by where it is (`body.name`, `query.limit`, `params.id`). */
export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

/** The error body every Keyward endpoint answers with. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
  readonly [extra: string]: unknown;
}

/**
 * An error the caller caused (or a state the caller must resolve, like an expired trial). The pipeline turns it
 * into its status and body; anything else thrown by a handler is our fault and becomes an opaque 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details?: readonly ErrorDetail[]): ApiError =>
  new ApiError(400, details ? { error: 'invalid_request', message, details } : { error: 'invalid_request', message });
export const unauthorized = (): ApiError =>
  new ApiError(401, { error: 'unauthorized', message: 'Sign in or send a valid API key.' });
export const forbidden = (message = 'Your role does not allow this operation.'): ApiError =>
  new ApiError(403, { error: 'forbidden', message });
export const notFound = (message = 'Not found.'): ApiError => new ApiError(404, { error: 'not_found', message });
export const conflict = (message: string): ApiError => new ApiError(409, { error: 'conflict', message });
export const payloadTooLarge = (limit: number): ApiError =>
  new ApiError(413, { error: 'payload_too_large', message: `The request body exceeds ${limit} bytes.` });
export const tooManyRequests = (retryAfterSeconds: number): ApiError =>
  new ApiError(
    429,
    { error: 'rate_limited', message: `Too many requests; retry after ${retryAfterSeconds} s.` },
    { 'retry-after': String(retryAfterSeconds) },
  );
/** A tier's counted allowance is spent for this period (the licence table's quota, e.g. trial manual rotations). */
export const quotaExceeded = (
  quota: string,
  usage: { limit: number | null; used: number; resetsAt: string },
): ApiError =>
  new ApiError(403, {
    error: 'quota_exceeded',
    message: `The ${quota} quota of your tier is used up (${usage.used} of ${usage.limit ?? 'unlimited'}); it resets at ${usage.resetsAt}.`,
    quota,
    limit: usage.limit,
    used: usage.used,
    resetsAt: usage.resetsAt,
  });
export const internalError = (requestId: string): ApiError =>
  new ApiError(500, { error: 'internal_error', message: `Unexpected error; quote request id ${requestId}.` });
