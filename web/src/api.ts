import type { ErrorBody } from './api-types';

/** An API call that failed, with a message a person can read. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Partial<ErrorBody> = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

type Listener = (failure: ApiFailure) => void;
let onTrialExpired: Listener = () => undefined;

/** The app shows its expired-trial page as soon as any call answers 402. */
export function whenTrialExpired(listener: Listener): void {
  onTrialExpired = listener;
}

function readable(status: number, body: Partial<ErrorBody>): string {
  // `body.warningDays: …` reads as `warningDays: …`; a whole-body rule is just its message.
  const details = body.details
    ?.map((d) => {
      const field = d.field.replace(/^(body|query|params)\.?/, '');
      return field ? `${field}: ${d.message}` : d.message;
    })
    .join('; ');
  const base =
    body.message ?? (status >= 500 ? 'The server had a problem; try again.' : `Request failed (HTTP ${status}).`);
  return details ? `${base} ${details}` : base;
}

/** Calls the API with the session cookie; returns the parsed JSON body, or throws ApiFailure. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiFailure(0, 'Keyward cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;
  const error = (json ?? {}) as Partial<ErrorBody>;
  if (response.status === 401) {
    // The session ended: sign in again and come back to this page.
    window.location.assign(`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(location.pathname)}`);
  }
  const failure = new ApiFailure(response.status, readable(response.status, error), error);
  if (response.status === 402) onTrialExpired(failure);
  throw failure;
}

export const get = <T>(path: string): Promise<T> => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown): Promise<T> => api<T>('POST', path, body);

/** A query string from the defined, non-empty values. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
