import type { Clock } from '../../shared/time/clock';
import { checkVaultAccess, type KeyVaultOperation } from './keyvault-access';
import { createCerFactory } from './keyvault-cer';
import { createKeyMaterial, defaultShape, publicJwk, type KeyPair } from './keyvault-key-material';
import { apiError, type SimCall, type SimResponse } from './sim-http';
import type { ItemKind, ItemVersion, VaultItem, VaultState } from './tenant-state';

/** What the Key Vault route modules share: the clock, the key material of every key version and the `cer` issuer. */
export function createKeyVaultKit(clock: Clock) {
  const store = createKeyMaterial();
  const idOf = (vault: VaultState, name: string, version: string): string => `${vault.armId}/keys/${name}/${version}`;
  const forVersion = (vault: VaultState, name: string, v: ItemVersion): KeyPair =>
    store.forVersion(idOf(vault, name, v.version), v.keyShape ?? defaultShape(v.kty));
  return {
    material: {
      set: (vault: VaultState, name: string, version: string, pair: KeyPair): void =>
        store.set(idOf(vault, name, version), pair),
      /** The pair a key version signs with: its own, or for seeded keys the pooled pair of its shape. */
      forVersion,
      publicJwk: (vault: VaultState, name: string, v: ItemVersion) => publicJwk(forVersion(vault, name, v)),
    },
    cer: createCerFactory(store),
    nowSec: (): number => Math.floor(clock.now().getTime() / 1000),
  };
}

export type KeyVaultKit = ReturnType<typeof createKeyVaultKit>;

/** Wraps a handler with the vault lookup and Key Vault's access decision (firewall, then RBAC or access policy). */
export function guarded(
  kind: ItemKind,
  op: KeyVaultOperation,
  run: (vault: VaultState, p: string[], call: SimCall) => SimResponse | Promise<SimResponse>,
) {
  return (call: SimCall, p: string[]): SimResponse | Promise<SimResponse> => {
    const vault = call.vault;
    if (!vault) return apiError(404, 'NotFound', 'Not a vault endpoint');
    const denied = checkVaultAccess(vault, call.claims, kind, op, `/${kind}/${p[0] ?? ''}`);
    return denied ?? run(vault, p, call);
  };
}

export function findItem(vault: VaultState, kind: ItemKind, name: string | undefined): VaultItem | undefined {
  if (!name) return undefined;
  return (
    vault.items[kind].get(name) ??
    [...vault.items[kind].values()].find((i) => i.name.toLowerCase() === name.toLowerCase())
  );
}

export function notFound(kind: ItemKind, name: string | undefined): SimResponse {
  const code = { secrets: 'SecretNotFound', certificates: 'CertificateNotFound', keys: 'KeyNotFound' }[kind];
  const what = { secrets: 'Secret', certificates: 'Certificate', keys: 'Key' }[kind];
  return apiError(404, code, `A ${what.toLowerCase()} with (name/id) ${name ?? ''} was not found in this key vault.`);
}

export function isTags(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}

/** Object names: 1-127 characters of 0-9, a-z, A-Z and `-` (Key Vault's rule for secrets, keys and certificates). */
export function badName(name: string): SimResponse | null {
  return /^[0-9a-zA-Z-]{1,127}$/.test(name)
    ? null
    : apiError(
        400,
        'BadParameter',
        `The request URI contains an invalid name: ${name}. Names must be 1-127 characters of 0-9, a-z, A-Z and -.`,
      );
}

/** A name whose item was deleted and not purged cannot be reused (the vault has soft delete on). */
export function deletedConflict(vault: VaultState, kind: ItemKind, name: string): SimResponse | null {
  if (!vault.deleted[kind].has(name)) return null;
  const what = { secrets: 'Secret', certificates: 'Certificate', keys: 'Key' }[kind];
  return apiError(
    409,
    'Conflict',
    `${what} ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the ${what.toLowerCase()} can only be recovered or purged.`,
  );
}

export interface WriteAttributes {
  enabled?: unknown;
  nbf?: unknown;
  exp?: unknown;
}

/** The epoch-second attributes a write may set. */
export function attributesFrom(attrs: WriteAttributes | undefined): { enabled: boolean; nbf?: number; exp?: number } {
  const a = attrs ?? {};
  return {
    enabled: a.enabled !== false,
    ...(typeof a.nbf === 'number' ? { nbf: a.nbf } : {}),
    ...(typeof a.exp === 'number' ? { exp: a.exp } : {}),
  };
}
