import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { ManagedIdentityCredential } from '@azure/identity';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { startAzureSim, type RunningAzureSim } from '../../dev/azure-sim/azure-sim';
import { simKeyVaultOptions, useSimIdentityEnv } from '../../dev/azure-sim/azure-sim-clients';
import { KEYWARD_VAULT, NO_ESTATE_TENANT } from '../../dev/azure-sim/keyward-vault';
import { createAuditService, type AuditService } from '../../shared/audit/audit-service';
import { createKeyVaultAuditSigner, type AuditSigner } from '../../shared/audit/audit-signer';
import type { AuditPublicKey } from '../../shared/audit/verify/audit-public-key';
import { readAuditPublicKey } from '../../shared/audit/verify/audit-public-key';
import { fixedClock, systemClock, type Clock } from '../../shared/time/clock';

export const TENANT = { id: '11111111-2222-3333-4444-555555555555', name: 'Contoso Test' };

/** One Azurite per test file; each test gets its own table and container so chains never mix. */
export interface AuditFixture {
  readonly azurite: RunningAzurite;
  /** The Azure simulator serving Keyward's vault, whose audit signing key signs (Key Vault Crypto User). */
  readonly sim: RunningAzureSim;
  /** The signer every service of the fixture uses: Key Vault signs through the real SDK. */
  readonly signer: AuditSigner;
  /** The published public key (PEM), as an auditor downloads it, and parsed for the verifier. */
  readonly publicKeyPem: string;
  readonly publicKey: AuditPublicKey;
  tableClient(name: string): TableClient;
  container(name: string): ContainerClient;
  service(options: { table: string; container: string; clock?: Clock }): AuditService;
  stop(): Promise<void>;
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}${process.pid}x${counter}`;
}

export async function startAuditFixture(): Promise<AuditFixture> {
  const azurite = await startAzurite();
  const sim = await startAzureSim({ tenant: NO_ESTATE_TENANT });
  const restoreEnv = useSimIdentityEnv(sim);
  const credential = new ManagedIdentityCredential();
  const options = simKeyVaultOptions(sim);
  const signer = createKeyVaultAuditSigner({
    keyName: KEYWARD_VAULT.auditSigningKey,
    keys: new KeyClient(sim.keywardVault.uri, credential, options),
    cryptography: (kid) => new CryptographyClient(kid, credential, options),
    clock: systemClock,
  });
  const publicKeyPem = (await signer.publicKey()).pem;
  const allowInsecure = { allowInsecureConnection: true };
  return {
    azurite,
    sim,
    signer,
    publicKeyPem,
    publicKey: readAuditPublicKey(publicKeyPem),
    async stop() {
      restoreEnv();
      await sim.stop();
      await azurite.stop();
    },
    tableClient: (name) => TableClient.fromConnectionString(azurite.connectionString, name, allowInsecure),
    container: (name) => BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name),
    service({ table, container, clock }) {
      return createAuditService({
        table: TableClient.fromConnectionString(azurite.connectionString, table, allowInsecure),
        exportsContainer: BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
          container,
        ),
        clock: clock ?? fixedClock(new Date('2026-11-22T10:00:00.000Z')),
        signer,
        tenant: TENANT,
      });
    },
  };
}
