/**
 * A delivery attempt that failed. The message is safe to store in history and logs: it names a status or an
 * error code, never a URL, a header or a response body (which may echo a token).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** 408, 429 and 5xx are worth retrying; other answers will not change by themselves. */
export function errorForStatus(status: number, retryAfterSeconds: number | null): DeliveryError {
  const retryable = status === 408 || status === 429 || status >= 500;
  return new DeliveryError(`Endpoint answered HTTP ${status}`, retryable, retryAfterSeconds);
}

/** A network failure, reduced to its error code. */
export function networkError(error: unknown): DeliveryError {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return new DeliveryError(`Network error${code ? ` (${code})` : ''}`, true);
}
