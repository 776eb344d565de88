import { randomUUID } from 'node:crypto';
import type { CloudClients } from '../cloud/cloud-clients';
import { GraphError } from '../cloud/graph-reader';
import type { RotationTarget } from './rotation-types';

/** A refusal from Graph, Key Vault or the token endpoint, with the service's error code (never a body or value). */
export class CloudCallError extends Error {
  constructor(
    readonly service: 'graph' | 'keyvault' | 'token',
    readonly statusCode: number,
    readonly code: string,
  ) {
    super(`${service} answered ${statusCode} ${code}`);
    this.name = 'CloudCallError';
  }

  /** A 4xx other than 408/429: repeating the call cannot help. */
  get permanent(): boolean {
    return this.statusCode >= 400 && this.statusCode < 500 && this.statusCode !== 408 && this.statusCode !== 429;
  }
}

export interface AppCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly endDateTime: string;
  readonly customKeyIdentifier: string | null;
  /** A password credential's first three characters, as Graph returns them (`hint`). */
  readonly hint?: string | null;
}

export interface GraphApplication {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly passwordCredentials: readonly AppCredential[];
  readonly keyCredentials: readonly AppCredential[];
}

/** What addPassword answers. `secretText` is the only copy of the value: keep it in memory, never log it. */
export interface NewPassword {
  readonly keyId: string;
  readonly endDateTime: string;
  readonly secretText: string;
}

/** A Key Vault certificate version as rotation uses it: the DER, its thumbprint, validity and managed key id. */
export interface VaultCertificate {
  readonly version: string;
  readonly cer: Uint8Array;
  /** SHA-1 thumbprint, upper-case hex (Graph's customKeyIdentifier). */
  readonly thumbprint: string;
  readonly expiresOn: string;
  /** The managed key's id URL, for `sign`. */
  readonly keyId: string;
  readonly tags: Record<string, string>;
}

export interface RotationCloud {
  tenantId(): Promise<string>;
  application(appKey: string): Promise<GraphApplication>;
  owners(appObjectId: string): Promise<string[]>;
  listApplications(): Promise<GraphApplication[]>;
  /** The password lifetime cap in days of the policy in force for the app (its own, else the tenant's); null = none. */
  passwordLifetimeCapDays(appObjectId: string): Promise<number | null>;
  addPassword(appObjectId: string, displayName: string, endDateTime: string): Promise<NewPassword>;
  removePassword(appObjectId: string, keyId: string): Promise<void>;
  /** Whether the identity may write the app's credentials, asked without changing anything. */
  mayWriteCredentials(appObjectId: string): Promise<boolean>;
  mayWriteSecret(target: RotationTarget): Promise<boolean>;
  /** Writes a new secret version; answers its version id. */
  setSecret(target: RotationTarget, value: string, expiresOn: Date, tags: Record<string, string>): Promise<string>;
  /** The id of a version carrying all of `tags` (metadata only), null when none does or the secret is absent. */
  versionTagged(target: RotationTarget, tags: Record<string, string>): Promise<string | null>;
  /** A version's value, for a resumed rotation that wrote it before a crash; kept in memory only. */
  secretValue(target: RotationTarget, version: string): Promise<string>;
  addKey(appObjectId: string, cer: Uint8Array, proof: string): Promise<{ keyId: string; endDateTime: string }>;
  removeKey(appObjectId: string, keyId: string, proof: string): Promise<void>;
  /** The key-credential lifetime cap in days (asymmetricKeyLifetime) of the policy in force; null = none. */
  keyLifetimeCapDays(appObjectId: string): Promise<number | null>;
  mayCreateCertificate(target: RotationTarget): Promise<boolean>;
  /** A certificate version (current when `version` is absent): public parts only, never the private key. */
  certificate(target: RotationTarget, version?: string): Promise<VaultCertificate | null>;
  /** A new version from the certificate's own policy, with `validityMonths` and tags; waits until issued. */
  createCertificateVersion(
    target: RotationTarget,
    validityMonths: number,
    tags: Record<string, string>,
  ): Promise<VaultCertificate>;
  /** The newest version carrying all of `tags`, or null. */
  certificateTagged(target: RotationTarget, tags: Record<string, string>): Promise<VaultCertificate | null>;
  disableCertificateVersion(target: RotationTarget, version: string): Promise<void>;
  /** Signs a SHA-256 digest (RS256) with the certificate version's managed key, in Key Vault. */
  sign(keyId: string, digest: Buffer): Promise<Uint8Array>;
  /** Names of the vault's secrets with their tags and current values (for discovery's fingerprints; memory only). */
  listSecrets(vaultUri: string): Promise<VaultSecretMeta[]>;
  /**
   * Whether the current value of a secret starts with `hint` — the value is read, compared and dropped here, so it
   * never leaves this call. False when it cannot be read.
   */
  valueStartsWith(vaultUri: string, name: string, hint: string): Promise<boolean>;
}

