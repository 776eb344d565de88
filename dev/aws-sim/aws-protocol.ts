/**
 * The awsJson1_1 protocol as the SDK v3 speaks it (research/cloud-apis.md §1): `POST /`, `x-amz-target:
 * <Prefix>.<Operation>`, JSON bodies, timestamps as epoch seconds, blobs as base64, and errors as a 4xx/5xx with
 * `{"__type": "<Code>", "message": "…"}` that the SDK maps to its named exception classes.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type AwsBody = Record<string, unknown>;

/** An operation: `write` marks the calls that change state (the request log and the fault knobs read it). */
export interface AwsOperation {
  readonly write: boolean;
  /** The name or ARN the request addresses, for the request log. */
  target(body: AwsBody): string;
  run(body: AwsBody): AwsBody;
}

export const epochSeconds = (date: Date): number => date.getTime() / 1000;

interface StringRule {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
}

/** A required string member; a missing or malformed one is the service's ValidationException-style refusal. */
export function requiredString(body: AwsBody, field: string, rule: StringRule = {}, errorType = 'ValidationException') {
  const value = body[field];
  if (typeof value !== 'string') {
    throw new AwsError(
      errorType,
      `1 validation error detected: Value null at '${lower(field)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return checkString(value, field, rule, errorType);
}

export function optionalString(body: AwsBody, field: string, rule: StringRule = {}, errorType = 'ValidationException') {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsError(errorType, `Invalid type for member ${field}`);
  return checkString(value, field, rule, errorType);
}

function checkString(value: string, field: string, rule: StringRule, errorType: string): string {
  if ((rule.min !== undefined && value.length < rule.min) || (rule.max !== undefined && value.length > rule.max)) {
    throw new AwsError(
      errorType,
      `1 validation error detected: Value at '${lower(field)}' failed to satisfy constraint: Member must have length between ${rule.min ?? 0} and ${rule.max ?? 'unbounded'}`,
    );
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw new AwsError(
      errorType,
      `1 validation error detected: Value at '${lower(field)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern.source}`,
    );
  }
  return value;
}

export interface AwsTag {
  readonly Key: string;
  readonly Value: string;
}

/** Tags as every one of the three services takes them: at most 50, keys 1–128, values 0–256 characters. */
export function readTags(body: AwsBody, field: string, errorType = 'ValidationException'): AwsTag[] | undefined {
  const raw = body[field];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new AwsError(errorType, `${field} must be a list`);
  if (raw.length > 50) throw new AwsError(errorType, 'Number of tags exceeds the limit of 50');
  return raw.map((t: unknown) => {
    const tag = (t ?? {}) as AwsBody;
    return {
      Key: requiredString(tag, 'Key', { min: 1, max: 128 }, errorType),
      Value: requiredString(tag, 'Value', { min: 0, max: 256 }, errorType),
    };
  });
}

/** Tags merged by key, as TagResource / AddTagsToResource / AddTagsToCertificate do. */
export function mergeTags(current: readonly AwsTag[], added: readonly AwsTag[]): AwsTag[] {
  const byKey = new Map(current.map((t) => [t.Key, t.Value]));
  for (const t of added) byKey.set(t.Key, t.Value);
  if (byKey.size > 50) throw new AwsError('ValidationException', 'Number of tags exceeds the limit of 50');
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

const lower = (field: string): string => field.charAt(0).toLowerCase() + field.slice(1);
