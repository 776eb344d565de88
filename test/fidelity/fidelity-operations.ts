import { constants, createHash, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import forge from 'node-forge';
import type { RunningAzureSim } from '../../dev/azure-sim/azure-sim';
import type { CloudClients, ClientExtras } from '../../shared/cloud/cloud-clients';
import { PROOF_AUDIENCE, proofClaims, signedJwt } from '../../shared/rotation/rotation-proof';
import { readDefenderPlan, readVaultDiagnostics } from '../../shared/scan/vault-posture';

/** What a row's call gets: the product's cloud clients on the simulator, and the extras that capture responses. */
export interface FidelityContext {
  readonly sim: RunningAzureSim;
  readonly cloud: CloudClients;
  readonly extras: ClientExtras;
  vaultUri(name: string): Promise<string>;
}

/**
 * One row per operation the product calls: the specification excerpt and operation id (specs/*.json) and how the
 * product calls it — through the same clients and functions the product uses (the SDKs, the posture reads, and for
 * Graph the product's Graph reader with the paths and $select the product sends). The suite validates every response
 * the call received.
 */
export interface FidelityRow {
  readonly spec: string;
  readonly operation: string;
  readonly call: (ctx: FidelityContext) => Promise<unknown>;
}

export const SUB = '0b5e7c1a-2f3d-4a6b-8c9d-1e2f3a4b5c01';
/** Key Vault Reader: lists everything, reads no value (the scan's usual vault). */
const READER = 'kv-prod-payments';
/** Key Vault Administrator: the vault the writes (rotation, sync target) and value reads go to. */
const ADMIN = 'kv-prod-shared';
const retry = { attempts: 2, sleep: async () => undefined, nowMs: () => Date.now() };

const drain = async (items: AsyncIterable<unknown>): Promise<number> => {
  let n = 0;
  for await (const _ of items) n += 1;
  return n;
};

const secrets = async (ctx: FidelityContext, vault: string) => ctx.cloud.secrets(await ctx.vaultUri(vault), ctx.extras);
const keys = async (ctx: FidelityContext, vault: string) => ctx.cloud.keys(await ctx.vaultUri(vault), ctx.extras);
const certs = async (ctx: FidelityContext, vault: string) =>
  ctx.cloud.certificates(await ctx.vaultUri(vault), ctx.extras);
const firstName = async (items: AsyncIterable<{ name?: string }>): Promise<string> => {
  for await (const item of items) if (item.name) return item.name;
  throw new Error('the vault lists nothing');
};

/** A self-signed certificate and its key (PEM), to import and to add as an application key credential. */
function selfSigned(cn: string): { certPem: string; keyPem: string; der: Buffer } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 300 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer([{ name: 'commonName', value: cn }]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return {
    certPem,
    keyPem,
    der: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
  };
}

async function deleteSecret(ctx: FidelityContext, suffix: string) {
  const client = await secrets(ctx, ADMIN);
  await client.setSecret(`fidelity-deleted-${suffix}`, 'value');
  return (await client.beginDeleteSecret(`fidelity-deleted-${suffix}`, { intervalInMs: 0 })).pollUntilDone();
}

/** Certificate rotation's renewal: create from a policy, then poll the pending operation until it completes. */
async function createCertificate(ctx: FidelityContext, suffix: string) {
  const client = await certs(ctx, ADMIN);
  const poller = await client.beginCreateCertificate(
    `fidelity-created-${suffix}`,
    { issuerName: 'Self', subject: 'CN=fidelity', validityInMonths: 6 },
    { intervalInMs: 0 },
  );
  return poller.pollUntilDone();
}

export const fidelityRows: readonly FidelityRow[] = [
  // ARM: the scan's plan and its firewall fallback, and the posture reads.
  {
    spec: 'subscriptions-2022-12-01.json',
    operation: 'Subscriptions_List',
    call: (ctx) => drain(ctx.cloud.subscriptions(ctx.extras).subscriptions.list()),
  },
  {
    spec: 'keyvault-arm-2023-07-01.json',
    operation: 'Vaults_ListBySubscription',
    call: (ctx) => drain(ctx.cloud.keyVaultManagement(SUB, ctx.extras).vaults.listBySubscription()),
  },
  {
    spec: 'keyvault-arm-2023-07-01.json',
    operation: 'Secrets_List',
    call: (ctx) => drain(ctx.cloud.keyVaultManagement(SUB, ctx.extras).secrets.list('rg-network', 'kv-prod-network')),
  },
  {
    spec: 'monitor-diagnostic-settings-2021-05-01-preview.json',
    operation: 'DiagnosticSettings_List',
    call: async (ctx) => {
      // Every vault of the subscription: with and without a diagnostic setting.
      for await (const v of ctx.cloud.keyVaultManagement(SUB, ctx.extras).vaults.listBySubscription()) {
        await readVaultDiagnostics({ cloud: ctx.cloud }, SUB, v.id ?? '', ctx.extras, retry);
      }
    },
  },
  {
    spec: 'security-pricings-2024-01-01.json',
    operation: 'Pricings_Get',
    call: async (ctx) => {
      for (const sub of ctx.sim.state.tenant.subscriptions) {
        await readDefenderPlan({ cloud: ctx.cloud }, sub.subscriptionId, ctx.extras, retry);
      }
    },
  },
  // Key Vault secrets: the scan's lists, the version history, and the writes of rotation and sync.
  {
    spec: 'keyvault-secrets-7.5.json',
    operation: 'GetSecrets',
    call: async (ctx) => drain((await secrets(ctx, READER)).listPropertiesOfSecrets().byPage({ maxPageSize: 4 })),
  },
  {
    spec: 'keyvault-secrets-7.5.json',
    operation: 'GetSecretVersions',
    call: async (ctx) => {
      const client = await secrets(ctx, READER);
      return drain(client.listPropertiesOfSecretVersions(await firstName(client.listPropertiesOfSecrets())));
    },
  },
  {
    spec: 'keyvault-secrets-7.5.json',
    operation: 'SetSecret',
    call: async (ctx) =>
      (await secrets(ctx, ADMIN)).setSecret('fidelity-set', 'value-1', { contentType: 'text/plain' }),
  },
  {
    spec: 'keyvault-secrets-7.5.json',
    operation: 'GetSecret',
    call: async (ctx) => (await secrets(ctx, ADMIN)).getSecret('fidelity-set'),
  },
  {
    spec: 'keyvault-secrets-7.5.json',
    operation: 'UpdateSecret',
    call: async (ctx) => {
      const client = await secrets(ctx, ADMIN);
      const set = await client.setSecret('fidelity-update', 'value-1');
      return client.updateSecretProperties('fidelity-update', set.properties.version ?? '', { enabled: false });
    },
  },
  // The sync target's and sync credentials' delete: the poller reads the deleted secret until it is there.
  { spec: 'keyvault-secrets-7.5.json', operation: 'DeleteSecret', call: (ctx) => deleteSecret(ctx, 'a') },
  { spec: 'keyvault-secrets-7.5.json', operation: 'GetDeletedSecret', call: (ctx) => deleteSecret(ctx, 'b') },
  // Key Vault keys: the scan's list and posture reads, and the audit signer's sign.
  {
    spec: 'keyvault-keys-7.5.json',
    operation: 'GetKeys',
    call: async (ctx) => drain((await keys(ctx, READER)).listPropertiesOfKeys()),
  },
  {
    spec: 'keyvault-keys-7.5.json',
    operation: 'GetKey',
    call: async (ctx) => {
      const client = await keys(ctx, READER);
      return client.getKey(await firstName(client.listPropertiesOfKeys()));
    },
  },
  {
    spec: 'keyvault-keys-7.5.json',
    operation: 'GetKeyRotationPolicy',
    call: async (ctx) => {
      const client = await keys(ctx, READER);
      // As the scan does: the vault's own keys; a certificate's managed key is part of its certificate item.
      for await (const k of client.listPropertiesOfKeys()) if (!k.managed) await client.getKeyRotationPolicy(k.name);
    },
  },
  {
    spec: 'keyvault-keys-7.5.json',
    operation: 'Sign',
    call: async (ctx) => {
      const key = await (
        await keys(ctx, ADMIN)
      ).getKey(await firstName((await keys(ctx, ADMIN)).listPropertiesOfKeys()));
      return ctx.cloud.cryptography(key.id ?? '', ctx.extras).sign('RS256', createHash('sha256').update('x').digest());
    },
  },
  // Key Vault certificates: the scan's reads, and certificate rotation's create (pending) and import.
  {
    spec: 'keyvault-certificates-7.5.json',
    operation: 'GetCertificates',
    call: async (ctx) => drain((await certs(ctx, READER)).listPropertiesOfCertificates().byPage({ maxPageSize: 2 })),
  },
  {
    spec: 'keyvault-certificates-7.5.json',
    operation: 'GetCertificateVersions',
    call: async (ctx) => {
      const client = await certs(ctx, READER);
      return drain(client.listPropertiesOfCertificateVersions(await firstName(client.listPropertiesOfCertificates())));
    },
  },
  {
    spec: 'keyvault-certificates-7.5.json',
    operation: 'GetCertificate',
    call: async (ctx) => {
      const client = await certs(ctx, READER);
      for await (const c of client.listPropertiesOfCertificates()) {
        const name = c.name ?? '';
        const bundle = await client.getCertificate(name);
        await client.getCertificateVersion(name, bundle.properties.version ?? '');
      }
    },
  },
  {
    spec: 'keyvault-certificates-7.5.json',
    operation: 'GetCertificatePolicy',
    call: async (ctx) => {
      const client = await certs(ctx, READER);
      return client.getCertificatePolicy(await firstName(client.listPropertiesOfCertificates()));
    },
  },
  {
    spec: 'keyvault-certificates-7.5.json',
    operation: 'CreateCertificate',
    call: (ctx) => createCertificate(ctx, 'a'),
  },
  // The poller reads the pending operation until it completes: both states are validated.
  {
    spec: 'keyvault-certificates-7.5.json',
    operation: 'GetCertificateOperation',
    call: (ctx) => createCertificate(ctx, 'b'),
  },
  {
    spec: 'keyvault-certificates-7.5.json',
    operation: 'ImportCertificate',
    call: async (ctx) => {
      const { certPem, keyPem } = selfSigned('fidelity-imported');
      return (await certs(ctx, ADMIN)).importCertificate('fidelity-imported', Buffer.from(`${keyPem}\n${certPem}`), {
        policy: { contentType: 'application/x-pem-file', issuerName: 'Unknown', subject: 'CN=fidelity-imported' },
      });
    },
  },
  // Microsoft Graph: the directory scan's reads and credential rotation's writes.
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'Applications_List',
    call: (ctx) =>
      ctx.cloud
        .graph(ctx.extras)
        .listAll('/v1.0/applications?$select=id,appId,displayName,passwordCredentials,keyCredentials&$top=2'),
  },
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'ServicePrincipals_List',
    call: (ctx) =>
      ctx.cloud
        .graph(ctx.extras)
        .listAll('/v1.0/servicePrincipals?$select=id,appId,displayName,passwordCredentials,keyCredentials&$top=999'),
  },
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'Organization_List',
    call: (ctx) => ctx.cloud.graph(ctx.extras).listAll('/v1.0/organization?$select=id'),
  },
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'Application_Get',
    call: (ctx) => {
      const app = ctx.sim.state.applications[0];
      return ctx.cloud
        .graph(ctx.extras)
        .request(
          'GET',
          `/v1.0/applications(appId='${app?.appId ?? ''}')?$select=id,appId,displayName,passwordCredentials`,
        );
    },
  },
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'Application_ListOwners',
    call: (ctx) =>
      ctx.cloud
        .graph(ctx.extras)
        .listAll(`/v1.0/applications/${ctx.sim.state.applications[0]?.id ?? ''}/owners?$select=id&$top=999`),
  },
  // Rotation's lifetime caps: an app's own policy (given one here: the demo tenant assigns none), then the default.
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'Application_ListAppManagementPolicies',
    call: (ctx) => {
      // Another application than the credential writes below use, which the policy would then cap.
      const app = ctx.sim.state.applications[1];
      if (!app) throw new Error('no second application');
      Object.assign(app, { policy: { isEnabled: true, passwordLifetimeDays: 30, keyLifetimeDays: 180 } });
      return ctx.cloud.graph(ctx.extras).request('GET', `/v1.0/applications/${app.id}/appManagementPolicies`);
    },
  },
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'TenantAppManagementPolicy_Get',
    call: (ctx) => ctx.cloud.graph(ctx.extras).request('GET', '/v1.0/policies/defaultAppManagementPolicy'),
  },
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'Application_AddPassword',
    call: async (ctx) => {
      const app = ctx.sim.state.applications[0]?.id ?? '';
      const end = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const added = await ctx.cloud.graph(ctx.extras).request('POST', `/v1.0/applications/${app}/addPassword`, {
        passwordCredential: { displayName: 'fidelity', endDateTime: end },
      });
      await ctx.cloud
        .graph(ctx.extras)
        .request('POST', `/v1.0/applications/${app}/removePassword`, { keyId: added.keyId });
    },
  },
  {
    spec: 'graph-v1.0-documented.json',
    operation: 'Application_AddKey',
    call: async (ctx) => {
      // addKey needs a proof signed by a certificate the application already has: give it one whose key is here.
      const app = ctx.sim.state.applications[0];
      if (!app) throw new Error('no application');
      const current = selfSigned('fidelity-current');
      const start = new Date(Date.now() - 3_600_000).toISOString();
      const end = new Date(Date.now() + 200 * 86_400_000).toISOString();
      app.keyCredentials.push({
        keyId: '6b1f0c1e-4c4d-4a7f-9d9a-0f0e1d2c3b4a',
        displayName: 'CN=fidelity-current',
        startDateTime: start,
        endDateTime: end,
        customKeyIdentifier: null,
        hint: null,
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: current.der.toString('base64'),
      });
      const proof = () =>
        signedJwt(current.der, proofClaims(app.id, new Date()), async (digest) => rs256(current.keyPem, digest), {
          audience: PROOF_AUDIENCE,
          issuer: app.id,
        });
      const next = selfSigned('fidelity-next');
      const graph = ctx.cloud.graph(ctx.extras);
      const added = await graph.request('POST', `/v1.0/applications/${app.id}/addKey`, {
        keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: next.der.toString('base64') },
        passwordCredential: null,
        proof: await proof(),
      });
      await graph.request('POST', `/v1.0/applications/${app.id}/removeKey`, {
        keyId: added.keyId,
        proof: await proof(),
      });
    },
  },
];

/** RS256 over an already computed SHA-256 digest: PKCS#1 v1.5 over the DigestInfo, as Key Vault's sign makes it. */
function rs256(keyPem: string, digest: Buffer): Buffer {
  const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  return privateEncrypt(
    { key: keyPem, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([sha256DigestInfo, digest]),
  );
}
