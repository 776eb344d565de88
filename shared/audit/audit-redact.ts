import type { JsonValue } from './verify/audit-canonical';

export const REDACTED = '[redacted]';

// A key is sensitive when its name mentions a secret-bearing word, unless it only names or counts one
// (`secretName`, `keyId`, `tokenCount`): over-redacting costs a little evidence, under-redacting leaks.
const SENSITIVE_KEY =
  /secret|passw|pwd|token|key|webhook|url|uri|connection|credential|signature|sas|cookie|authorization|bearer|private|cert.*(pem|pfx|data)/i;
const NAMING_SUFFIX = /(Id|Ids|Name|Names|Count|Type|Kind|Version|Expiry|ExpiresOn|ExpiresAt|Days)$/;

// Values redacted whatever their key: storage/Service Bus connection strings, SAS and webhook URLs with a
// credential in the query, bearer tokens and JWTs.
const SENSITIVE_VALUE = [
  /(AccountKey|SharedAccessKey|SharedAccessSignature|Password|pwd)\s*=/i,
  /^https?:\/\/[^\s]*[?&](sig|code|token|key|secret|api[-_]?key|access_token)=/i,
  /^https?:\/\/[^/\s]*:[^@/\s]*@/i,
  /\bbearer\s+[\w\-.~+/]+=*/i,
  /\beyJ[\w-]{5,}\.[\w-]{5,}\./,
  /hooks\.slack\.com|webhook\.office\.com|outlook\.office\.com\/webhook|\.logic\.azure\.com|events\.pagerduty\.com/i,
];

const MAX_DEPTH = 12;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key) && !NAMING_SUFFIX.test(key);
}

export function isSensitiveValue(value: string): boolean {
  return SENSITIVE_VALUE.some((pattern) => pattern.test(value));
}

/**
 * Returns a JSON-safe deep copy of `value` with every sensitive key's value and every secret-looking string
 * replaced by "[redacted]". Applied before an entry is hashed or stored, so nothing secret is ever chained.
 * Values JSON cannot hold (undefined, functions, non-finite numbers) are dropped or nulled; dates become ISO.
 */
export function redactSecrets(value: unknown, depth = 0): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return isSensitiveValue(value) ? REDACTED : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item ?? null, depth + 1));
  if (typeof value === 'object') return redactObject(value, depth);
  return null;
}

/** Redacts an object's members (the shape `details` has). */
export function redactDetails(details: Record<string, unknown>): { [key: string]: JsonValue } {
  return redactObject(details, 0);
}

function redactObject(value: object, depth: number): { [key: string]: JsonValue } {
  const result: { [key: string]: JsonValue } = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    result[key] = isSensitiveKey(key) ? REDACTED : redactSecrets(member, depth + 1);
  }
  return result;
}
