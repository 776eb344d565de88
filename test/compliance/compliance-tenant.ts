import type { TenantDocument } from '../../dev/azure-sim/tenant-schema';

/**
 * A tenant built so that every built-in rule has a resource that passes it and one that fails it, and the item
 * rules also meet an unreadable vault (kv-cmp-locked: the identity holds no role there). Each resource's comment
 * names what it is for.
 */
export const complianceTenant: TenantDocument = {
  tenantId: '5d2c7e10-4b1a-4f3e-9a6d-0c1b2a3f4e51',
  displayName: 'Compliance fixture',
  caller: {
    objectId: '6e3d8f21-5c2b-4a4f-8b7e-1d2c3b4a5f62',
    appId: '7f4e9a32-6d3c-4b5a-9c8f-2e3d4c5b6a73',
    displayName: 'keyward-identity',
  },
  subscriptions: [
    {
      subscriptionId: '1a2b3c4d-0000-4000-8000-00000000000a',
      displayName: 'Compliance A',
      defenderForKeyVault: true, // KW-KV-014 passes
      vaults: [
        {
          // Passes every vault rule: soft delete, purge protection, RBAC, default deny + trusted bypass, private
          // endpoint, audit logs. Tagged production (KW-KV-018 applies).
          name: 'kv-cmp-good',
          resourceGroup: 'rg-cmp',
          access: { model: 'rbac', callerRoles: ['Key Vault Reader'] },
          enablePurgeProtection: true,
          diagnostics: true,
          privateEndpoints: 1,
          // Default deny with the AzureServices bypass; an IP rule lets the scanner (127.0.0.1) through.
          network: { publicNetworkAccess: 'Enabled', defaultAction: 'Deny', ipRules: ['127.0.0.1'] },
          tags: { env: 'prod', owner: 'cmp@example.com' },
          secrets: [
            { name: 's-good', expiresInDays: 200, createdInDays: -10 }, // 001, 006, 007, 019 pass
            { name: 's-noexp', expiresInDays: null, createdInDays: -10 }, // 001 fails
            { name: 's-stale', expiresInDays: 100, createdInDays: -500 }, // 019 fails
          ],
          keys: [
            {
              name: 'k-good',
              expiresInDays: 300,
              size: 3072,
              keyOps: ['sign', 'verify'],
              rotationPolicy: { rotate: true, expiryTime: 'P2Y' },
            }, // 003, 015, 016, 020 (signing only) pass
            {
              name: 'k-ec',
              kty: 'EC',
              curve: 'P-384',
              expiresInDays: 300,
              rotationPolicy: { rotate: true, expiryTime: 'P1Y' },
            }, // 016 passes (EC), 020 passes (an EC key only signs)
            { name: 'k-weak', size: 1024, expiresInDays: 3 }, // 016, 007, 015 (no policy), 020 (every RSA operation) fail
            { name: 'k-expired', expiresInDays: -5, rotationPolicy: { rotate: true, expiryTime: null } }, // 006, 015 fail
            { name: 'k-noexp', expiresInDays: null, rotationPolicy: { rotate: false, expiryTime: 'P2Y' } }, // 003, 015 fail
          ],
          certificates: [
            {
              name: 'c-good',
              expiresInDays: 300,
              notBeforeInDays: -60,
              issuer: 'CN=Contoso CA',
              subject: 'CN=good.contoso.com',
            }, // 005, 017, 018 pass
            {
              name: 'c-long',
              expiresInDays: 700,
              notBeforeInDays: -100,
              issuer: 'CN=long.contoso.com',
              subject: 'CN=long.contoso.com',
            }, // 017, 018 fail
            {
              name: 'c-weak-key',
              expiresInDays: 300,
              notBeforeInDays: -60,
              issuer: 'CN=Contoso CA',
              subject: 'CN=legacy.contoso.com',
              key: { kty: 'RSA', size: 1024 },
            }, // 016 fails (a certificate's 1024-bit RSA key)
            {
              name: 'c-ec',
              expiresInDays: 300,
              notBeforeInDays: -60,
              issuer: 'CN=Contoso CA',
              subject: 'CN=ec.contoso.com',
              key: { kty: 'EC', curve: 'P-384' },
            }, // 016 passes (EC P-384)
          ],
        },
        {
          // Fails every vault rule: no soft delete or purge protection, access policies, public, no endpoint, no logs.
          name: 'kv-cmp-open',
          resourceGroup: 'rg-cmp',
          access: {
            model: 'accessPolicy',
            secrets: ['get', 'list'],
            certificates: ['get', 'list'],
            keys: ['get', 'list'],
          },
          enableSoftDelete: false,
          secrets: [
            { name: 'ap-s-good', expiresInDays: 100, createdInDays: -10 }, // 002 passes
            { name: 'ap-s-noexp', expiresInDays: null, createdInDays: -10 }, // 002 fails
          ],
          keys: [
            { name: 'ap-k-good', expiresInDays: 100 }, // 004 passes; 015 not evaluated (no getrotationpolicy permission)
            { name: 'ap-k-noexp', expiresInDays: null }, // 004 fails
          ],
        },
        {
          // The identity has no role here: every item rule is "not evaluated" for this vault, never passed.
          name: 'kv-cmp-locked',
          resourceGroup: 'rg-cmp',
          access: { model: 'rbac', callerRoles: [] },
          secrets: [{ name: 'hidden', expiresInDays: -1 }],
        },
      ],
    },
    {
      subscriptionId: '1a2b3c4d-0000-4000-8000-00000000000b',
      displayName: 'Compliance B',
      defenderForKeyVault: false, // KW-KV-014 fails
      vaults: [],
    },
  ],
  applications: [
    {
      // 001-006 pass: one owner, one password with a year-long life.
      displayName: 'cmp-app-good',
      owners: [{ displayName: 'Ada', userPrincipalName: 'ada@example.com' }],
      passwordCredentials: [{ displayName: 'ci', startInDays: -30, endInDays: 200 }],
    },
    {
      // No owner (005), expired (001, 004), expiring (002), password and certificate (006).
      displayName: 'cmp-app-bad',
      passwordCredentials: [
        { displayName: 'old', startInDays: -400, endInDays: -5 },
        { displayName: 'soon', startInDays: -10, endInDays: 10 },
      ],
      keyCredentials: [{ displayName: 'cert', startInDays: -10, endInDays: 300 }],
    },
    {
      // An end date 270 years away: "never expires" (003 fails).
      displayName: 'cmp-app-never',
      owners: [{ displayName: 'Bob', userPrincipalName: 'bob@example.com' }],
      passwordCredentials: [{ displayName: 'forever', startInDays: -10, endInDays: 100000 }],
    },
  ],
};
