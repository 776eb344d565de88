import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createAuditService, type AuditService } from '../../shared/audit/audit-service';
import type { AuditSigner } from '../../shared/audit/audit-signer';
import { signedBytes } from '../../shared/audit/verify/audit-manifest';
import { readAuditPublicKey } from '../../shared/audit/verify/audit-public-key';
import { fixedClock, type Clock } from '../../shared/time/clock';

/**
 * Stand-in for the Key Vault signer in service-level tests (an in-process RSA key signing the same bytes the
 * same way); the host tests sign through the simulator's Key Vault.
 */
const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const TEST_PUBLIC_KEY_PEM = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
export const TEST_PUBLIC_KEY = readAuditPublicKey(TEST_PUBLIC_KEY_PEM);
const testSigner: AuditSigner = {
  sign<T extends { readonly signature: unknown }>(unsigned: Omit<T, 'signature'>): Promise<T> {
    const header = {
      algorithm: 'RS256' as const,
      keyId: TEST_PUBLIC_KEY.keyId,
      keyVaultKeyId: `https://kv.test/keys/audit-signing/${createHash('md5').update(TEST_PUBLIC_KEY_PEM).digest('hex')}`,
    };
    const value = sign('sha256', signedBytes({ ...unsigned, signature: header }), pair.privateKey).toString('base64');
    return Promise.resolve({ ...unsigned, signature: { ...header, value } } as unknown as T);
  },
  publicKey: () => Promise.reject(new Error('not used by the service tests')),
};
export const TENANT = { id: '11111111-2222-3333-4444-555555555555', name: 'Contoso Test' };

/** One Azurite per test file; each test gets its own table and container so chains never mix. */
export interface AuditFixture {
  readonly azurite: RunningAzurite;
  tableClient(name: string): TableClient;
  container(name: string): ContainerClient;
  service(options: { table: string; container: string; clock?: Clock }): AuditService;
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}${process.pid}x${counter}`;
}

export async function startAuditFixture(): Promise<AuditFixture> {
  const azurite = await startAzurite();
  const allowInsecure = { allowInsecureConnection: true };
  return {
    azurite,
    tableClient: (name) => TableClient.fromConnectionString(azurite.connectionString, name, allowInsecure),
    container: (name) => BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name),
    service({ table, container, clock }) {
      return createAuditService({
        table: TableClient.fromConnectionString(azurite.connectionString, table, allowInsecure),
        exportsContainer: BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
          container,
        ),
        clock: clock ?? fixedClock(new Date('2026-11-22T10:00:00.000Z')),
        signer: testSigner,
        tenant: TENANT,
      });
    },
  };
}
