import { DomainError } from '../runtime/domain-errors';

/** The caller asked for something invalid (400). */
export class AuditInputError extends DomainError {
  override readonly name = 'AuditInputError';
  readonly kind = 'invalid';
}

/** The requested export holds more rows than one invocation may build (413). */
export class AuditExportTooLargeError extends DomainError {
  override readonly name = 'AuditExportTooLargeError';
  readonly kind = 'tooLarge';
  override readonly code = 'export_too_large';
}

/** Storage failed or stayed contended beyond the retry budget: our failure (500); the SDK error is the cause. */
export class AuditStorageError extends Error {
  override readonly name = 'AuditStorageError';
}

/** Key Vault could not sign (or the key is unusable): our failure (500); the SDK error is the cause. */
export class AuditSigningError extends Error {
  override readonly name = 'AuditSigningError';
}