export interface VaultSecretMeta {
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly expiresOn: string | null;
}

const statusOf = (error: unknown): number =>
  typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 0;
const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code.slice(0, 100) : 'unknown';
};

async function graphCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GraphError) throw new CloudCallError('graph', error.statusCode, error.code);
    // No answer at all (network, no token for the identity): Graph is unavailable to us; the name says why.
    throw new CloudCallError('graph', 503, (error as Error).name || 'network');
  }
}

/** Key Vault SDK errors carry request details; only the status and the service's code go further. */
async function vaultCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = statusOf(error);
    if (status > 0) throw new CloudCallError('keyvault', status, codeOf(error));
    throw new CloudCallError('keyvault', 503, (error as Error).name || 'network');
  }
}

/** Days in an ISO 8601 duration of days, months or years (`P90D`, `P1Y`); null when it has other parts. */
export function durationDays(iso: string): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(iso);
  if (!m || iso === 'P') return null;
  // Conservative: a month counts as 28 days, so a clamped end date is never past the cap.
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 28 + Number(m[3] ?? 0);
}

interface Restrictions {
  passwordCredentials?: { restrictionType?: string; maxLifetime?: string; state?: string }[];
  keyCredentials?: { restrictionType?: string; maxLifetime?: string; state?: string }[];
}

/** The tenant default (tenantAppManagementPolicy) names its rules `applicationRestrictions`; an app's own policy
 * (appManagementPolicy) names them `restrictions`. */
interface PolicyJson {
  isEnabled?: boolean;
  applicationRestrictions?: Restrictions;
  restrictions?: Restrictions;
}

function lifetimeCap(policy: PolicyJson | undefined, kind: 'password' | 'key'): number | null {
  if (!policy || policy.isEnabled === false) return null;
  const rules = policy.restrictions ?? policy.applicationRestrictions;
  const list = kind === 'password' ? rules?.passwordCredentials : rules?.keyCredentials;
  const type = kind === 'password' ? 'passwordLifetime' : 'asymmetricKeyLifetime';
  const restriction = list?.find((r) => r.restrictionType === type && r.state !== 'disabled');
  if (!restriction?.maxLifetime) return null;
  const days = durationDays(restriction.maxLifetime);
  if (days === null) throw new CloudCallError('graph', 400, 'UnsupportedPolicyLifetime');
  return days;
}

const appPath = (key: string): string => `/v1.0/applications/${encodeURIComponent(key)}`;
const APP_SELECT = '$select=id,appId,displayName,passwordCredentials,keyCredentials';

