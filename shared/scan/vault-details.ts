import { X509Certificate } from 'node:crypto';
import type { InventoryItem } from '../inventory/inventory-item';
import { canonicalThumbprint } from '../inventory/thumbprint';
import { createGate } from '../runtime/concurrency-gate';
import type { ItemDraft } from './item-merge';
import { withRetries, type RetryOptions } from './scan-retry';
import { denyReason, type VaultDataClients } from './vault-lister';

const DETAIL_CONCURRENCY = 4;

/** Key size in bits from a public JWK: RSA modulus length, or the EC curve's size. */
export function jwkSize(key: { kty?: string; n?: Uint8Array; crv?: string } | undefined): number | null {
  if (!key) return null;
  if (key.n) return (key.n[0] === 0 ? key.n.length - 1 : key.n.length) * 8;
  const curve = /(\d+)/.exec(key.crv ?? '')?.[1];
  return curve ? Number(curve === '256K' ? 256 : curve) : null;
}

/** Bits of the named curves X.509 certificates carry (OpenSSL names, as node:crypto reports them). */
const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
};

/** Type and size of a certificate's public key, in the JWK terms keys use (`RSA` / `EC`, modulus or curve bits). */
function certificateKey(x509: X509Certificate): { keyType: string | null; keySize: number | null } {
  const { asymmetricKeyType: type, asymmetricKeyDetails: details } = x509.publicKey;
  if (type === 'rsa' || type === 'rsa-pss') return { keyType: 'RSA', keySize: details?.modulusLength ?? null };
  if (type === 'ec') return { keyType: 'EC', keySize: CURVE_BITS[details?.namedCurve ?? ''] ?? null };
  return { keyType: null, keySize: null };
}

/**
 * The public parts of a certificate (issuer, subject, SHA-1 thumbprint, key type and size) from its DER encoding;
 * null when it does not parse — one odd certificate leaves its details empty instead of failing the whole vault.
 */
export function certificateFacts(cer: Uint8Array): {
  issuer: string;
  subject: string;
  thumbprint: string;
  keyType: string | null;
  keySize: number | null;
} | null {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cer);
  } catch {
    return null;
  }
  return {
    issuer: x509.issuer.split('\n').join(', '),
    subject: x509.subject.split('\n').join(', '),
    thumbprint: canonicalThumbprint(x509.fingerprint) ?? '',
    ...certificateKey(x509),
  };
}

const unchanged = (draft: ItemDraft, old: InventoryItem | undefined): old is InventoryItem =>
  old !== undefined &&
  old.version === draft.version &&
  old.updatedOn === draft.updatedOn &&
  old.source === draft.source;

/**
 * Certificate issuer/subject/key and a key's type, size and allowed operations are not in the list answers. They
 * are read once per new or changed
 * version (public certificate and public key only, the same budget) and carried over unchanged otherwise, so a
 * rescan of an unchanged vault costs list calls alone.
 */
export async function addDetails(
  drafts: readonly ItemDraft[],
  existing: ReadonlyMap<string, InventoryItem>,
  data: VaultDataClients,
  retry: RetryOptions,
): Promise<ItemDraft[]> {
  const out = [...drafts];
  const { certificates, keys } = data;
  const work: (() => Promise<void>)[] = [];
  out.forEach((draft, index) => {
    if (draft.source !== 'keyvault' || (draft.type !== 'certificate' && draft.type !== 'key')) return;
    const old = existing.get(draft.row);
    if (unchanged(draft, old)) {
      const { issuer, subject, keyType, keySize, keyOps } = old;
      out[index] = {
        ...draft,
        issuer,
        subject,
        keyType,
        keySize,
        keyOps,
        thumbprint: draft.thumbprint ?? old.thumbprint,
      };
      return;
    }
    if (draft.type === 'certificate') {
      work.push(async () => {
        const cert = await withRetries(() => certificates.getCertificate(draft.name), retry);
        const facts = cert.cer ? certificateFacts(cert.cer) : null;
        out[index] = { ...draft, ...(facts ?? {}), thumbprint: facts?.thumbprint ?? draft.thumbprint };
      });
    } else {
      work.push(async () => {
        const key = await withRetries(() => keys.getKey(draft.name), retry);
        out[index] = {
          ...draft,
          keyType: key.keyType ?? key.key?.kty ?? null,
          keySize: jwkSize(key.key),
          keyOps: key.keyOperations?.join(',') ?? null,
        };
      });
    }
  });
  // A role that lists but cannot read one object leaves its details empty rather than failing the vault.
  const gate = createGate(DETAIL_CONCURRENCY);
  await Promise.all(
    work.map((job) =>
      gate(() =>
        job().catch((error: unknown) => {
          if (!denyReason(error)) throw error;
        }),
      ),
    ),
  );
  return out;
}
