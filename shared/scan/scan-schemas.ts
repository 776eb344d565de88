import { z } from 'zod';
import { expiringSeverities } from '../inventory/expiring';
import { itemTypes } from '../inventory/inventory-item';
import { severities } from '../inventory/severity';
import { unitOutcomes } from './scan-progress';
import { scanModes } from './scan-types';

const iso = z.string().max(40);
const name = z.string().max(256);
const id = z.string().max(400);
const count = z.number().int().min(0);
const severityCounts = z.object(
  Object.fromEntries(severities.map((s) => [s, count])) as Record<(typeof severities)[number], typeof count>,
);
const outcomeCounts = z.object(
  Object.fromEntries(unitOutcomes.map((o) => [o, count])) as Record<(typeof unitOutcomes)[number], typeof count>,
);
const limitQuery = z.coerce.number().int().min(1).max(500);
const tokenQuery = z.string().trim().min(1).max(2000);
const filterText = z.string().trim().min(1).max(200);

// VaultGuard360 shapes (seeds: API reference), field for field.
export const triggerResponseSchema = z.object({ message: z.string(), correlationId: z.string(), scanId: z.string() });

export const statsSchema = z.object({
  totalItems: count,
  warning: count,
  severe: count,
  critical: count,
  expired: count,
  lastScanAt: iso.nullable(),
  vaultCount: count,
  subscriptionCount: count,
});

export const scanSummarySchema = z.object({
  scanId: z.string(),
  timestamp: iso,
  subscriptionsScanned: count,
  vaultsFound: count,
  itemsScanned: count,
  warning: count,
  severe: count,
  critical: count,
  expired: count,
  durationSeconds: count,
});
export const scansResponseSchema = z.object({ scans: z.array(scanSummarySchema) });

export const expiringItemSchema = z.object({
  itemName: name,
  vaultName: name.nullable(),
  subscriptionName: name.nullable(),
  itemType: z.enum(itemTypes),
  expiresAt: iso,
  daysRemaining: z.number().int(),
  severity: z.enum(expiringSeverities),
  id,
});
export const expiringItemsQuerySchema = z
  .object({
    severity: z.enum(expiringSeverities).optional(),
    type: z.enum(itemTypes).optional(),
    vault: filterText.optional(),
    subscription: filterText.optional(),
    limit: limitQuery.optional(),
    continuationToken: tokenQuery.optional(),
  })
  .strict();
export const expiringItemsResponseSchema = z.object({
  items: z.array(expiringItemSchema),
  continuationToken: z.string().optional(),
});

export const subscriptionsResponseSchema = z.object({
  subscriptions: z.array(
    z.object({
      subscriptionId: z.string(),
      subscriptionName: name,
      tenantId: z.string(),
      /** ARM's subscription state; Disabled and Deleted subscriptions are listed but not scanned. */
      state: z.string().max(20),
    }),
  ),
});

export const vaultAccessStates = ['ok', 'forbidden', 'firewalled', 'throttled', 'failed', 'notScanned'] as const;
export const vaultAccessSchema = z.object({
  subscriptionId: z.string(),
  vaultName: name,
  accessState: z.enum(vaultAccessStates),
  deniedKinds: z.array(z.string()),
  /** The Azure portal's access-control blade of the vault, where the missing role is granted. */
  grantAccessUrl: z.string().nullable(),
  missingRole: z.string().nullable(),
});
export const permissionStatusSchema = z.object({
  subscriptions: z.array(
    z.object({
      subscriptionId: z.string(),
      subscriptionName: name,
      hasKeyVaultAccess: z
        .boolean()
        .describe(
          'The identity can list the vaults (ARM read) and no vault refused it for a missing role or access policy. ' +
            'Firewalled and failed vaults are reported in `vaults`.',
        ),
      vaultCount: count,
    }),
  ),
  totalAccessible: count,
  totalSubscriptions: count,
  vaults: z.array(vaultAccessSchema),
});

// CertifyClouds discovery shapes.
export const discoveryScanRequestSchema = z
  .object({
    mode: z.enum(scanModes).default('full'),
    subscriptions: z.array(z.string().trim().min(1).max(100)).max(1000).optional(),
  })
  .strict();

