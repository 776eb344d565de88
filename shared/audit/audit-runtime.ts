import { readAppSetting } from '../config/app-settings';
import type { StorageClients } from '../runtime/storage-clients';
import type { Clock } from '../time/clock';
import { AUDIT_EXPORTS_CONTAINER } from './audit-export';
import { createAuditService, type AuditService } from './audit-service';

export const AUDIT_TABLE = 'AuditLog';

/** What the audit service is built from; the composition root (shared/runtime/runtime.ts) supplies it once. */
export interface AuditWiring {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly storage: () => StorageClients;
}

/** The audit service over the app's storage and settings. */
export async function createAppAuditService(wiring: AuditWiring): Promise<AuditService> {
  const storage = wiring.storage();
  const tenantId = readAppSetting('AZURE_TENANT_ID', wiring.env) || 'local';
  return createAuditService({
    table: await storage.table(AUDIT_TABLE),
    exportsContainer: storage.blobService().getContainerClient(AUDIT_EXPORTS_CONTAINER),
    clock: wiring.clock,
    hmacKey: readAppSetting('AUDIT_HMAC_KEY', wiring.env),
    tenant: { id: tenantId, name: `Azure tenant ${tenantId}` },
  });
}
