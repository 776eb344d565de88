import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `kw_<id>_<secret>`: the id finds the stored row with one point read, the secret is
 * checked against the stored SHA-256 hash in constant time. Only `kw_<id>` (the prefix) is ever shown again.
 */
const KEY_PATTERN = /^kw_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  readonly id: string;
  readonly key: string;
  readonly prefix: string;
  readonly hash: string;
}

export function generateApiKey(): GeneratedKey {
  const id = randomBytes(8).toString('hex').slice(0, 12);
  const key = `kw_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, prefix: `kw_${id}`, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The key id if `key` has the shape of a Keyward key, else null (no lookup is made for junk). */
export function apiKeyId(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Compares the presented key's hash with the stored one without leaking where they differ. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** The bearer token of an `Authorization: Bearer kw_…` header, if it is one. */
export function bearerApiKey(authorization: string | null): string | null {
  const match = /^Bearer\s+(kw_\S+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1] ?? null;
}
