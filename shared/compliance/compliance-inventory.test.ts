import type { InventoryItem } from '../inventory/inventory-item';
import type { SubscriptionRow, VaultRow } from '../scan/estate-store';
import { builtInRules } from './builtin-rules';
import { activeRules, evaluateRules } from './compliance-engine';
import { buildComplianceInventory, type InventorySources } from './compliance-inventory';
import { inventoryItem } from '../../dev/fixtures/inventory-fixture';

const NOW = new Date('2026-06-01T00:00:00Z');
const day = (n: number): string => new Date(NOW.getTime() + n * 86_400_000).toISOString();

const sub: SubscriptionRow = {
  subscriptionId: 'sub-1',
  subscriptionName: 'Sub 1',
  tenantId: 't',
  included: true,
  armAccess: true,
  vaultCount: 1,
  lastSeenScanId: 's',
};
const vault = (name: string, patch: Partial<VaultRow> = {}): VaultRow => ({
  subscriptionId: 'sub-1',
  subscriptionName: 'Sub 1',
  vaultName: name,
  vaultId: `/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
  vaultUri: '',
  resourceGroup: 'rg',
  location: 'westeurope',
  tags: {},
  rbac: true,
  networkRestricted: false,
  lastOutcome: 'ok',
  lastScanId: 's',
  lastScannedAt: null,
  lastOkAt: null,
  deniedKinds: [],
  errorCode: null,
  itemCount: 1,
  itemsLeftOut: 0,
  bySeverity: {},
  ...patch,
});
const armPosture = {
  sku: 'standard',
  softDeleteEnabled: true,
  softDeleteRetentionDays: 90,
  purgeProtectionEnabled: true,
  rbacAuthorization: true,
  publicNetworkAccess: 'Disabled',
  networkDefaultAction: 'Deny',
  trustedServicesBypass: true,
  privateEndpointCount: 1,
};
const item = (partition: string, row: string, patch: Partial<InventoryItem>): InventoryItem =>
  inventoryItem(partition, row, {
    name: row,
    expiresOn: day(100),
    createdOn: day(-10),
    updatedOn: day(-10),
    subscriptionId: 'sub-1',
    subscriptionName: 'Sub 1',
    ...patch,
  });

type Row = Readonly<Record<string, unknown>>;
const postureOf = (entries: [string, Map<string, Row>][]): InventorySources['posture'] => new Map(entries);

function run(src: Partial<InventorySources>) {
  const inventory = buildComplianceInventory({
    subscriptions: [sub],
    vaults: [],
    posture: new Map(),
    items: [],
    unreachablePartitions: [],
    now: NOW,
    ...src,
  });
  const { results } = evaluateRules(inventory, activeRules(new Map(), []), {
    budgetMs: 1e9,
    nowMs: () => 0,
    keep: new Set(['passed', 'failed', 'notEvaluated']),
  });
  return (ruleId: string) => results.filter((r) => r.ruleId === ruleId).map((r) => `${r.ref.name}:${r.outcome}`);
}

describe('facts the scan could not read are "not evaluated", never passed', () => {
  it('unknown Defender plan, diagnostics, rotation policy and owners', () => {
    const outcome = run({
      vaults: [vault('kv')],
      posture: postureOf([
        ['sub-1_kv', new Map([['vault', { ...armPosture, diagnosticsKnown: false, diagnosticLogsEnabled: false }]])],
        [
          'entra_t',
          new Map([
            [
              'app_o1',
              { appId: 'a1', displayName: 'App', signInAudience: 'AzureADMyOrg', ownersKnown: false, ownerCount: 0 },
            ],
          ]),
        ],
      ]),
      items: [item('sub-1_kv', 'key_k', { type: 'key', keyType: 'RSA', keySize: 2048 })],
    });
    expect(outcome('KW-KV-014')).toEqual(['Sub 1:notEvaluated']);
    expect(outcome('KW-KV-013')).toEqual(['kv:notEvaluated']);
    expect(outcome('KW-KV-015')).toEqual(['key_k:notEvaluated']);
    expect(outcome('KW-KV-016')).toEqual(['key_k:passed']);
    expect(outcome('KW-APP-005')).toEqual(['App:notEvaluated']);
  });

  it('a vault the scan could not read: its items are left out and every item rule is not evaluated for it', () => {
    const outcome = run({
      vaults: [vault('kv', { lastOutcome: 'forbidden', deniedKinds: ['secrets', 'keys', 'certificates'] })],
      posture: postureOf([
        ['sub-1_kv', new Map([['vault', { ...armPosture, diagnosticsKnown: true, diagnosticLogsEnabled: true }]])],
      ]),
      items: [item('sub-1_kv', 'secret_stale', { expiresOn: day(-3) })],
      unreachablePartitions: ['sub-1_kv'],
    });
    const itemRules = builtInRules.filter((r) =>
      r.scopes.some((s) => s === 'secret' || s === 'key' || s === 'certificate'),
    );
    for (const rule of itemRules)
      expect({ rule: rule.id, results: outcome(rule.id) }).toEqual({ rule: rule.id, results: ['kv:notEvaluated'] });
    // Its ARM configuration is still known (the plan reads it without a data-plane role).
    expect(outcome('KW-KV-009')).toEqual(['kv:passed']);
  });

  it('a firewalled vault keeps its secrets (read through ARM) but its keys and certificates are unknown', () => {
    const outcome = run({
      vaults: [vault('kv', { lastOutcome: 'firewalled', deniedKinds: ['secrets', 'keys', 'certificates'] })],
      posture: postureOf([['sub-1_kv', new Map([['vault', armPosture]])]]),
      items: [item('sub-1_kv', 'secret_s', {}), item('sub-1_kv', 'key_k', { type: 'key', expiresOn: null })],
    });
    expect(outcome('KW-KV-001')).toEqual(['secret_s:passed']);
    expect(outcome('KW-KV-003')).toEqual(['kv:notEvaluated']);
  });

  it('a vault without ARM posture is not evaluated for the vault rules; an unreadable directory for the app rules', () => {
    const outcome = run({
      vaults: [vault('kv')],
      items: [
        item('entra_t', 'appsecret_app_o1_k1', {
          type: 'appSecret',
          source: 'graph',
          appObjectId: 'o1',
          expiresOn: day(-1),
          notBefore: day(-30),
        }),
      ],
      unreachablePartitions: ['entra_t'],
    });
    for (const id of ['KW-KV-008', 'KW-KV-009', 'KW-KV-010', 'KW-KV-011', 'KW-KV-012', 'KW-KV-013'])
      expect(outcome(id)).toEqual(['kv:notEvaluated']);
    for (const id of ['KW-APP-001', 'KW-APP-002', 'KW-APP-005'])
      expect(outcome(id)).toEqual(['App registrations:notEvaluated']);
  });

  it('derives days, validity and self-signed from the stored metadata', () => {
    const outcome = run({
      vaults: [vault('kv', { tags: {} })],
      posture: postureOf([['sub-1_kv', new Map([['vault', armPosture]])]]),
      items: [
        item('sub-1_kv', 'certificate_c', {
          type: 'certificate',
          notBefore: day(-400),
          expiresOn: day(10),
          issuer: 'CN=x',
          subject: 'CN = x',
        }),
        item('sub-1_kv', 'secret_old', { updatedOn: null, createdOn: day(-400) }),
        item('sub-1_kv', 'secret_soon', { expiresOn: new Date(NOW.getTime() + 1.9 * 86_400_000).toISOString() }),
      ],
    });
    expect(outcome('KW-KV-017')).toEqual(['certificate_c:failed']);
    expect(outcome('KW-KV-019')).toEqual(['secret_old:failed', 'secret_soon:passed']);
    // 1.9 days left counts as 1 whole day: expiring within the default 30.
    expect(outcome('KW-KV-007')).toEqual(['secret_old:passed', 'secret_soon:failed', 'certificate_c:failed']);
    expect(outcome('KW-KV-018')).toEqual([]); // not a production-tagged vault
  });
});
