import type { SyncProviderKind } from '../sync-schemas';

/**
 * Each provider's naming rules, applied to a rendered name template. Pure, so the planner names targets without
 * building a client.
 */
export const targetNames: Record<SyncProviderKind, (rendered: string) => string> = {
  // Secrets Manager: 1–512 of A–Z a–z 0–9 / _ + = . @ -
  awsSecretsManager: (r) => r.replace(/[^A-Za-z0-9/_+=.@-]/g, '-').slice(0, 512),
  // Parameter Store: a path must start with "/"; A–Z a–z 0–9 _ . - /
  awsParameterStore: (r) => {
    const name = r.replace(/[^a-zA-Z0-9_.\-/]/g, '-');
    return (name.startsWith('/') ? name : `/${name}`).slice(0, 1011);
  },
  // ACM names nothing; the name is kept as the certificate's Name tag.
  awsAcm: (r) => r.slice(0, 256),
  // Secret Manager ids: [A-Za-z0-9_-]{1,255}
  gcpSecretManager: (r) => r.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255),
  // Certificate Manager ids: a lower-case letter, then lower-case letters, digits and "-", at most 63.
  gcpCertificateManager: (r) => {
    const id = r
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^[^a-z]+/, '');
    return (id || 'cert').slice(0, 63);
  },
  // Key Vault names: 0–9 A–Z a–z -, at most 127.
  keyVault: (r) => r.replace(/[^0-9A-Za-z-]/g, '-').slice(0, 127),
};

/** `{vault}` and `{name}` in a rule's template, replaced. */
export function renderTargetName(template: string, vault: string, name: string): string {
  return template.replace(/\{vault\}/g, vault).replace(/\{name\}/g, name);
}
