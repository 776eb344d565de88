import { readAppSetting } from '../config/app-settings';
import { cloudSettingsFromEnv, createCloudClients } from '../cloud/cloud-clients';
import { azureCredential } from '../runtime/azure-credential';
import type { StorageClients } from '../runtime/storage-clients';
import type { Clock } from '../time/clock';
import { AuditSigningError } from './audit-errors';
import { AUDIT_EXPORTS_CONTAINER } from './audit-export';
import { createAuditService, type AuditService } from './audit-service';
import { createKeyVaultAuditSigner, type AuditSigner } from './audit-signer';

export const AUDIT_TABLE = 'AuditLog';

/** What the audit service is built from; the composition root (shared/runtime/runtime.ts) supplies it once. */
export interface AuditWiring {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly storage: () => StorageClients;
}

/** The audit service over the app's storage, its audit evidence account and its Key Vault signing key. */
export async function createAppAuditService(wiring: AuditWiring): Promise<AuditService> {
  const storage = wiring.storage();
  const tenantId = readAppSetting('AZURE_TENANT_ID', wiring.env) || 'local';
  return createAuditService({
    table: await storage.table(AUDIT_TABLE),
    exportsContainer: auditExportsContainer(wiring.env, storage),
    clock: wiring.clock,
    signer: auditSignerFromEnv(wiring.env, wiring.clock),
    tenant: { id: tenantId, name: `Azure tenant ${tenantId}` },
  });
}

/** The `audit-exports` container: audit exports, checkpoints and compliance evidence packages are written there. */
export function auditExportsContainer(env: NodeJS.ProcessEnv, storage: StorageClients) {
  return auditBlobService(env, storage).getContainerClient(AUDIT_EXPORTS_CONTAINER);
}

/**
 * Exports and checkpoints go to AUDIT_STORAGE_ACCOUNT_NAME in Azure: an account of their own whose locked
 * immutability policy the app's role there (Blob Data Contributor on the container) cannot delete or change,
 * unlike the Blob Data Owner the Functions host needs on the main account. Locally, the one Azurite account.
 */
function auditBlobService(env: NodeJS.ProcessEnv, storage: StorageClients) {
  const account = readAppSetting('AUDIT_STORAGE_ACCOUNT_NAME', env);
  if (!account) return storage.blobService();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BlobServiceClient } = require('@azure/storage-blob') as typeof import('@azure/storage-blob');
  return new BlobServiceClient(`https://${account}.blob.core.windows.net`, azureCredential(env));
}

/** The Key Vault signer named by AUDIT_SIGNING_KEY_ID (`https://<vault>/keys/<name>`). */
export function auditSignerFromEnv(env: NodeJS.ProcessEnv, clock: Clock): AuditSigner {
  const keyId = readAppSetting('AUDIT_SIGNING_KEY_ID', env);
  const match = /^(https:\/\/[^/?#]+)\/keys\/([A-Za-z0-9-]{1,127})\/?$/.exec(keyId);
  if (!match?.[1] || !match[2]) {
    const refuse = (): Promise<never> =>
      Promise.reject(new AuditSigningError('AUDIT_SIGNING_KEY_ID is not a versionless Key Vault key identifier'));
    return { sign: refuse, publicKey: refuse };
  }
  const clients = createCloudClients(cloudSettingsFromEnv(env), azureCredential(env));
  return createKeyVaultAuditSigner({
    keyName: match[2],
    keys: clients.keys(match[1]),
    cryptography: (versionedKeyId) => clients.cryptography(versionedKeyId),
    clock,
  });
}