const unitSchema = z.object({
  unitKey: z.string(),
  kind: z.enum(['vault', 'directory']),
  outcome: z.enum(unitOutcomes),
  subscriptionId: z.string().nullable(),
  vaultName: name.nullable(),
  items: count,
  removed: count,
  deniedKinds: z.array(z.string()),
  errorCode: z.string().nullable(),
  throttledResponses: count,
  requests: count,
  finishedAt: iso,
});

export const discoveryScanSchema = z.object({
  scanId: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  errorCode: z.string().nullable().optional(),
  mode: z.enum(scanModes),
  trigger: z.string(),
  correlationId: z.string(),
  startedAt: iso,
  completedAt: iso.nullable(),
  durationSeconds: count.nullable(),
  progress: z.object({ planned: z.boolean(), vaultsDone: count, vaultsTotal: count }),
  subscriptionsFound: count,
  subscriptionsScanned: count,
  subscriptionsSkipped: z.array(z.object({ subscriptionId: z.string(), displayName: name })),
  vaultsFound: count,
  vaultsCarriedOver: count,
  itemsScanned: count,
  itemsLeftOut: count,
  counts: severityCounts,
  outcomes: outcomeCounts,
});
export const discoveryScanDetailSchema = discoveryScanSchema.extend({ units: z.array(unitSchema) });
export const discoveryScansQuerySchema = z
  .object({ limit: limitQuery.default(20), offset: z.coerce.number().int().min(0).max(100_000).default(0) })
  .strict();
export const discoveryScansResponseSchema = z.object({
  scans: z.array(discoveryScanSchema),
  total: count,
  limit: count,
  offset: count,
});
export const discoveryStartResponseSchema = z.object({
  scanId: z.string(),
  status: z.string(),
  started: z.boolean(),
  mode: z.enum(scanModes),
});

export const assetStatuses = ['healthy', 'warning', 'critical', 'expired', 'noExpiry', 'severe'] as const;
export const assetSchema = z.object({
  id,
  name,
  type: z.enum(itemTypes),
  status: z.enum(severities),
  source: z.string(),
  vaultName: name.nullable(),
  subscriptionId: z.string().nullable(),
  subscriptionName: name.nullable(),
  appId: z.string().nullable(),
  appDisplayName: name.nullable(),
  enabled: z.boolean(),
  expiresOn: iso.nullable(),
  daysRemaining: z.number().int().nullable(),
});
export const assetDetailSchema = assetSchema.extend({
  version: z.string().nullable(),
  notBefore: iso.nullable(),
  createdOn: iso.nullable(),
  updatedOn: iso.nullable(),
  contentType: z.string().max(256).nullable(),
  tags: z.record(z.string(), z.string()),
  vaultTags: z.record(z.string(), z.string()),
  thumbprint: z.string().max(128).nullable(),
  issuer: z.string().max(1024).nullable(),
  subject: z.string().max(1024).nullable(),
  keyType: z.string().max(32).nullable(),
  keySize: z.number().int().nullable(),
  lastSeenScanId: z.string(),
});
export const assetsQuerySchema = z
  .object({
    type: z.enum(itemTypes).optional(),
    status: z.enum(severities).optional(),
    vault: filterText.optional(),
    subscription: filterText.optional(),
    limit: limitQuery.default(100),
    continuationToken: tokenQuery.optional(),
  })
  .strict();
export const assetsResponseSchema = z.object({
  assets: z.array(assetSchema),
  continuationToken: z.string().optional(),
});

export const discoveryVaultsResponseSchema = z.object({
  vaults: z.array(
    vaultAccessSchema.extend({
      subscriptionName: name,
      resourceGroup: name,
      location: z.string(),
      itemCount: count,
      /** Items the tier's item limit left out of monitoring at the last evaluation. */
      itemsLeftOut: count,
      counts: z.record(z.string(), count),
      lastScanId: z.string().nullable(),
      lastScannedAt: iso.nullable(),
      errorCode: z.string().nullable(),
      tags: z.record(z.string(), z.string()),
    }),
  ),
});

export const idParamsSchema = z.object({ id: z.string().trim().min(1).max(400) });
