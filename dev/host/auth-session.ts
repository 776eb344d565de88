import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The signed-in user a local session stands for. */
export interface SessionUser {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
}

export const SESSION_COOKIE = 'AppServiceAuthSession';
/** App Service sessions last about 8 hours. */
export const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

interface SessionPayload extends SessionUser {
  /** Expiry, milliseconds since the epoch. */
  readonly exp: number;
}

/**
 * Issues and verifies `AppServiceAuthSession` values: base64url JSON plus an HMAC-SHA256 over it, so a
 * value edited by hand (other roles, another user, a later expiry) fails verification.
 */
export class SessionSigner {
  readonly #secret: Buffer;
  readonly #now: () => number;

  constructor(secret: Buffer, now: () => number = Date.now) {
    if (secret.length < 32) throw new Error('The EasyAuth session secret must be at least 32 bytes.');
    this.#secret = secret;
    this.#now = now;
  }

  issue(user: SessionUser): { value: string; expires: Date } {
    const exp = this.#now() + SESSION_LIFETIME_MS;
    const payload: SessionPayload = { email: user.email, name: user.name, roles: [...user.roles], exp };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { value: `${body}.${this.#mac(body)}`, expires: new Date(exp) };
  }

  /** The session's user and expiry, or null for a missing, malformed, tampered or expired value. */
  verify(value: string | undefined): (SessionUser & { readonly expires: Date }) | null {
    if (!value) return null;
    const [body, mac, extra] = value.split('.');
    if (!body || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.#mac(body));
    const actual = Buffer.from(mac);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
    const payload = parsePayload(Buffer.from(body, 'base64url').toString('utf8'));
    if (!payload || payload.exp <= this.#now()) return null;
    return { email: payload.email, name: payload.name, roles: payload.roles, expires: new Date(payload.exp) };
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url');
  }
}

function parsePayload(text: string): SessionPayload | null {
  try {
    const value = JSON.parse(text) as Partial<SessionPayload>;
    const valid =
      typeof value.email === 'string' &&
      typeof value.name === 'string' &&
      typeof value.exp === 'number' &&
      Array.isArray(value.roles) &&
      value.roles.every((role) => typeof role === 'string');
    return valid ? (value as SessionPayload) : null;
  } catch {
    return null;
  }
}

/**
 * The signing secret: given by the caller (hex, ≥ 32 bytes), else read from `file`, else generated there
 * (mode 0600), so a restarted host keeps its users signed in.
 */
export function loadSessionSecret(file: string, given?: string): Buffer {
  if (given) return Buffer.from(given, 'hex');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  const secret = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
