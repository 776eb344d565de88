import { createHash } from 'node:crypto';

// This folder is the standalone verifier: it imports nothing but Node built-ins and its own siblings, so an
// auditor can compile and run it without the rest of Keyward. The service hashes with these same functions.

/**
 * Version of an entry's canonical serialisation, hashed into every entry as `v`. It stays 1 in algorithm
 * version 2, which changed only how manifests and checkpoints are signed.
 */
export const ENTRY_HASH_VERSION = 1;

/** `prevHash` of the first entry (seq 1): 64 hex zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** A JSON value as the chain hashes it (no undefined, no non-finite numbers). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The fields of one entry that the hash covers, in the shape they are hashed. Absent optional values are
 * empty strings, never null, so a CSV cell round-trips to exactly the hashed value.
 */
export interface AuditHashedFields {
  readonly seq: number;
  readonly timestamp: string;
  readonly actorType: string;
  readonly actorId: string;
  readonly actorName: string;
  readonly action: string;
  readonly target: string;
  readonly outcome: string;
  readonly details: { readonly [key: string]: JsonValue };
  readonly correlationId: string;
  readonly prevHash: string;
}

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values the chain holds: object keys sorted by UTF-16 code
 * units, no whitespace, strings and numbers serialised as ECMAScript JSON.stringify does.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON cannot hold a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item: JsonValue) => canonicalJson(item)).join(',')}]`;
  const object = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(object).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** The exact string whose UTF-8 bytes are hashed for one entry (version 1). */
export function entryHashInput(fields: AuditHashedFields): string {
  return canonicalJson({
    v: ENTRY_HASH_VERSION,
    seq: fields.seq,
    timestamp: fields.timestamp,
    actorType: fields.actorType,
    actorId: fields.actorId,
    actorName: fields.actorName,
    action: fields.action,
    target: fields.target,
    outcome: fields.outcome,
    details: fields.details,
    correlationId: fields.correlationId,
    prevHash: fields.prevHash,
  });
}

/** `hash` of an entry: lowercase hex SHA-256 of the UTF-8 bytes of its canonical serialisation. */
export function hashEntry(fields: AuditHashedFields): string {
  return sha256Hex(entryHashInput(fields));
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
