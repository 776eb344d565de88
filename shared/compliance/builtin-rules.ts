import type { CertificateFacts } from './compliance-facts';
import {
  defineRule,
  fail,
  intParam,
  listParam,
  pass,
  unknown,
  verdict,
  type AnyBuiltInRule,
  type CheckResult,
  type Evidence,
  type RuleSeverity,
} from './compliance-rule-types';

const itemScopes = ['secret', 'key', 'certificate'] as const;
/** JWK key_ops by purpose (RFC 7517 4.3; Key Vault's JsonWebKeyOperation also has `import`, which is neither). */
const SIGNING_OPS: ReadonlySet<string> = new Set(['sign', 'verify']);
const ENCRYPTION_OPS: ReadonlySet<string> = new Set(['encrypt', 'decrypt', 'wrapkey', 'unwrapkey']);
const expiryDays = { name: 'days', description: 'Days before expiry that count as expiring', type: 'int' } as const;

/**
 * Built-in rules, in id order. Ids are stable forever (KW-KV-nnn for Key Vault, KW-APP-nnn for app registrations):
 * never renumbered or reused; a retired rule stays here with `retired: true`. Checks follow Prowler's Key Vault
 * checks where one exists (only enabled objects; "expiry set" is a property check) — see docs/compliance.md.
 */
