/**
 * The one small interface every sync target implements. A provider knows its service's calls and naming rules;
 * the worker decides (ownership, conflicts, idempotency) with the same logic for all of them.
 */

/** What is pushed. Values live in memory for the duration of one push and are never logged or stored. */
export type SyncPayload =
  | { readonly kind: 'secret'; readonly value: string; readonly contentType: string | null }
  | {
      readonly kind: 'certificate';
      /** The leaf certificate, its chain (issuers, may be empty) and the private key, PEM. */
      readonly certificatePem: string;
      readonly chainPem: string;
      readonly privateKeyPem: string;
      /** The Key Vault secret as stored (PFX base64 or PEM), for a Key Vault target's import. */
      readonly keyVaultValue: string;
      readonly keyVaultContentType: string;
    };

/**
 * Where an object came from, written on the target as tags/labels at creation and moved with every update, so the
 * target says which source version it holds (audits; an outside change is still found by version, not by tag).
 */
export interface Ownership {
  readonly sourceVault: string;
  readonly sourceName: string;
  readonly sourceVersion: string;
}

export const MANAGED_BY_KEY = 'managed-by';
export const MANAGED_BY_VALUE = 'keyward';

/** Ownership as tags, in the spelling each provider then adapts to its rules (GCP labels are lower case). */
export function ownershipTags(o: Ownership): Record<string, string> {
  return {
    [MANAGED_BY_KEY]: MANAGED_BY_VALUE,
    'keyward-source-vault': o.sourceVault,
    'keyward-source-name': o.sourceName,
    [SOURCE_VERSION_KEY]: o.sourceVersion,
  };
}

export interface TargetState {
  readonly exists: boolean;
  /** Carries `managed-by=keyward`. */
  readonly owned: boolean;
  /** The provider's current version (Secrets Manager AWSCURRENT version id, SSM version, GCP version number…). */
  readonly version: string | null;
  /** ARN or full resource name. */
  readonly ref: string | null;
  /** Already scheduled for deletion (Secrets Manager), so neither pushed to nor deleted again. */
  readonly pendingDeletion: boolean;
  /** The target's tags or labels, where an update must merge into them (GCP replaces the whole label map). */
  readonly tags?: Readonly<Record<string, string>>;
}

export const absent: TargetState = { exists: false, owned: false, version: null, ref: null, pendingDeletion: false };

/** The tag that records which source version a target holds; it moves with every push. */
export const SOURCE_VERSION_KEY = 'keyward-source-version';

export interface PushInput {
  readonly targetName: string;
  /** The record's known ARN/name (ACM certificates are addressed by ARN only). */
  readonly knownRef: string | null;
  readonly payload: SyncPayload;
  readonly ownership: Ownership;
  /** The state described just before; decides between create and update. */
  readonly state: TargetState;
  /** Stable for one (record, source version): a provider with request tokens makes a retried write a no-op. */
  readonly idempotencyKey: string;
  /**
   * An earlier attempt at this same push may have written (an ambiguous failure, or a delivery that died after its
   * write-ahead). A provider without request tokens that cannot find its object by name (ACM) looks for it first.
   */
  readonly mayHaveLanded?: boolean;
}

export interface PushResult {
  readonly version: string;
  readonly ref: string;
}

/** How deletes work: a recovery window, Key Vault's soft delete, or not at all (none to recover from). */
export type DeleteSupport = 'recoveryWindow' | 'softDelete' | 'none';

export interface SyncProvider {
  readonly deletes: DeleteSupport;
  /** `kind` matters to Key Vault only, where a certificate and a secret are different objects. */
  describe(targetName: string, knownRef: string | null, kind: 'secret' | 'certificate'): Promise<TargetState>;
  push(input: PushInput): Promise<PushResult>;
  /** Puts Keyward's ownership tags on an existing target (an admin's explicit adopt). */
  adopt(targetName: string, state: TargetState, ownership: Ownership): Promise<void>;
  /** Schedules deletion; returns when it becomes final (null: at the provider's discretion). */
  remove(targetName: string, state: TargetState, recoveryWindowDays: number): Promise<{ finalAt: string | null }>;
  /** A cheap authenticated read, for the dashboard's connection test. */
  probe(): Promise<void>;
}

/**
 * A provider failure with only what is safe to show: the service's error code and whether a retry may help.
 * The service's message is dropped (it can echo request fields).
 */
export class SyncProviderError extends Error {
  constructor(
    readonly code: string,
    readonly retryable: boolean,
    /** The write may have been applied (5xx or a lost connection after sending). */
    readonly ambiguous: boolean,
  ) {
    super(`Provider error ${code}`);
    this.name = 'SyncProviderError';
  }
}
