/** A storage call failed for a reason the caller cannot fix (network, throttling, auth). */
export class StoreError extends Error {
  constructor(
    readonly operation: string,
    readonly statusCode: number | undefined,
  ) {
    super(`Storage operation ${operation} failed${statusCode ? ` (HTTP ${statusCode})` : ''}`);
    this.name = 'StoreError';
  }
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
export const isConflict = (error: unknown): boolean => statusOf(error) === 409;
/** 412: the entity's ETag moved since it was read (another writer got there first). */
export const isPreconditionFailed = (error: unknown): boolean => statusOf(error) === 412;

/** Runs a storage call, turning SDK errors into StoreError (raw SDK errors carry request URLs and headers). */
export async function storeCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StoreError(operation, statusOf(error));
  }
}

/** Like storeCall, but "not found" becomes null. */
export async function storeGet<T>(operation: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw new StoreError(operation, statusOf(error));
  }
}
