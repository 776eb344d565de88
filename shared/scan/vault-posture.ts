import type { KeyClient } from '@azure/keyvault-keys';
import type { InventoryItem } from '../inventory/inventory-item';
import { createGate } from '../runtime/concurrency-gate';
import type { ClientExtras } from '../cloud/cloud-clients';
import type { ScanDeps } from './scan-deps';
import { statusCodeOf, withRetries, type RetryOptions } from './scan-retry';
import type { AppPosture, KeyRotation, SubscriptionPosture, VaultDiagnostics, VaultPosture } from './posture-store';

/**
 * What the compliance rules need beyond the inventory, collected by the scan (metadata only): vault properties from
 * the ARM list the plan already reads, diagnostic settings and key rotation policies per vault, the Defender for Key
 * Vault plan per subscription, app audiences and owners per directory. A read the identity is not allowed leaves the
 * field "unknown" (never "off"); any other failure is logged and leaves it unknown too — posture never fails a scan.
 */
const DIAGNOSTICS_API = '2021-05-01-preview';
const PRICINGS_API = '2024-01-01';
const POSTURE_CONCURRENCY = 4;

/** The vault properties the plan's ARM list returns (Microsoft.KeyVault 2026-02-01 VaultProperties). */
export interface ArmVaultProperties {
  readonly sku?: { readonly name?: string };
  readonly enableSoftDelete?: boolean;
  readonly softDeleteRetentionInDays?: number;
  readonly enablePurgeProtection?: boolean;
  readonly enableRbacAuthorization?: boolean;
  readonly publicNetworkAccess?: string;
  readonly networkAcls?: { readonly defaultAction?: string; readonly bypass?: string };
  readonly privateEndpointConnections?: readonly { readonly privateEndpoint?: unknown }[];
}

/** Defaults are ARM's: soft delete on unless false (since 2020), public access Enabled, default action Allow. */
export function postureFromArm(p: ArmVaultProperties): VaultPosture {
  return {
    sku: p.sku?.name ?? '',
    softDeleteEnabled: p.enableSoftDelete !== false,
    softDeleteRetentionDays: p.softDeleteRetentionInDays ?? 90,
    purgeProtectionEnabled: p.enablePurgeProtection === true,
    rbacAuthorization: p.enableRbacAuthorization === true,
    publicNetworkAccess: p.publicNetworkAccess ?? 'Enabled',
    networkDefaultAction: p.networkAcls?.defaultAction ?? 'Allow',
    trustedServicesBypass: /AzureServices/i.test(p.networkAcls?.bypass ?? ''),
    privateEndpointCount: p.privateEndpointConnections?.length ?? 0,
  };
}

/** One ARM GET through an SDK client's pipeline (credential, retries, budget); null when forbidden or absent. */
async function armGet(
  deps: Pick<ScanDeps, 'cloud'>,
  subscriptionId: string,
  path: string,
  extras: ClientExtras,
  retry: RetryOptions,
): Promise<Record<string, unknown> | null> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require('@azure/core-rest-pipeline') as typeof import('@azure/core-rest-pipeline');
  const { pipeline } = deps.cloud.keyVaultManagement(subscriptionId, extras);
  const { armEndpoint, caCertPem } = deps.cloud.settings;
  httpClient ??= core.createDefaultHttpClient();
  const client = httpClient;
  const response = await withRetries(async () => {
    const request = core.createPipelineRequest({
      url: `${armEndpoint}${path}`,
      method: 'GET',
      ...(caCertPem ? { tlsSettings: { ca: caCertPem } } : {}),
    });
    const r = await pipeline.sendRequest(client, request);
    if (r.status >= 500 || r.status === 429)
      throw Object.assign(new Error(`ARM ${r.status}`), { statusCode: r.status });
    return r;
  }, retry);
  if (response.status === 403 || response.status === 401 || response.status === 404) return null;
  if (response.status < 200 || response.status >= 300) throw new Error(`ARM answered ${response.status}`);
  return response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : {};
}

let httpClient: import('@azure/core-rest-pipeline').HttpClient | undefined;

/** A setting sends audit logs when it has a destination and enables AuditEvent or the audit/allLogs group. */
export function auditLogsEnabled(settings: readonly unknown[]): boolean {
  return settings.some((s) => {
    const p = (s as { properties?: Record<string, unknown> }).properties ?? {};
    const destination = ['workspaceId', 'storageAccountId', 'eventHubAuthorizationRuleId'].some(
      (k) => typeof p[k] === 'string' && p[k] !== '',
    );
    const logs = (p.logs as { category?: string; categoryGroup?: string; enabled?: boolean }[] | undefined) ?? [];
    return (
      destination &&
      logs.some(
        (l) => l.enabled === true && (l.category === 'AuditEvent' || /^(audit|allLogs)$/i.test(l.categoryGroup ?? '')),
      )
    );
  });
}

export async function readVaultDiagnostics(
  deps: Pick<ScanDeps, 'cloud'>,
  subscriptionId: string,
  vaultId: string,
  extras: ClientExtras,
  retry: RetryOptions,
): Promise<VaultDiagnostics> {
  const path = `${vaultId}/providers/Microsoft.Insights/diagnosticSettings?api-version=${DIAGNOSTICS_API}`;
  const body = await armGet(deps, subscriptionId, path, extras, retry);
  if (!body) return { diagnosticsKnown: false, diagnosticLogsEnabled: false };
  return { diagnosticsKnown: true, diagnosticLogsEnabled: auditLogsEnabled((body.value as unknown[]) ?? []) };
}

