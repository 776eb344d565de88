import { readAppSetting } from '../config/app-settings';
import type { Runtime } from '../runtime/runtime';
import { AUDIT_EXPORTS_CONTAINER } from './audit-export';
import { createAuditService, type AuditService } from './audit-service';

export const AUDIT_TABLE = 'AuditLog';

const services = new WeakMap<Runtime, Promise<AuditService>>();

/**
 * The audit service of a runtime, built once from its storage clients and app settings. It lives here until
 * the composition root (shared/runtime/runtime.ts) takes it over as `runtime.audit`.
 */
export function auditService(runtime: Runtime): Promise<AuditService> {
  let service = services.get(runtime);
  if (!service) {
    service = build(runtime);
    service.catch(() => services.delete(runtime));
    services.set(runtime, service);
  }
  return service;
}

async function build(runtime: Runtime): Promise<AuditService> {
  const storage = runtime.storage();
  const tenantId = readAppSetting('AZURE_TENANT_ID', runtime.env) || 'local';
  return createAuditService({
    table: await storage.table(AUDIT_TABLE),
    exportsContainer: storage.blobService().getContainerClient(AUDIT_EXPORTS_CONTAINER),
    clock: runtime.clock,
    hmacKey: readAppSetting('AUDIT_HMAC_KEY', runtime.env),
    tenant: { id: tenantId, name: `Azure tenant ${tenantId}` },
  });
}
