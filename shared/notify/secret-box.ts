import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

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

export function createSecretBox(base64Key: string): SecretBox {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error('NOTIFY_SECRETS_KEY must be 32 bytes, base64-encoded');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
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
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
