/** The caller asked for something invalid (maps to 400). */
export class AuditInputError extends Error {
  override readonly name = 'AuditInputError';
}

/** The requested export holds more rows than one invocation may build (maps to 413). */
export class AuditExportTooLargeError extends Error {
  override readonly name = 'AuditExportTooLargeError';
}

/** Storage failed or stayed contended beyond the retry budget (maps to 503); the SDK error is the cause. */
export class AuditStorageError extends Error {
  override readonly name = 'AuditStorageError';
}
