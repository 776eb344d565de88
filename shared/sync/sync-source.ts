import type { CloudClients } from '../cloud/cloud-clients';
import { certificatePemOf } from './certificate-pem';
import type { SyncPayload } from './providers/sync-provider';
import { sourceKinds, type SourceKind } from './sync-schemas';

/** A source object's metadata, as listed (never a value). */
export interface SourceObject {
  readonly kind: SourceKind;
  readonly vault: string;
  readonly name: string;
  /**
   * When the latest version last changed (Key Vault's `updated`): lists carry no version id, so this stamp is what
   * tells the planner, without reading a value, that the source moved.
   */
  readonly stamp: string | null;
  readonly enabled: boolean;
  readonly expiresOn: Date | null;
  readonly tags: Readonly<Record<string, string>>;
}

export interface SourceReader {
  /** Null when the vault is unknown to the scans (never scanned, or gone). */
  list(vault: string, kinds: readonly SourceKind[]): Promise<SourceObject[] | null>;
  /** The latest version and its value, for one push. Keys are never read (not exportable). */
  read(vault: string, kind: 'secret' | 'certificate', name: string): Promise<SourceValue>;
}

export interface SourceValue {
  readonly version: string;
  readonly enabled: boolean;
  readonly expiresOn: Date | null;
  readonly payload: SyncPayload;
}

/** The fields of a listed secret's, certificate's or key's properties that a source object needs. */
interface ListedProperties {
  readonly name?: string | undefined;
  readonly managed?: boolean | undefined;
  readonly enabled?: boolean | undefined;
  readonly expiresOn?: Date | undefined;
  readonly updatedOn?: Date | undefined;
  readonly createdOn?: Date | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

const stampOf = (p: { updatedOn?: Date | undefined; createdOn?: Date | undefined }): string | null =>
  (p.updatedOn ?? p.createdOn)?.toISOString() ?? null;

/**
 * Key Vault as the sync source, through Keyward's identity. Vaults are found by name in the estate the scans
 * recorded; certificate-managed secrets are listed as certificates, not as secrets.
 */
export function keyVaultSource(deps: {
  cloud: Pick<CloudClients, 'secrets' | 'certificates' | 'keys'>;
  vaultUri: (vault: string) => Promise<string | null>;
}): SourceReader {
  // One client per vault for the process: a new SecretClient answers Key Vault's auth challenge again (a 401 round
  // trip before every read), which made a first sync's source reads two requests each.
  const secretClients = new Map<string, ReturnType<CloudClients['secrets']>>();
  const secrets = (uri: string) => {
    let client = secretClients.get(uri);
    if (!client) secretClients.set(uri, (client = deps.cloud.secrets(uri)));
    return client;
  };
  return {
    async list(vault, kinds) {
      const uri = await deps.vaultUri(vault);
      if (!uri) return null;
      // Each kind lists its own properties type; they share the fields read here. Managed secrets and keys are a
      // certificate's, listed once as the certificate.
      const listings: Record<SourceKind, () => AsyncIterable<ListedProperties>> = {
        secret: () => deps.cloud.secrets(uri).listPropertiesOfSecrets(),
        certificate: () => deps.cloud.certificates(uri).listPropertiesOfCertificates(),
        key: () => deps.cloud.keys(uri).listPropertiesOfKeys(),
      };
      const out: SourceObject[] = [];
      for (const kind of sourceKinds.filter((k) => kinds.includes(k))) {
        for await (const p of listings[kind]()) {
          if (p.managed) continue;
          out.push({
            kind,
            vault,
            name: p.name ?? '',
            stamp: stampOf(p),
            enabled: p.enabled !== false,
            expiresOn: p.expiresOn ?? null,
            tags: p.tags ?? {},
          });
        }
      }
      return out;
    },
    async read(vault, kind, name) {
      const uri = await deps.vaultUri(vault);
      if (!uri) throw new Error('The source vault is no longer known');
      // A certificate's value is its managed secret (same name and version): PKCS#12 or PEM with the key.
      const secret = await secrets(uri).getSecret(name);
      const value = secret.value ?? '';
      const contentType = secret.properties.contentType ?? null;
      const latest = {
        version: secret.properties.version ?? '',
        enabled: secret.properties.enabled !== false,
        expiresOn: secret.properties.expiresOn ?? null,
      };
      if (kind === 'secret') return { ...latest, payload: { kind, value, contentType } };
      return {
        ...latest,
        payload: {
          kind,
          ...certificatePemOf(value, contentType),
          keyVaultValue: value,
          keyVaultContentType: contentType ?? 'application/x-pkcs12',
        },
      };
    },
  };
}
