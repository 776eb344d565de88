import { constants, generateKeyPairSync, privateEncrypt, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import { p384 } from '@noble/curves/p384';
import { p521 } from '@noble/curves/p521';
import { secp256k1 } from '@noble/curves/secp256k1';

/** The key type and size a version was created with (Key Vault's `kty`, `key_size`, `crv`). */
export interface KeyShape {
  readonly kty: 'RSA' | 'EC';
  /** RSA modulus bits: 2048, 3072 or 4096. */
  readonly keySize?: number;
  /** EC curve: P-256, P-384, P-521 or P-256K. */
  readonly crv?: EcCurve;
}

export type EcCurve = 'P-256' | 'P-384' | 'P-521' | 'P-256K';

export interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  readonly shape: KeyShape;
}

export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
const NODE_CURVES: Record<EcCurve, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
  'P-256K': 'secp256k1',
};
export const EC_CURVES = Object.keys(NODE_CURVES) as EcCurve[];

/** The shape a create request or certificate policy asks for (`kty`, `key_size`, `crv`), or why Key Vault refuses it. */
export function requestedShape(kty: unknown, keySize: unknown, crv: unknown): KeyShape | string {
  if (kty === 'RSA' || kty === 'RSA-HSM') {
    const size = keySize ?? 2048;
    if (!RSA_KEY_SIZES.includes(size as 2048)) {
      return `The specified key size ${String(size)} is not supported: RSA keys are 2048, 3072 or 4096 bits.`;
    }
    return { kty: 'RSA', keySize: size as number };
  }
  if (kty === 'EC' || kty === 'EC-HSM') {
    const curve = crv ?? 'P-256';
    if (!EC_CURVES.includes(curve as EcCurve)) return `The specified curve ${String(curve)} is not supported.`;
    return { kty: 'EC', crv: curve as EcCurve };
  }
  if (kty === 'oct' || kty === 'oct-HSM') return 'Symmetric keys (oct, oct-HSM) are only supported by Managed HSM.';
  return `Key type ${String(kty)} is not supported: use one of EC, EC-HSM, RSA, RSA-HSM.`;
}

export function generateKey(shape: KeyShape): KeyPair {
  const pair =
    shape.kty === 'RSA'
      ? generateKeyPairSync('rsa', { modulusLength: shape.keySize ?? 2048 })
      : generateKeyPairSync('ec', { namedCurve: NODE_CURVES[shape.crv ?? 'P-256'] });
  return { ...pair, shape };
}

/** The public half as a JSON Web Key, the way Key Vault returns it in a KeyBundle (never `d`, `p`, `q`…). */
export function publicJwk(pair: KeyPair): Record<string, string> {
  const jwk = pair.publicKey.export({ format: 'jwk' });
  return pair.shape.kty === 'RSA'
    ? { n: String(jwk.n), e: String(jwk.e) }
    : { crv: pair.shape.crv ?? 'P-256', x: String(jwk.x), y: String(jwk.y) };
}

/** Signature algorithms Key Vault offers for RSA and EC keys, with the digest length each expects. */
const RSA_ALGS = { RS256: 32, RS384: 48, RS512: 64 } as const;
const EC_ALGS = { ES256: ['P-256', 32], ES384: ['P-384', 48], ES512: ['P-521', 64], ES256K: ['P-256K', 32] } as const;
/** DER DigestInfo prefixes of RFC 8017 §9.2 note 1, keyed by digest length. */
const DIGEST_INFO: Record<number, string> = {
  32: '3031300d060960864801650304020105000420',
  48: '3041300d060960864801650304020205000430',
  64: '3051300d060960864801650304020305000440',
};
const NOBLE = { 'P-256': p256, 'P-384': p384, 'P-521': p521, 'P-256K': secp256k1 } as const;

export type SignOutcome = { signature: Buffer } | { refused: string };

