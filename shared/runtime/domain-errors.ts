/**
 * What a feature's service throws when the caller asked for something it cannot do. Services stay free of HTTP:
 * the route pipeline (shared/http/route-handler.ts) is the one place that turns these into statuses and error
 * bodies, and workers treat them like any other failure.
 */
export type DomainErrorKind = 'invalid' | 'notFound' | 'conflict' | 'tooLarge';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** The machine-readable `error` code of the response; defaults by kind. */
  readonly code: string | undefined = undefined;
}
