/**
 * Google's REST error model (google.rpc.Status over HTTP): `{"error":{"code":<http>,"message":…,"status":<CODE>}}`.
 * The Node clients in REST-fallback mode surface it as an error whose `code` is the HTTP status
 * (research/cloud-apis.md §0.2), so the status matters as much as the code name.
 */
export class GcpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new GcpError(400, 'INVALID_ARGUMENT', message);
export const notFound = (message: string) => new GcpError(404, 'NOT_FOUND', message);
export const alreadyExists = (message: string) => new GcpError(409, 'ALREADY_EXISTS', message);
export const failedPrecondition = (message: string) => new GcpError(400, 'FAILED_PRECONDITION', message);

export type Json = Record<string, unknown>;

export interface GcpCall {
  readonly method: string;
  /** Path segments after `/v1/`, with the `:verb` split off. */
  readonly path: string;
  readonly verb: string | null;
  readonly query: URLSearchParams;
  readonly body: Json;
}

export interface GcpResult {
  readonly status: number;
  readonly body: unknown;
  /** Changes state (the request log and the lost-response knob read it). */
  readonly write: boolean;
  /** The resource name addressed, for the log. */
  readonly target: string;
}

/**
 * Resource labels as Google Cloud validates them: at most 64; keys start with a lowercase letter and hold
 * lowercase letters, digits, `_` and `-` (1–63 characters); values the same set, 0–63 characters.
 */
export function readLabels(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('labels must be a map');
  const labels = raw as Record<string, unknown>;
  const entries = Object.entries(labels);
  if (entries.length > 64) throw invalid('A resource may have at most 64 labels.');
  for (const [key, value] of entries) {
    if (!/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u.test(key)) throw invalid(`Invalid label key: ${key}`);
    if (typeof value !== 'string' || !/^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u.test(value)) {
      throw invalid(`Invalid label value for key ${key}`);
    }
  }
  return labels as Record<string, string>;
}

/** `updateMask` as the REST transcoding sends it: a comma-separated list of field paths. */
export function updateMask(query: URLSearchParams): string[] {
  const mask = query.get('updateMask');
  if (!mask) throw invalid('update_mask is required');
  return mask.split(',').map((p) => p.trim());
}

export const rfc3339 = (date: Date): string => date.toISOString();
