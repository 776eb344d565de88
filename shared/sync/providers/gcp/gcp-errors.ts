import { SyncProviderError } from '../sync-provider';

/**
 * GCP client errors come two ways: gRPC-style codes (5 NOT_FOUND, 6 ALREADY_EXISTS, 8 RESOURCE_EXHAUSTED,
 * 13 INTERNAL, 14 UNAVAILABLE) or, in REST mode on some gax versions, the HTTP status as `code` with the JSON
 * body as the message (research/cloud-apis.md §0.2). Both are read; the message is never kept.
 */
interface GcpLikeError {
  readonly code?: number | string;
  readonly status?: number | string;
  readonly message?: string;
}

function statusName(error: unknown): string {
  const e = (error ?? {}) as GcpLikeError;
  const code = typeof e.code === 'number' ? e.code : Number(e.code);
  const byCode: Record<number, string> = {
    5: 'NOT_FOUND',
    404: 'NOT_FOUND',
    6: 'ALREADY_EXISTS',
    409: 'ALREADY_EXISTS',
    8: 'RESOURCE_EXHAUSTED',
    429: 'RESOURCE_EXHAUSTED',
    3: 'INVALID_ARGUMENT',
    400: 'INVALID_ARGUMENT',
    7: 'PERMISSION_DENIED',
    403: 'PERMISSION_DENIED',
    16: 'UNAUTHENTICATED',
    401: 'UNAUTHENTICATED',
    9: 'FAILED_PRECONDITION',
    13: 'INTERNAL',
    500: 'INTERNAL',
    14: 'UNAVAILABLE',
    503: 'UNAVAILABLE',
    4: 'DEADLINE_EXCEEDED',
    504: 'DEADLINE_EXCEEDED',
  };
  const fromMessage = /"status"\s*:\s*"([A-Z_]+)"/.exec(e.message ?? '')?.[1];
  if (fromMessage) return fromMessage;
  if (byCode[code]) return byCode[code];
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  return 'UNKNOWN';
}

export function gcpError(error: unknown): SyncProviderError {
  if (error instanceof SyncProviderError) return error;
  const name = statusName(error);
  // Not an answer from the service at all (a bug, a bad option): retrying cannot help.
  const answered =
    typeof (error as GcpLikeError | null)?.code === 'number' || /^E[A-Z]+$/.test(name) || name !== 'UNKNOWN';
  if (!answered) return new SyncProviderError('UNKNOWN', false, false);
  if (name === 'RESOURCE_EXHAUSTED') return new SyncProviderError(name, true, false);
  if (['INTERNAL', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'UNKNOWN'].includes(name) || /^E[A-Z]+$/.test(name)) {
    return new SyncProviderError(name, true, true);
  }
  return new SyncProviderError(name, false, false);
}

export const isGcpStatus = (error: unknown, name: string): boolean => statusName(error) === name;
