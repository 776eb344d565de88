import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from '../../dev/azurite/azurite';
import { createAuditService, type AuditService } from '../../shared/audit/audit-service';
import { fixedClock, type Clock } from '../../shared/time/clock';

export const TEST_HMAC_KEY = 'test-audit-hmac-key-4f9c2e7a1b3d5f60718293a4b5c6d7e8';
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
        hmacKey: TEST_HMAC_KEY,
        tenant: TENANT,
      });
    },
  };
}