/**
 * Signs a digest the client computed, as Key Vault's `sign` does (the service never hashes). RSASSA-PKCS1-v1_5 is the
 * DigestInfo encoding under the RSA private-key operation (node:crypto); ECDSA over a prehashed digest comes from
 * @noble/curves (node:crypto can only sign a message it hashes itself), as the raw r‖s Key Vault returns. The
 * PS* (RSA-PSS) algorithms are not simulated: Keyward signs with RS256 and ES256.
 */
export function signDigest(pair: KeyPair, alg: string, digest: Buffer): SignOutcome {
  if (alg in RSA_ALGS) {
    if (pair.shape.kty !== 'RSA') return { refused: `Algorithm ${alg} is not valid for a key of type EC.` };
    const length = RSA_ALGS[alg as keyof typeof RSA_ALGS];
    if (digest.length !== length) return { refused: `Invalid digest length ${digest.length} for algorithm ${alg}.` };
    const block = Buffer.concat([Buffer.from(DIGEST_INFO[length] ?? '', 'hex'), digest]);
    return { signature: privateEncrypt({ key: pair.privateKey, padding: constants.RSA_PKCS1_PADDING }, block) };
  }
  if (alg in EC_ALGS) {
    const [curve, length] = EC_ALGS[alg as keyof typeof EC_ALGS];
    if (pair.shape.kty !== 'EC' || (pair.shape.crv ?? 'P-256') !== curve) {
      return { refused: `Algorithm ${alg} is not valid for this key: it needs an EC key on curve ${curve}.` };
    }
    if (digest.length !== length) return { refused: `Invalid digest length ${digest.length} for algorithm ${alg}.` };
    const d = Buffer.from(String(pair.privateKey.export({ format: 'jwk' }).d), 'base64url');
    const signature = NOBLE[curve].sign(digest, d, { prehash: false, lowS: curve === 'P-256K' });
    return { signature: Buffer.from(signature.toCompactRawBytes()) };
  }
  return { refused: `Algorithm ${alg} is not supported.` };
}

/**
 * Key material of every key version, by its id (`<vault arm id>/keys/<name>/<version>`). Keys created or imported
 * through the API get their own key pair; the tenant document's seeded keys share one pair per shape, made on first
 * use (a large tenant holds thousands of keys, and generating an RSA key costs tens of milliseconds).
 */
export function createKeyMaterial() {
  const own = new Map<string, KeyPair>();
  const pooled = new Map<string, KeyPair>();

  function seeded(shape: KeyShape): KeyPair {
    const id = `${shape.kty}/${shape.keySize ?? ''}/${shape.crv ?? ''}`;
    let pair = pooled.get(id);
    if (!pair) {
      pair = generateKey(shape);
      pooled.set(id, pair);
    }
    return pair;
  }

  return {
    set: (id: string, pair: KeyPair): void => void own.set(id, pair),
    /** The version's own pair, else the pooled pair of its shape. */
    forVersion: (id: string, shape: KeyShape): KeyPair => own.get(id) ?? seeded(shape),
    seeded,
  };
}

export type KeyMaterial = ReturnType<typeof createKeyMaterial>;

/** JsonWebKeyOperation values Key Vault accepts in `key_ops` (keys 7.5 KeyCreateParameters). */
export const KEY_OPS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey', 'import', 'export'] as const;

/**
 * The operations a key allows when its creator names none: every one its type can do, as Key Vault does for
 * created keys and a certificate's key. One list for created, imported, certificate-backed and seeded keys.
 */
export function defaultKeyOps(kty: string | undefined): string[] {
  if (kty?.startsWith('EC')) return ['sign', 'verify'];
  if (kty?.startsWith('oct')) return ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
  return ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];
}

/** The shape of a seeded key from the tenant document (`kty`, optional size or curve; else Key Vault's defaults). */
export function defaultShape(kty: string | undefined, keySize?: number, curve?: string): KeyShape {
  return kty?.startsWith('EC')
    ? { kty: 'EC', crv: EC_CURVES.includes(curve as EcCurve) ? (curve as EcCurve) : 'P-256' }
    : { kty: 'RSA', keySize: keySize ?? 2048 };
}
