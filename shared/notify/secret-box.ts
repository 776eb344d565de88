import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts channel secrets (webhook URLs, signing secrets, SMTP and ServiceNow passwords, PagerDuty keys) for
 * Table Storage with AES-256-GCM. The key is the NOTIFY_SECRETS_KEY app setting, in Azure a Key Vault reference
 * to Keyward's own vault, so storage alone (a leaked SAS, a backup) never reveals a secret. `context` (the row's
 * identity) is bound as associated data, so a ciphertext copied to another row does not decrypt.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

const VERSION = 'kw1';
/**
 * GCM's tag length is fixed at 16 bytes on both sides: without `authTagLength`, Node accepts any tag from 4 bytes
 * up, so a truncated tag would leave a forger only 2^32 guesses per ciphertext instead of 2^128.
 */
const TAG_BYTES = 16;

/**
 * The AES key from NOTIFY_SECRETS_KEY: 32 raw bytes are the key itself (`openssl rand -base64 32`, and every
 * deployment made before longer keys were accepted). 64 bytes or more are key material run through HKDF-SHA256:
 * the Marketplace wizard can only produce printable text (three v4 GUIDs, 366 random bits, see infra/README.md),
 * and 32 printable bytes cannot carry 256 bits.
 */
function secretsKey(base64Key: string): Buffer {
  const material = Buffer.from(base64Key, 'base64');
  if (material.length === 32) return material;
  if (material.length >= 64) {
    return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'keyward notify-secrets-key v1', 32));
  }
  throw new Error('NOTIFY_SECRETS_KEY must be 32 bytes, or at least 64 bytes of key material, base64-encoded');
}

export function createSecretBox(base64Key: string): SecretBox {
  const key = secretsKey(base64Key);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        VERSION,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        data.toString('base64url'),
      ].join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('Unreadable sealed secret');
      const tagBytes = Buffer.from(tag, 'base64url');
      if (tagBytes.length !== TAG_BYTES) throw new Error('Unreadable sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