/** Graph and Key Vault calls of a rotation, through the app's SDK clients and managed identity. */
export function createRotationCloud(cloud: CloudClients): RotationCloud {
  const graph = cloud.graph();
  const secrets = (uri: string) => cloud.secrets(uri);
  const certificates = (uri: string) => cloud.certificates(uri);
  async function policyCap(appObjectId: string, kind: 'password' | 'key'): Promise<number | null> {
    // An assigned policy replaces the tenant default; Graph does not merge them.
    const assigned = await graphCall(() => graph.request('GET', `${appPath(appObjectId)}/appManagementPolicies`));
    const own = (assigned.value as PolicyJson[] | undefined)?.[0];
    if (own) return lifetimeCap(own, kind);
    return lifetimeCap(
      (await graphCall(() => graph.request('GET', '/v1.0/policies/defaultAppManagementPolicy'))) as PolicyJson,
      kind,
    );
  }
  const toCertificate = (c: {
    cer?: Uint8Array;
    keyId?: string;
    properties: { version?: string; x509Thumbprint?: Uint8Array; expiresOn?: Date; tags?: Record<string, string> };
  }): VaultCertificate => ({
    version: c.properties.version ?? '',
    cer: c.cer ?? new Uint8Array(),
    thumbprint: Buffer.from(c.properties.x509Thumbprint ?? new Uint8Array())
      .toString('hex')
      .toUpperCase(),
    expiresOn: (c.properties.expiresOn ?? new Date(0)).toISOString(),
    keyId: c.keyId ?? '',
    tags: c.properties.tags ?? {},
  });
  return {
    async addKey(appObjectId, cer, proof) {
      const body = await graphCall(() =>
        graph.request('POST', `${appPath(appObjectId)}/addKey`, {
          keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: Buffer.from(cer).toString('base64') },
          passwordCredential: null,
          proof,
        }),
      );
      const { keyId, endDateTime } = body as { keyId?: unknown; endDateTime?: unknown };
      if (typeof keyId !== 'string' || typeof endDateTime !== 'string') {
        throw new CloudCallError('graph', 502, 'UnexpectedAddKeyAnswer');
      }
      return { keyId, endDateTime };
    },
    async removeKey(appObjectId, keyId, proof) {
      await graphCall(() => graph.request('POST', `${appPath(appObjectId)}/removeKey`, { keyId, proof }));
    },
    async mayCreateCertificate(target) {
      try {
        await vaultCall(() =>
          certificates(target.vaultUri).updateCertificateProperties(target.secretName, '0'.repeat(32), {}),
        );
        return true;
      } catch (error) {
        if (error instanceof CloudCallError && error.statusCode === 403) return false;
        if (error instanceof CloudCallError && error.statusCode === 404) return true;
        throw error;
      }
    },
    async certificate(target, version) {
      try {
        const c = version
          ? await vaultCall(() => certificates(target.vaultUri).getCertificateVersion(target.secretName, version))
          : await vaultCall(() => certificates(target.vaultUri).getCertificate(target.secretName));
        return toCertificate(c);
      } catch (error) {
        if (error instanceof CloudCallError && error.statusCode === 404) return null;
        throw error;
      }
    },
    async createCertificateVersion(target, validityMonths, tags) {
      const client = certificates(target.vaultUri);
      const current = await vaultCall(() => client.getCertificatePolicy(target.secretName));
      const poller = await vaultCall(() =>
        client.beginCreateCertificate(target.secretName, { ...current, validityInMonths: validityMonths }, { tags }),
      );
      return toCertificate(await vaultCall(() => poller.pollUntilDone()));
    },
    async certificateTagged(target, tags) {
      return vaultCall(async () => {
        const client = certificates(target.vaultUri);
        for await (const p of client.listPropertiesOfCertificateVersions(target.secretName)) {
          const t = p.tags ?? {};
          if (p.version && Object.entries(tags).every(([k, v]) => t[k] === v)) {
            return toCertificate(await client.getCertificateVersion(target.secretName, p.version));
          }
        }
        return null;
      });
    },
    async disableCertificateVersion(target, version) {
      await vaultCall(() =>
        certificates(target.vaultUri).updateCertificateProperties(target.secretName, version, { enabled: false }),
      );
    },
    async sign(keyId, digest) {
      const result = await vaultCall(() => cloud.cryptography(keyId).sign('RS256', digest));
      return result.result;
    },
    async tenantId() {
      const body = await graphCall(() => graph.request('GET', '/v1.0/organization?$select=id'));
      const id = (body.value as { id?: unknown }[] | undefined)?.[0]?.id;
      if (typeof id !== 'string') throw new CloudCallError('graph', 404, 'OrganizationNotFound');
      return id;
    },
    async application(appKey) {
      // An application (client) id is addressed as applications(appId='…'); an object id directly.
      const byObjectId = await graphCall(() => graph.request('GET', `${appPath(appKey)}?${APP_SELECT}`)).catch(
        (error: unknown) => {
          if (error instanceof CloudCallError && error.statusCode === 404) return null;
          throw error;
        },
      );
      const body =
        byObjectId ??
        (await graphCall(() => graph.request('GET', `/v1.0/applications(appId='${appKey}')?${APP_SELECT}`)));
      return body as unknown as GraphApplication;
    },
    async owners(appObjectId) {
      const owners = await graphCall(() =>
        graph.listAll<{ userPrincipalName?: string; displayName?: string }>(
          `${appPath(appObjectId)}/owners?$select=displayName,userPrincipalName`,
        ),
      );
      return owners.map((o) => o.userPrincipalName ?? o.displayName ?? '').filter(Boolean);
    },
    listApplications: () =>
      graphCall(() => graph.listAll<GraphApplication>(`/v1.0/applications?${APP_SELECT}&$top=999`)),
    passwordLifetimeCapDays: (appObjectId) => policyCap(appObjectId, 'password'),
    keyLifetimeCapDays: (appObjectId) => policyCap(appObjectId, 'key'),
    async addPassword(appObjectId, displayName, endDateTime) {
      const body = await graphCall(() =>
        graph.request('POST', `${appPath(appObjectId)}/addPassword`, {
          passwordCredential: { displayName, endDateTime },
        }),
      );
      const {
        keyId,
        secretText,
        endDateTime: end,
      } = body as { keyId?: unknown; secretText?: unknown; endDateTime?: unknown };
      if (typeof keyId !== 'string' || typeof secretText !== 'string' || typeof end !== 'string') {
        throw new CloudCallError('graph', 502, 'UnexpectedAddPasswordAnswer');
      }
      return { keyId, secretText, endDateTime: end };
    },
    async removePassword(appObjectId, keyId) {
      await graphCall(() => graph.request('POST', `${appPath(appObjectId)}/removePassword`, { keyId }));
    },
    async mayWriteCredentials(appObjectId) {
      // Removing a key id that cannot exist changes nothing: a 400 means the identity may write, a 403 that it may not.
      try {
        await graphCall(() => graph.request('POST', `${appPath(appObjectId)}/removePassword`, { keyId: randomUUID() }));
        return true;
      } catch (error) {
        if (error instanceof CloudCallError && error.statusCode === 403) return false;
        if (error instanceof CloudCallError && (error.statusCode === 400 || error.statusCode === 404)) return true;
        throw error;
      }
    },
    async mayWriteSecret(target) {
      // Updating a version that cannot exist changes nothing: Key Vault checks permission first (403), then 404.
      try {
        await vaultCall(() => secrets(target.vaultUri).updateSecretProperties(target.secretName, '0'.repeat(32), {}));
        return true;
      } catch (error) {
        if (error instanceof CloudCallError && error.statusCode === 403) return false;
        if (error instanceof CloudCallError && error.statusCode === 404) return true;
        throw error;
      }
    },
    async setSecret(target, value, expiresOn, tags) {
      const written = await vaultCall(() =>
        secrets(target.vaultUri).setSecret(target.secretName, value, { expiresOn, tags }),
      );
      return written.properties.version ?? '';
    },
    async versionTagged(target, tags) {
      return vaultCall(async () => {
        try {
          for await (const p of secrets(target.vaultUri).listPropertiesOfSecretVersions(target.secretName)) {
            const t = p.tags ?? {};
            if (Object.entries(tags).every(([k, v]) => t[k] === v)) return p.version ?? null;
          }
        } catch (error) {
          if (statusOf(error) === 404) return null;
          throw error;
        }
        return null;
      });
    },
    async secretValue(target, version) {
      const secret = await vaultCall(() => secrets(target.vaultUri).getSecret(target.secretName, { version }));
      if (typeof secret.value !== 'string') throw new CloudCallError('keyvault', 404, 'SecretValueMissing');
      return secret.value;
    },
    async valueStartsWith(vaultUri, name, hint) {
      try {
        const secret = await secrets(vaultUri).getSecret(name);
        return hint.length > 0 && typeof secret.value === 'string' && secret.value.startsWith(hint);
      } catch {
        return false;
      }
    },
    async listSecrets(vaultUri) {
      const out: VaultSecretMeta[] = [];
      await vaultCall(async () => {
        for await (const p of secrets(vaultUri).listPropertiesOfSecrets()) {
          if (!p.managed) {
            out.push({ name: p.name, tags: p.tags ?? {}, expiresOn: p.expiresOn?.toISOString() ?? null });
          }
        }
      });
      return out;
    },
  };
}
