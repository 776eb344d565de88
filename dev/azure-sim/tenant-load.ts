import { readFileSync } from 'node:fs';
import demo from './tenants/demo.json';
import { generateLargeTenant, type LargeTenantParams } from './tenant-large';
import { parseTenant, type Tenant, type TenantDocument } from './tenant-schema';

export type { LargeTenantParams } from './tenant-large';

/** Resolves the `tenant` option: a built-in name or a document, validated and with defaults applied. */
export function loadTenant(tenant: TenantDocument | 'demo' | 'large', large?: LargeTenantParams): Tenant {
  if (tenant === 'demo') return parseTenant(demo);
  if (tenant === 'large') return parseTenant(generateLargeTenant(large));
  return parseTenant(tenant);
}

/** Reads a CLI/`npm start` argument: `demo`, `large`, or the path of a tenant JSON document. */
export function tenantFromArgument(arg: string): TenantDocument | 'demo' | 'large' {
  if (arg === 'demo' || arg === 'large') return arg;
  return JSON.parse(readFileSync(arg, 'utf8')) as TenantDocument;
}
