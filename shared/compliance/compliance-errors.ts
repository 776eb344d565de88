import { DomainError } from '../runtime/domain-errors';
import type { CelRuleError } from './compliance-cel';

/** The caller asked for something invalid (400). */
export class ComplianceInputError extends DomainError {
  override readonly name = 'ComplianceInputError';
  readonly kind = 'invalid';
}

/** A custom rule's condition does not compile (400 with the position, mapped by the handler into `details`). */
export class ComplianceConditionError extends DomainError {
  override readonly name = 'ComplianceConditionError';
  readonly kind = 'invalid';
  override readonly code = 'invalid_condition';
  constructor(readonly rule: CelRuleError) {
    super(`condition, line ${rule.line}, column ${rule.column}: ${rule.message}`);
  }
}

export class ComplianceNotFoundError extends DomainError {
  override readonly name = 'ComplianceNotFoundError';
  readonly kind = 'notFound';
}

/** Built-in rules can be disabled or re-parameterised, never deleted (409). */
export class ComplianceConflictError extends DomainError {
  override readonly name = 'ComplianceConflictError';
  readonly kind = 'conflict';
}
