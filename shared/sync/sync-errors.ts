import { DomainError } from '../runtime/domain-errors';

export class SyncNotFoundError extends DomainError {
  readonly kind = 'notFound' as const;
}

export class SyncInvalidError extends DomainError {
  readonly kind = 'invalid' as const;
}

export class SyncConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}