export const builtInRules: readonly AnyBuiltInRule[] = [
  expiryDateRule('KW-KV-001', 'secret', true, 'medium'),
  expiryDateRule('KW-KV-002', 'secret', false, 'medium'),
  expiryDateRule('KW-KV-003', 'key', true, 'medium'),
  expiryDateRule('KW-KV-004', 'key', false, 'high'),
  defineRule({
    id: 'KW-KV-005',
    title: 'Certificates have an expiration date',
    severity: 'medium',
    scopes: ['certificate'],
    rationale: 'Every certificate must expire; one whose expiry cannot be read is not evidence of a cryptoperiod.',
    remediation: {
      portal: 'Key Vault → Certificates → the certificate → Issuance Policy → set a validity period, then renew.',
      cli: 'az keyvault certificate set-attributes --vault-name <vault> --name <cert> --policy @policy.json',
    },
    evidence: ['enabled', 'hasExpiry'],
    params: [],
    check: (f) => (f.enabled ? verdict(f.hasExpiry, { hasExpiry: f.hasExpiry }) : null),
  }),
  defineRule({
    id: 'KW-KV-006',
    title: 'No enabled secret, key or certificate has expired',
    severity: 'critical',
    scopes: itemScopes,
    rationale: 'An expired credential that is still enabled is either an outage waiting to happen or unused clutter.',
    remediation: {
      portal: 'Key Vault → the item → New version (rotate), or disable the item if it is no longer used.',
      cli: 'az keyvault secret set --vault-name <vault> --name <name> --value <new> --expires <date>  (or set-attributes --enabled false)',
    },
    evidence: ['enabled', 'hasExpiry', 'daysToExpiry'],
    alerts: false,
    params: [],
    check: (f) => (f.enabled && f.hasExpiry ? verdict(f.daysToExpiry >= 0, { daysToExpiry: f.daysToExpiry }) : null),
  }),
  defineRule({
    id: 'KW-KV-007',
    title: 'No enabled secret, key or certificate expires within N days',
    severity: 'high',
    scopes: itemScopes,
    rationale: 'Credentials close to expiry need an owner to rotate them before they break their consumers.',
    remediation: {
      portal: 'Key Vault → the item → New version with a later expiration date.',
      cli: 'az keyvault secret set --vault-name <vault> --name <name> --value <new> --expires <date>',
    },
    evidence: ['enabled', 'hasExpiry', 'daysToExpiry'],
    alerts: false,
    params: [{ ...expiryDays, default: 30, min: 1, max: 365 }],
    check: (f, p) =>
      f.enabled && f.hasExpiry && f.daysToExpiry >= 0
        ? verdict(f.daysToExpiry > intParam(p, 'days'), { daysToExpiry: f.daysToExpiry, days: intParam(p, 'days') })
        : null,
  }),
  defineRule({
    id: 'KW-KV-008',
    title: 'Soft delete is enabled',
    severity: 'high',
    scopes: ['vault'],
    rationale: 'Soft delete keeps deleted vaults and objects recoverable for the retention period.',
    remediation: {
      portal: 'Key Vault → Properties → Soft-delete: enabled (on by default for new vaults since 2020).',
      cli: 'az keyvault update --name <vault> --enable-soft-delete true',
    },
    evidence: ['softDeleteEnabled', 'softDeleteRetentionDays'],
    params: [],
    check: (f) =>
      verdict(f.softDeleteEnabled, {
        softDeleteEnabled: f.softDeleteEnabled,
        softDeleteRetentionDays: f.softDeleteRetentionDays,
      }),
  }),
  defineRule({
    id: 'KW-KV-009',
    title: 'Purge protection is enabled',
    severity: 'high',
    scopes: ['vault'],
    rationale: 'Purge protection stops anyone, even an administrator, from purging a vault before its retention ends.',
    remediation: {
      portal: 'Key Vault → Properties → Purge protection → Enable purge protection.',
      cli: 'az keyvault update --name <vault> --enable-purge-protection true',
    },
    evidence: ['softDeleteEnabled', 'purgeProtectionEnabled'],
    params: [],
    check: (f) =>
      verdict(f.softDeleteEnabled && f.purgeProtectionEnabled, {
        softDeleteEnabled: f.softDeleteEnabled,
        purgeProtectionEnabled: f.purgeProtectionEnabled,
      }),
  }),
  defineRule({
    id: 'KW-KV-010',
    title: 'The vault uses Azure RBAC for data-plane authorization',
    severity: 'high',
    scopes: ['vault'],
    rationale: 'RBAC gives per-object, auditable, PIM-eligible access; access policies are vault-wide and coarse.',
    remediation: {
      portal: 'Key Vault → Access configuration → Permission model: Azure role-based access control.',
      cli: 'az keyvault update --name <vault> --enable-rbac-authorization true',
    },
    evidence: ['rbacAuthorization'],
    params: [],
    check: (f) => verdict(f.rbacAuthorization, { rbacAuthorization: f.rbacAuthorization }),
  }),
  defineRule({
    id: 'KW-KV-011',
    title: 'Public network access is disabled, or denied by default with trusted services bypass',
    severity: 'high',
    scopes: ['vault'],
    rationale: 'A vault reachable from any network relies on identity alone; network rules add a second barrier.',
    remediation: {
      portal: 'Key Vault → Networking → Public access: Disabled (or selected networks, allow trusted services).',
      cli: 'az keyvault update --name <vault> --public-network-access Disabled  (or --default-action Deny --bypass AzureServices)',
    },
    evidence: ['publicNetworkAccess', 'networkDefaultAction', 'trustedServicesBypass'],
    params: [],
    check: (f) =>
      verdict(
        f.publicNetworkAccess.toLowerCase() === 'disabled' ||
          (f.networkDefaultAction.toLowerCase() === 'deny' && f.trustedServicesBypass),
        {
          publicNetworkAccess: f.publicNetworkAccess,
          networkDefaultAction: f.networkDefaultAction,
          trustedServicesBypass: f.trustedServicesBypass,
        },
      ),
  }),
  defineRule({
    id: 'KW-KV-012',
    title: 'The vault has a private endpoint',
    severity: 'high',
    scopes: ['vault'],
    rationale: 'Private endpoints keep vault traffic on the Microsoft backbone and out of the public internet.',
    remediation: {
      portal: 'Key Vault → Networking → Private endpoint connections → + Create.',
      cli: 'az network private-endpoint create --name <pe> --resource-group <rg> --vnet-name <vnet> --subnet <subnet> --private-connection-resource-id <vaultId> --group-id vault --connection-name <name>',
    },
    evidence: ['privateEndpointCount'],
    params: [],
    check: (f) => verdict(f.privateEndpointCount > 0, { privateEndpointCount: f.privateEndpointCount }),
  }),
  defineRule({
    id: 'KW-KV-013',
    title: 'Diagnostic logging (AuditEvent) is enabled',
    severity: 'high',
    scopes: ['vault'],
    rationale: 'Without AuditEvent logs nobody can tell who read or changed a secret.',
    remediation: {
      portal: 'Key Vault → Diagnostic settings → Add diagnostic setting → audit (AuditEvent) → Log Analytics/storage.',
      cli: 'az monitor diagnostic-settings create --name audit --resource <vaultId> --workspace <workspaceId> --logs \'[{"category":"AuditEvent","enabled":true}]\'',
    },
    evidence: ['diagnosticsKnown', 'diagnosticLogsEnabled'],
    params: [],
    check: (f) =>
      ifKnown(f.diagnosticsKnown, 'diagnosticsKnown', f.diagnosticLogsEnabled, {
        diagnosticLogsEnabled: f.diagnosticLogsEnabled,
      }),
  }),
  defineRule({
    id: 'KW-KV-014',
    title: 'Microsoft Defender for Key Vault is on',
    severity: 'high',
    scopes: ['subscription'],
    rationale: 'Defender for Key Vault detects unusual access such as reads from TOR exit nodes or new principals.',
    remediation: {
      portal: 'Microsoft Defender for Cloud → Environment settings → the subscription → Key Vault: On.',
      cli: 'az security pricing create --name KeyVaults --tier Standard',
    },
    evidence: ['defenderKnown', 'defenderForKeyVault'],
    params: [],
    check: (f) =>
      ifKnown(f.defenderKnown, 'defenderKnown', f.defenderForKeyVault, { defenderForKeyVault: f.defenderForKeyVault }),
  }),
  defineRule({
    id: 'KW-KV-015',
    title: 'Keys have a rotation policy with a Rotate action and an expiry time',
    severity: 'high',
    scopes: ['key'],
    rationale: 'Automatic rotation enforces the cryptoperiod without a person remembering it.',
    remediation: {
      portal: 'Key Vault → Keys → the key → Rotation policy → enable auto-rotation and set an expiry time.',
      cli: 'az keyvault key rotation-policy update --vault-name <vault> --name <key> --value @policy.json',
    },
    evidence: ['rotationPolicyKnown', 'hasRotateAction', 'rotationExpiryTime'],
    params: [],
    check: (f) => {
      if (!f.enabled) return null;
      return ifKnown(f.rotationPolicyKnown, 'rotationPolicyKnown', f.hasRotateAction && f.rotationExpiryTime !== '', {
        hasRotateAction: f.hasRotateAction,
        rotationExpiryTime: f.rotationExpiryTime,
      });
    },
  }),
  defineRule({
    id: 'KW-KV-016',
    title: 'RSA keys are at least N bits and EC keys use an allowed curve (keys and certificates\u2019 keys)',
    severity: 'high',
    scopes: ['key', 'certificate'],
    rationale: 'Short RSA moduli and weak curves no longer give the security level their users assume.',
    remediation: {
      portal:
        'Key Vault → Keys → Generate a new key (RSA 3072/4096 or EC P-256/P-384), or Certificates → Issuance Policy → Advanced Policy Configuration → key type and size, then renew; move consumers to it.',
      cli: 'az keyvault key create --vault-name <vault> --name <key> --kty RSA --size 3072  (certificates: a policy with key_props.key_size 3072, then az keyvault certificate create)',
    },
    evidence: ['keyType', 'keySize'],
    params: [
      {
        name: 'minRsaBits',
        description: 'Smallest RSA modulus allowed',
        type: 'int',
        default: 2048,
        min: 1024,
        max: 8192,
      },
      { name: 'allowedCurveBits', description: 'EC curve sizes allowed', type: 'list', default: '256,384,521' },
    ],
    check: (f, p) => {
      if (!f.enabled || f.keyType.startsWith('oct')) return null;
      if (f.keyType === '' || f.keySize === 0) return unknown({ keyType: f.keyType, keySize: f.keySize });
      const ok = f.keyType.startsWith('RSA')
        ? f.keySize >= intParam(p, 'minRsaBits')
        : listParam(p, 'allowedCurveBits').includes(String(f.keySize));
      return verdict(ok, { keyType: f.keyType, keySize: f.keySize });
    },
  }),
  defineRule({
    id: 'KW-KV-017',
    title: 'Certificate validity is at most N days',
    severity: 'medium',
    scopes: ['certificate'],
    rationale: 'Public TLS certificates are capped at 397 days by the CA/Browser Forum; long validity delays rotation.',
    remediation: {
      portal: 'Key Vault → Certificates → Issuance Policy → Validity period (in months) → at most 12, then renew.',
      cli: 'az keyvault certificate set-attributes --vault-name <vault> --name <cert> --policy @policy.json',
    },
    evidence: ['validityDays'],
    params: [{ name: 'days', description: 'Longest validity allowed', type: 'int', default: 397, min: 1, max: 3650 }],
    check: (f, p) => {
      if (!f.enabled) return null;
      if (f.validityDays === 0) return unknown({ validityDays: 0 });
      return verdict(f.validityDays <= intParam(p, 'days'), {
        validityDays: f.validityDays,
        days: intParam(p, 'days'),
      });
    },
  }),
  defineRule({
    id: 'KW-KV-018',
    title: 'Certificates in production-tagged vaults are not self-signed',
    severity: 'medium',
    scopes: ['certificate'],
    rationale: 'Self-signed certificates cannot be revoked or trusted through a chain; production needs a CA.',
    remediation: {
      portal: 'Key Vault → Certificates → Issuance Policy → Certificate authority: an integrated or non-integrated CA.',
      cli: 'az keyvault certificate create --vault-name <vault> --name <cert> --policy @ca-policy.json',
    },
    evidence: ['vaultTags', 'issuer', 'subject', 'selfSigned'],
    params: [
      { name: 'tagName', description: 'Vault tag that marks production', type: 'list', default: 'env,environment' },
      {
        name: 'tagValues',
        description: 'Values of that tag meaning production',
        type: 'list',
        default: 'prod,production',
      },
    ],
    check: (f, p) => {
      if (!f.enabled || !isProduction(f, listParam(p, 'tagName'), listParam(p, 'tagValues'))) return null;
      if (!f.detailsKnown) return unknown({ detailsKnown: false });
      return verdict(!f.selfSigned, { selfSigned: f.selfSigned, issuer: f.issuer, subject: f.subject });
    },
  }),
  defineRule({
    id: 'KW-KV-019',
    title: 'Secrets have been updated within N days',
    severity: 'medium',
    scopes: ['secret'],
    rationale: 'A secret nobody has rotated for a long time has had a long time to leak.',
    remediation: {
      portal: 'Key Vault → Secrets → the secret → New version.',
      cli: 'az keyvault secret set --vault-name <vault> --name <secret> --value <new>',
    },
    evidence: ['daysSinceUpdate'],
    params: [
      { name: 'days', description: 'Longest time without a new version', type: 'int', default: 365, min: 1, max: 3650 },
    ],
    check: (f, p) => {
      if (!f.enabled) return null;
      if (f.daysSinceUpdate < 0) return unknown({ daysSinceUpdate: -1 });
      return verdict(f.daysSinceUpdate <= intParam(p, 'days'), {
        daysSinceUpdate: f.daysSinceUpdate,
        days: intParam(p, 'days'),
      });
    },
  }),
  defineRule({
    id: 'KW-KV-020',
    title: 'Keys allow the operations of one purpose only (signing, or encryption and key wrapping)',
    severity: 'low',
    scopes: ['key'],
    rationale:
      'A key used both to sign and to encrypt lets a weakness or misuse in one purpose compromise the other (NIST SP 800-57 Part 1, 5.2: one key, one purpose); Key Vault allows every operation unless key_ops narrows it.',
    remediation: {
      portal: 'Key Vault → Keys → the key → New version → Permitted operations: only what its consumers use.',
      cli: 'az keyvault key set-attributes --vault-name <vault> --name <key> --ops sign verify  (or encrypt decrypt wrapKey unwrapKey)',
    },
    evidence: ['keyOpsKnown', 'keyOps'],
    params: [],
    check: (f) => {
      if (!f.enabled) return null;
      const ops = f.keyOps.map((op) => op.toLowerCase());
      const signs = ops.some((op) => SIGNING_OPS.has(op));
      const encrypts = ops.some((op) => ENCRYPTION_OPS.has(op));
      return ifKnown(f.keyOpsKnown, 'keyOpsKnown', !(signs && encrypts), { keyOps: ops.join(',') });
    },
  }),
  defineRule({
    id: 'KW-APP-001',
    title: 'No app registration credential has expired',
    severity: 'high',
    scopes: ['appCredential'],
    rationale: 'Expired client secrets and certificates break sign-in and are clutter an attacker can hide behind.',
    remediation: {
      portal: 'Entra ID → App registrations → the app → Certificates & secrets → remove the expired credential.',
      cli: 'az ad app credential delete --id <appId> --key-id <keyId>',
    },
    evidence: ['hasEndDate', 'daysToExpiry'],
    alerts: false,
    params: [],
    check: (f) => (f.hasEndDate ? verdict(f.daysToExpiry >= 0, { daysToExpiry: f.daysToExpiry }) : null),
  }),
  defineRule({
    id: 'KW-APP-002',
    title: 'No app registration credential expires within N days',
    severity: 'high',
    scopes: ['appCredential'],
    rationale: 'A credential about to expire breaks the application that signs in with it.',
    remediation: {
      portal:
        'Entra ID → App registrations → the app → Certificates & secrets → New client secret, then update the app.',
      cli: 'az ad app credential reset --id <appId> --append --years 1',
    },
    evidence: ['hasEndDate', 'daysToExpiry'],
    alerts: false,
    params: [{ ...expiryDays, default: 30, min: 1, max: 365 }],
    check: (f, p) =>
      f.hasEndDate && f.daysToExpiry >= 0
        ? verdict(f.daysToExpiry > intParam(p, 'days'), { daysToExpiry: f.daysToExpiry, days: intParam(p, 'days') })
        : null,
  }),
  defineRule({
    id: 'KW-APP-003',
    title: 'App registration credentials have a real end date',
    severity: 'medium',
    scopes: ['appCredential'],
    rationale:
      'A credential without an end date, or one decades away (the portal\u2019s old "never expires" is 2299), never forces rotation.',
    remediation: {
      portal: 'Entra ID → App registrations → the app → Certificates & secrets → replace it with one that expires.',
      cli: 'az ad app credential reset --id <appId> --append --end-date <yyyy-mm-dd>',
    },
    evidence: ['hasEndDate', 'daysToExpiry'],
    params: [
      {
        name: 'maxDays',
        description: 'An end date further away than this counts as never',
        type: 'int',
        default: 18250,
        min: 365,
        max: 100000,
      },
    ],
    check: (f, p) =>
      verdict(f.hasEndDate && f.daysToExpiry <= intParam(p, 'maxDays'), {
        hasEndDate: f.hasEndDate,
        daysToExpiry: f.daysToExpiry,
      }),
  }),
  defineRule({
    id: 'KW-APP-004',
    title: 'App registration credentials are valid for at most N days',
    severity: 'medium',
    scopes: ['appCredential'],
    rationale:
      'Long-lived client secrets are the most common leaked cloud credential; short lifetimes limit the damage.',
    remediation: {
      portal:
        'Entra ID → App registrations → the app → Certificates & secrets → New client secret with a shorter expiry.',
      cli: 'az ad app credential reset --id <appId> --append --years 1',
    },
    evidence: ['lifetimeDays'],
    params: [{ name: 'days', description: 'Longest lifetime allowed', type: 'int', default: 365, min: 1, max: 36500 }],
    check: (f, p) =>
      f.lifetimeDays > 0
        ? verdict(f.lifetimeDays <= intParam(p, 'days'), { lifetimeDays: f.lifetimeDays, days: intParam(p, 'days') })
        : null,
  }),
  defineRule({
    id: 'KW-APP-005',
    title: 'App registrations have at least one owner',
    severity: 'medium',
    scopes: ['app'],
    rationale: 'An app without owners has nobody to rotate its credentials or answer for its permissions.',
    remediation: {
      portal: 'Entra ID → App registrations → the app → Owners → Add owners.',
      cli: 'az ad app owner add --id <appId> --owner-object-id <userObjectId>',
    },
    evidence: ['ownersKnown', 'ownerCount'],
    params: [],
    check: (f) => ifKnown(f.ownersKnown, 'ownersKnown', f.ownerCount > 0, { ownerCount: f.ownerCount }),
  }),
  defineRule({
    id: 'KW-APP-006',
    title: 'App registrations do not hold both client secrets and certificates',
    severity: 'low',
    scopes: ['app'],
    rationale: 'An app that has moved to certificates should drop its secrets; keeping both doubles what can leak.',
    remediation: {
      portal: 'Entra ID → App registrations → the app → Certificates & secrets → delete the client secrets.',
      cli: 'az ad app credential delete --id <appId> --key-id <secretKeyId>',
    },
    evidence: ['passwordCount', 'certificateCount'],
    params: [],
    check: (f) =>
      f.passwordCount > 0 && f.certificateCount > 0
        ? fail({ passwordCount: f.passwordCount, certificateCount: f.certificateCount })
        : pass({ passwordCount: f.passwordCount, certificateCount: f.certificateCount }),
  }),
];