export async function readDefenderPlan(
  deps: Pick<ScanDeps, 'cloud'>,
  subscriptionId: string,
  extras: ClientExtras,
  retry: RetryOptions,
): Promise<SubscriptionPosture> {
  const path = `/subscriptions/${subscriptionId}/providers/Microsoft.Security/pricings/KeyVaults?api-version=${PRICINGS_API}`;
  const body = await armGet(deps, subscriptionId, path, extras, retry);
  if (!body) return { defenderKnown: false, defenderForKeyVault: false };
  const tier = (body.properties as { pricingTier?: string } | undefined)?.pricingTier ?? '';
  return { defenderKnown: true, defenderForKeyVault: tier.toLowerCase() === 'standard' };
}

/** Rotation policies of the vault's enabled keys (one data-plane GET each); a refused or missing one is unknown. */
export async function readKeyRotations(
  keys: KeyClient,
  items: readonly InventoryItem[],
  retry: RetryOptions,
): Promise<{ row: string; rotation: KeyRotation }[]> {
  const gate = createGate(POSTURE_CONCURRENCY);
  const wanted = items.filter((i) => i.type === 'key' && i.enabled && i.source === 'keyvault');
  return Promise.all(
    wanted.map((item) =>
      gate(async () => {
        try {
          const policy = await withRetries(() => keys.getKeyRotationPolicy(item.name), retry);
          const actions = policy.lifetimeActions ?? [];
          return {
            row: item.row,
            rotation: {
              rotationPolicyKnown: true,
              hasRotateAction: actions.some((a) => a.action.toLowerCase() === 'rotate'),
              rotationExpiryTime: policy.expiresIn ?? '',
            },
          };
        } catch (error) {
          const status = statusCodeOf(error);
          if (status !== 403 && status !== 404 && status !== 401) throw error;
          return {
            row: item.row,
            rotation: { rotationPolicyKnown: false, hasRotateAction: false, rotationExpiryTime: '' },
          };
        }
      }),
    ),
  );
}

/** Audience and owner count of every app registration (one owners call per app, `$select=id`). */
export async function readAppPosture(
  graph: ReturnType<ScanDeps['cloud']['graph']>,
  retry: RetryOptions,
): Promise<{ objectId: string; posture: AppPosture }[]> {
  const apps = await withRetries(
    () =>
      graph.listAll<{ id: string; appId?: string; displayName?: string | null; signInAudience?: string }>(
        '/v1.0/applications?$select=id,appId,displayName,signInAudience&$top=999',
      ),
    retry,
  );
  const gate = createGate(POSTURE_CONCURRENCY);
  return Promise.all(
    apps.map((app) =>
      gate(async () => {
        let owners: number | null = null;
        try {
          const list = await withRetries(
            () =>
              graph.listAll<{ id: string }>(
                `/v1.0/applications/${encodeURIComponent(app.id)}/owners?$select=id&$top=999`,
              ),
            retry,
          );
          owners = list.length;
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          if (status !== 403 && status !== 404) throw error;
        }
        return {
          objectId: app.id,
          posture: {
            appId: app.appId ?? '',
            displayName: app.displayName ?? '',
            signInAudience: app.signInAudience ?? '',
            ownersKnown: owners !== null,
            ownerCount: owners ?? 0,
          },
        };
      }),
    ),
  );
}

/** Runs a posture step; a failure is logged (code only) and leaves the fields as they were. */
export async function collectPosture(deps: Pick<ScanDeps, 'log'>, what: string, step: () => Promise<void>) {
  try {
    await step();
  } catch (error) {
    const code =
      (error as { code?: unknown; statusCode?: unknown }).code ?? (error as { statusCode?: unknown }).statusCode;
    deps.log.warn(
      `posture ${what} not collected (${typeof code === 'string' || typeof code === 'number' ? code : 'error'})`,
    );
  }
}

/**
 * The vault worker's part: diagnostic settings (ARM, readable even behind the vault firewall) and, when the keys
 * were listed, their rotation policies. Written with Merge beside the plan's ARM properties.
 */
export async function collectVaultPosture(
  deps: Pick<ScanDeps, 'cloud' | 'log' | 'posture'>,
  unit: { readonly unitKey: string; readonly subscriptionId: string; readonly vaultId: string },
  keys: KeyClient,
  listedKeys: readonly InventoryItem[] | null,
  armExtras: ClientExtras,
  retry: RetryOptions,
): Promise<void> {
  const store = deps.posture;
  if (!store) return;
  await collectPosture(deps, `diagnostics ${unit.unitKey}`, async () => {
    await store.putDiagnostics(
      unit.unitKey,
      await readVaultDiagnostics(deps, unit.subscriptionId, unit.vaultId, armExtras, retry),
    );
  });
  if (listedKeys) {
    await collectPosture(deps, `key rotation ${unit.unitKey}`, async () => {
      await store.putKeyRotations(unit.unitKey, await readKeyRotations(keys, listedKeys, retry));
    });
  }
}
