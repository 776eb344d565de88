import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_LIFETIME_MS, SessionSigner, loadSessionSecret } from './auth-session';

const secret = Buffer.alloc(32, 7);
const user = { email: 'ada@example.com', name: 'Ada', roles: ['admin'] };

describe('SessionSigner', () => {
  it('round-trips a session until it expires', () => {
    let now = 1_000_000;
    const signer = new SessionSigner(secret, () => now);
    const { value, expires } = signer.issue(user);
    expect(expires.getTime()).toBe(1_000_000 + SESSION_LIFETIME_MS);
    expect(signer.verify(value)).toMatchObject(user);
    now += SESSION_LIFETIME_MS;
    expect(signer.verify(value)).toBeNull();
  });

  it('rejects a value signed with another secret or edited by hand', () => {
    const signer = new SessionSigner(secret);
    const { value } = signer.issue(user);
    expect(new SessionSigner(Buffer.alloc(32, 8)).verify(value)).toBeNull();
    const [body, mac] = value.split('.');
    const edited = Buffer.from(
      Buffer.from(body ?? '', 'base64url')
        .toString()
        .replace('admin', 'owner'),
    ).toString('base64url');
    expect(signer.verify(`${edited}.${mac}`)).toBeNull();
    expect(signer.verify(`${value}.extra`)).toBeNull();
    expect(signer.verify('garbage')).toBeNull();
    expect(signer.verify(undefined)).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => new SessionSigner(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('loadSessionSecret', () => {
  it('creates a private secret file once and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kw-secret-')), '.local', 'easyauth-secret');
    const first = loadSessionSecret(file);
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSessionSecret(file).equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('hex'));
  });

  it('prefers a secret given by the caller', () => {
    const given = 'ab'.repeat(32);
    expect(loadSessionSecret('/nonexistent/never-written', given).toString('hex')).toBe(given);
  });
});
