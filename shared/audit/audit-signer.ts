import { createHash, createPublicKey, verify, type JsonWebKey as NodeJwk } from 'node:crypto';
import type { CryptographyClient, KeyClient, KeyVaultKey } from '@azure/keyvault-keys';
import type { Clock } from '../time/clock';
import { AuditSigningError } from './audit-errors';
import { signedBytes, type AuditSigningAlgorithm, type KeyVaultAuditSignature } from './verify/audit-manifest';
import { jwkThumbprint } from './verify/audit-public-key';

/** The public half of the audit signing key, as `GET /api/audit/public-key` publishes it. */
export interface AuditPublicKeyInfo {
  /** RFC 7638 thumbprint: the `keyId` of the signatures it verifies. */
  readonly keyId: string;
  /** Key Vault key identifier with version. */
  readonly keyVaultKeyId: string;
  readonly algorithm: AuditSigningAlgorithm;
  /** Public members only (RSA: kty, n, e; EC: kty, crv, x, y), base64url as in RFC 7517. */
  readonly jwk: { readonly [member: string]: string };
  /** The same key as SPKI PEM, for `openssl`. */
  readonly pem: string;
}

/** Signs manifests and checkpoints (algorithm version 2) without ever holding the private key. */
export interface AuditSigner {
  sign<T extends { readonly signature: unknown }>(unsigned: Omit<T, 'signature'>): Promise<T>;
  /** The current key version, or the given one (32 hex digits in Key Vault). */
  publicKey(version?: string): Promise<AuditPublicKeyInfo>;
}

export interface KeyVaultAuditSignerDeps {
  /** Versionless key identifier, `https://<vault>/keys/<name>`: signing follows the key's rotation. */
  readonly keyName: string;
  readonly keys: KeyClient;
  /** A client for one key version; sign runs in Key Vault (Key Vault Crypto User: `keys/sign/action`). */
  readonly cryptography: (versionedKeyId: string) => CryptographyClient;
  readonly clock: Clock;
}

/** How long the current version is reused before Key Vault is asked again (a rotation shows within this). */
const CURRENT_KEY_TTL_MS = 5 * 60_000;

/**
 * The audit signer over a Key Vault key: reads the public key (`keys/read`), has Key Vault sign the SHA-256
 * digest of the canonical bytes with that exact version, and checks the signature with the public key before
 * returning it, so a document never leaves signed with a key other than the one it names.
 */
export function createKeyVaultAuditSigner(deps: KeyVaultAuditSignerDeps): AuditSigner {
  const { keyName, keys, cryptography, clock } = deps;
  const versions = new Map<string, Promise<AuditPublicKeyInfo>>();
  let current: { readonly at: number; readonly key: Promise<AuditPublicKeyInfo> } | undefined;

  const load = (version?: string): Promise<AuditPublicKeyInfo> =>
    keys.getKey(keyName, version ? { version } : {}).then(publicKeyInfo, (error: unknown) => {
      throw new AuditSigningError(`reading the audit signing key ${keyName} from Key Vault failed`, { cause: error });
    });

  const currentKey = (): Promise<AuditPublicKeyInfo> => {
    const now = clock.now().getTime();
    if (!current || now - current.at >= CURRENT_KEY_TTL_MS) {
      const key = load();
      key.catch(() => (current = undefined));
      current = { at: now, key };
    }
    return current.key;
  };

  return {
    async sign<T extends { readonly signature: unknown }>(unsigned: Omit<T, 'signature'>): Promise<T> {
      const key = await currentKey();
      const header = { algorithm: key.algorithm, keyId: key.keyId, keyVaultKeyId: key.keyVaultKeyId };
      const bytes = signedBytes({ ...unsigned, signature: header });
      const digest = createHash('sha256').update(bytes).digest();
      let result: Uint8Array;
      try {
        result = (await cryptography(key.keyVaultKeyId).sign(key.algorithm, digest)).result;
      } catch (error) {
        throw new AuditSigningError(`Key Vault refused to sign with ${key.keyVaultKeyId}`, { cause: error });
      }
      const publicKey = createPublicKey({ key: key.jwk as NodeJwk, format: 'jwk' });
      const options = key.algorithm === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {};
      if (!verify('sha256', bytes, { key: publicKey, ...options }, result))
        throw new AuditSigningError(`the signature of ${key.keyVaultKeyId} does not verify with its public key`);
      const signature: KeyVaultAuditSignature = { ...header, value: Buffer.from(result).toString('base64') };
      return { ...unsigned, signature } as unknown as T;
    },
    publicKey(version?: string): Promise<AuditPublicKeyInfo> {
      if (!version) return currentKey();
      let key = versions.get(version);
      if (!key) {
        key = load(version);
        key.catch(() => versions.delete(version));
        versions.set(version, key);
      }
      return key;
    },
  };
}

/** The public half of a Key Vault key as the signer and the API use it; refuses key types it cannot sign with. */
export function publicKeyInfo(bundle: KeyVaultKey): AuditPublicKeyInfo {
  const source = bundle.key;
  const b64 = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('base64url');
  const kty = String(source?.kty ?? '').replace(/-HSM$/, '');
  let jwk: { readonly [member: string]: string };
  let algorithm: AuditSigningAlgorithm;
  if (kty === 'RSA') {
    jwk = { kty, n: b64(source?.n), e: b64(source?.e) };
    algorithm = 'RS256';
  } else if (kty === 'EC' && source?.crv === 'P-256') {
    jwk = { kty, crv: 'P-256', x: b64(source.x), y: b64(source.y) };
    algorithm = 'ES256';
  } else {
    throw new AuditSigningError(`the audit signing key must be RSA or EC P-256, not ${String(source?.kty)}`);
  }
  if (!bundle.id) throw new AuditSigningError('Key Vault returned the audit signing key without its identifier');
  const pem = createPublicKey({ key: jwk as NodeJwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
  return { keyId: jwkThumbprint(jwk), keyVaultKeyId: bundle.id, algorithm, jwk, pem: String(pem) };
}
