import { createCipheriv, randomBytes } from 'node:crypto';
import { createSecretBox } from './secret-box';

const key = Buffer.alloc(32, 7);
const box = createSecretBox(key.toString('base64'));

describe('secret box', () => {
  it('opens what it sealed for the same context only', () => {
    const sealed = box.seal('smtp-password', 'channel/email');
    expect(box.open(sealed, 'channel/email')).toBe('smtp-password');
    expect(() => box.open(sealed, 'channel/slack')).toThrow();
  });

  it('refuses a tag truncated to 4 bytes, even one that authenticates at that length', () => {
    // Seal with a 4-byte tag: before the fix, open() accepted it because GCM verifies whatever length it is given.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 4 });
    cipher.setAAD(Buffer.from('channel/email', 'utf8'));
    const data = Buffer.concat([cipher.update('smtp-password', 'utf8'), cipher.final()]);
    const short = ['kw1', iv, cipher.getAuthTag(), data].map((p) =>
      typeof p === 'string' ? p : p.toString('base64url'),
    );
    expect(() => box.open(short.join('.'), 'channel/email')).toThrow('Unreadable sealed secret');
  });

  it('refuses the first 12 bytes of a genuine 16-byte tag', () => {
    const [version, iv, tag, data] = box.seal('smtp-password', 'channel/email').split('.');
    const truncated = Buffer.from(tag ?? '', 'base64url')
      .subarray(0, 12)
      .toString('base64url');
    expect(() => box.open([version, iv, truncated, data].join('.'), 'channel/email')).toThrow();
  });

  it("derives the key from the Marketplace wizard's 96 hex characters, and refuses material in between", () => {
    const hex = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'.repeat(3);
    const wizard = createSecretBox(Buffer.from(hex, 'ascii').toString('base64'));
    expect(wizard.open(wizard.seal('pd-key', 'channel/pd'), 'channel/pd')).toBe('pd-key');
    // Not the same key as the hex text's first 32 bytes used raw.
    const raw = createSecretBox(Buffer.from(hex.slice(0, 32), 'ascii').toString('base64'));
    expect(() => raw.open(wizard.seal('pd-key', 'channel/pd'), 'channel/pd')).toThrow();
    expect(() => createSecretBox(Buffer.alloc(48, 1).toString('base64'))).toThrow(/NOTIFY_SECRETS_KEY/);
  });
});
