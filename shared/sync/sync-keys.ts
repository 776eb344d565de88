import { createHash, randomBytes } from 'node:crypto';

/** A record's id: stable for (config, rule, kind, source vault, source name), table-key safe. */
export function recordId(configId: string, ruleIndex: number, kind: string, vault: string, name: string): string {
  return createHash('sha256')
    .update([configId, ruleIndex, kind, vault.toLowerCase(), name.toLowerCase()].join('\n'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The request token of one push, shaped as a UUID (Secrets Manager wants 32–64 characters): the same for every
 * retry and redelivery of (record, source version), so the service ignores a repeat instead of adding a version.
 */
export function idempotencyKey(record: string, sourceVersion: string): string {
  const h = createHash('sha256').update(`${record}\n${sourceVersion}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** New config ids: 20 lowercase base-32 characters. */
export function newConfigId(): string {
  return [...randomBytes(20)].map((b) => 'abcdefghijklmnopqrstuvwxyz234567'[b % 32]).join('');
}
