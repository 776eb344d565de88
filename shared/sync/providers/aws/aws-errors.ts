import { SyncProviderError } from '../sync-provider';

interface AwsLikeError {
  readonly name?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly code?: string;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ThrottledException',
  'RequestLimitExceeded',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'TimeoutError']);

/** An AWS SDK error as a SyncProviderError: the code only; 5xx and broken connections are retryable and ambiguous. */
export function awsError(error: unknown): SyncProviderError {
  if (error instanceof SyncProviderError) return error;
  const e = (error ?? {}) as AwsLikeError;
  const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'UnknownError');
  if (THROTTLING.has(code)) return new SyncProviderError(code, true, false);
  if (NETWORK.has(code) || NETWORK.has(e.code ?? '')) return new SyncProviderError(code, true, true);
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500)
    return new SyncProviderError(code, true, true);
  return new SyncProviderError(code, false, false);
}

export const isAwsCode = (error: unknown, code: string): boolean => (error as AwsLikeError | null)?.name === code;