function isProduction(f: CertificateFacts, names: readonly string[], values: readonly string[]): boolean {
  return Object.entries(f.vaultTags).some(
    ([k, v]) => names.includes(k.toLowerCase()) && values.includes(v.trim().toLowerCase()),
  );
}

/**
 * KW-KV-001…004: secrets and keys have an expiration date, one rule per kind and vault permission model (Prowler's
 * four checks, which CIS numbers separately).
 */
function expiryDateRule<S extends 'secret' | 'key'>(id: string, scope: S, rbac: boolean, severity: RuleSeverity) {
  const secret = scope === 'secret';
  return defineRule<S>({
    id,
    title: `${secret ? 'Secrets' : 'Keys'} in ${rbac ? 'RBAC' : 'access-policy'} vaults have an expiration date`,
    severity,
    scopes: [scope],
    rationale: secret
      ? 'A secret without an expiration date is never flagged for rotation and can stay valid forever.'
      : 'Keys should have a defined cryptoperiod; an expiration date enforces it.',
    remediation: {
      portal: `Key Vault → ${secret ? 'Secrets → the secret' : 'Keys → the key'} → current version → set Expiration date.`,
      cli: `az keyvault ${scope} set-attributes --vault-name <vault> --name <${scope}> --expires <yyyy-mm-ddThh:mm:ssZ>`,
    },
    evidence: ['vaultRbac', 'enabled', 'hasExpiry'],
    params: [],
    check: (f) => (f.vaultRbac === rbac && f.enabled ? verdict(f.hasExpiry, { hasExpiry: f.hasExpiry }) : null),
  });
}

/** A verdict when the fact it needs could be read; otherwise "not evaluated", naming the flag that was false. */
function ifKnown(known: boolean, flag: string, ok: boolean, evidence: Evidence): CheckResult {
  return known ? verdict(ok, evidence) : unknown({ [flag]: false });
}

export const builtInRuleIds: readonly string[] = builtInRules.map((r) => r.id);

export function findBuiltInRule(id: string): AnyBuiltInRule | undefined {
  return builtInRules.find((r) => r.id === id);
}
