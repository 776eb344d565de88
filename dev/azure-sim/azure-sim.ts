import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../shared/time/clock';
import { armRoutes } from './arm-routes';
import { createCredentialBook, type CredentialBook } from './graph-credentials';
import { graphCost, graphRoutes } from './graph-routes';
import { keyVaultRoutes } from './keyvault-routes';
import { KEYWARD_VAULT, keywardVaultStates } from './keyward-vault';
import { createTokenService } from './sim-auth';
import type { SimCounters, SimRequest } from './sim-http';
import { identityHandler } from './sim-identity';
import { defaultKnobs, mergeKnobs, type SimKnobs, type SimKnobsPatch } from './sim-knobs';
import { createPipeline, type Dispatch } from './sim-pipeline';
import { createSimTls } from './sim-tls';
import { TOKEN_PATH, tokenEndpoint } from './token-endpoint';
import { loadTenant, type LargeTenantParams } from './tenant-load';
import type { TenantDocument } from './tenant-schema';
import { materializeTenant, type TenantState, type VaultState } from './tenant-state';

export type { SimKnobs, SimKnobsPatch } from './sim-knobs';
export type { SimCounters, SimRequest } from './sim-http';
export type { TenantDocument } from './tenant-schema';
export type { LargeTenantParams } from './tenant-load';
export type { Clock } from '../../shared/time/clock';

export interface AzureSimOptions {
  /** A tenant document, or one of the built-in tenants. */
  readonly tenant: TenantDocument | 'demo' | 'large';
  /** Port of the ARM + Graph listener; 0 (default) picks a free one. Vault listeners always use free ports. */
  readonly port?: number;
  /** Anchors the tenant's relative dates and stamps writes; defaults to the system clock. */
  readonly clock?: Clock;
  /** Any subset of the knobs (`Partial<SimKnobs>` or finer, see SimKnobsPatch). */
  readonly knobs?: SimKnobsPatch;
  /** Shape of the `large` tenant. */
  readonly large?: LargeTenantParams;
}

export interface RunningAzureSim {
  /** https://127.0.0.1:<port>: ARM at the root, Graph under /v1.0. Each vault has its own port (see vaultUri). */
  readonly url: string;
  readonly armEndpoint: string;
  readonly graphEndpoint: string;
  readonly identityEndpoint: string;
  readonly identityHeader: string;
  readonly caCertPath: string;
  readonly caCertPem: string;
  readonly tenantId: string;
  /** Entra's authority host for the tenant's token endpoint (`<url>/<tenantId>/oauth2/v2.0/token`). */
  readonly authorityHost: string;
  /** Graph credential knobs (propagation delay, failures per step) and the ledger of credential calls. */
  readonly credentials: CredentialBook;
  /** The live tenant state (applications and their credentials, vault items), for tests to inspect. */
  readonly state: TenantState;
  /** Keyward's own vault (keyward-vault.ts) and its audit signing key's versionless identifier. */
  readonly keywardVault: {
    readonly uri: string;
    readonly auditSigningKeyId: string;
    readonly syncCredentialsUri: string;
  };
  /** Env vars that point the app's real SDK clients at the simulator (for a child process). */
  env(): Record<string, string>;
  requestLog(): readonly SimRequest[];
  counters(): SimCounters;
  /** TCP connections open to the vaults' listeners right now (idle keep-alive ones included). */
  openVaultConnections(): Promise<number>;
  setKnobs(k: SimKnobsPatch): void;
  stop(): Promise<void>;
}

/** Key Vault's challenge resource; clients must set disableChallengeResourceVerification (vaults are on 127.0.0.1). */
const KEYVAULT_RESOURCE = 'https://vault.azure.net';
/**
 * How long an idle keep-alive connection stays open. Node's default is 5 s; Azure's front ends keep one for minutes
 * (4 minutes is Azure Load Balancer's default idle timeout), so a client that never closes what it no longer needs
 * accumulates connections there — and here too.
 */
const KEEP_ALIVE_MS = 4 * 60_000;

/** Starts the simulator: one HTTPS listener for ARM + Graph, one per vault, and an HTTP managed-identity endpoint. */
export async function startAzureSim(options: AzureSimOptions): Promise<RunningAzureSim> {
  const clock = options.clock ?? systemClock;
  const tenant = loadTenant(options.tenant, options.large);
  const state = materializeTenant(tenant, clock.now());
  // Keyward's own vault is served like the tenant's, outside its subscriptions (keyward-vault.ts).
  const { signing: keywardVault, syncCredentials } = keywardVaultStates(tenant, clock.now());
  state.vaults.push(keywardVault, syncCredentials);
  const dir = mkdtempSync(join(tmpdir(), 'keyward-azure-sim-'));
  // Certificate validity uses wall time: TLS clients check it against the real clock, not the injected one.
  const tls = await createSimTls(dir, new Date());
  let knobs = mergeKnobs(defaultKnobs, options.knobs ?? {});
  const tokens = createTokenService({
    tenantId: tenant.tenantId,
    objectId: tenant.caller.objectId,
    appId: tenant.caller.appId,
  });
  const pipeline = createPipeline(tokens, () => knobs);
  const tlsOptions = { key: tls.serverKeyPem, cert: tls.serverCertPem };
  const servers: (HttpServer | HttpsServer)[] = [];
  const vaultServers: HttpsServer[] = [];
  let url = '';

  const arm = armRoutes(state, () => knobs.armPageSize);
  const credentials = createCredentialBook();
  const graph = graphRoutes(
    state,
    clock,
    () => url,
    credentials,
    () => knobs.refuseApplicationOwners,
  );
  const token = tokenEndpoint(
    state,
    clock,
    credentials,
    () => url,
    (entry) => pipeline.record(entry),
  );
  const kv = keyVaultRoutes(clock, () => knobs.keyVaultPaging);
  const armAudiences = (): string[] => ['https://management.azure.com', 'https://management.core.windows.net', url];
  const t = (): SimKnobs['throttling'] => knobs.throttling;

  const main = createHttpsServer({ ...tlsOptions, keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => {
    if (TOKEN_PATH.test((req.url ?? '').split('?')[0] ?? '')) return void token(req, res);
    const isGraph = /^\/v1\.0(\/|$|\?)/i.test(req.url ?? '');
    const subscriptionId = /^\/subscriptions\/([0-9a-f-]{36})/i.exec(req.url ?? '')?.[1]?.toLowerCase();
    const d: Dispatch = isGraph
      ? {
          api: 'graph',
          requiresApiVersion: false,
          routes: graph,
          audiences: ['https://graph.microsoft.com', url],
          challenge: {},
          draws: (method, u, write) => [
            { key: 'graph/ru', limit: t().graphResourceUnits, cost: graphCost(method, u) },
            ...(write ? [{ key: 'graph/writes', limit: t().graphWrites, cost: 1 }] : []),
          ],
        }
      : {
          api: 'arm',
          requiresApiVersion: true,
          routes: arm,
          audiences: armAudiences(),
          challenge: {
            'WWW-Authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token is missing or invalid."`,
          },
          ...(subscriptionId ? { subscriptionId } : {}),
          draws: (_m, _u, write) => [
            write
              ? { key: `arm/${subscriptionId ?? 'tenant'}/writes`, limit: t().armWritesPerSubscription, cost: 1 }
              : { key: `arm/${subscriptionId ?? 'tenant'}/reads`, limit: t().armReadsPerSubscription, cost: 1 },
          ],
        };
    void pipeline.handle(d, req, res);
  });
  servers.push(main);
  const listenOrCleanUp = async (server: HttpServer | HttpsServer, port: number): Promise<number> => {
    try {
      return await listen(server, port);
    } catch (error) {
      // A port in use must not leave the other listeners or the CA files behind.
      await Promise.all(servers.filter((s) => s.listening).map((s) => close(s)));
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  };
  url = `https://127.0.0.1:${await listenOrCleanUp(main, options.port ?? 0)}`;

  const vaultDispatch = (vault: VaultState): Dispatch => ({
    api: 'keyvault',
    requiresApiVersion: true,
    routes: kv,
    audiences: [KEYVAULT_RESOURCE],
    vault,
    subscriptionId: vault.subscriptionId.toLowerCase(),
    challenge: {
      'WWW-Authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenant.tenantId}", resource="${KEYVAULT_RESOURCE}"`,
    },
    draws: () => [
      { key: `kv/${vault.armId}`, limit: t().keyVaultPerVault, cost: 1 },
      { key: `kvsub/${vault.subscriptionId}`, limit: t().keyVaultPerSubscription, cost: 1 },
    ],
  });
  for (const vault of state.vaults) {
    const d = vaultDispatch(vault);
    const server = createHttpsServer({ ...tlsOptions, keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => {
      void pipeline.handle(d, req, res);
    });
    servers.push(server);
    vaultServers.push(server);
    vault.uri = `https://127.0.0.1:${await listenOrCleanUp(server, 0)}`;
  }

  const identityHeader = randomBytes(16).toString('hex');
  const identity = createHttpServer(identityHandler(tokens, identityHeader, (entry) => pipeline.record(entry)));
  servers.push(identity);
  const identityEndpoint = `http://127.0.0.1:${await listenOrCleanUp(identity, 0)}/msi/token`;

  const auditSigningKeyId = `${keywardVault.uri}/keys/${KEYWARD_VAULT.auditSigningKey}`;
  return {
    url,
    keywardVault: { uri: keywardVault.uri, auditSigningKeyId, syncCredentialsUri: syncCredentials.uri },
    armEndpoint: url,
    graphEndpoint: url,
    identityEndpoint,
    identityHeader,
    caCertPath: tls.caCertPath,
    caCertPem: tls.caCertPem,
    tenantId: tenant.tenantId,
    authorityHost: url,
    credentials,
    state,
    env: () => ({
      IDENTITY_ENDPOINT: identityEndpoint,
      IDENTITY_HEADER: identityHeader,
      NODE_EXTRA_CA_CERTS: tls.caBundlePath,
      KEYWARD_ARM_ENDPOINT: url,
      KEYWARD_GRAPH_ENDPOINT: url,
      KEYWARD_AZURE_SIMULATOR: 'true',
      KEYWARD_AUTHORITY_HOST: url,
      AUDIT_SIGNING_KEY_ID: auditSigningKeyId,
      KEYWARD_VAULT_URI: syncCredentials.uri,
    }),
    requestLog: () => pipeline.requestLog(),
    counters: () => pipeline.counters(),
    openVaultConnections: async () => {
      const counts = await Promise.all(
        vaultServers.map((server) => new Promise<number>((done) => server.getConnections((_e, n) => done(n ?? 0)))),
      );
      return counts.reduce((sum, n) => sum + n, 0);
    },
    setKnobs: (k) => {
      knobs = mergeKnobs(knobs, k);
      if (k.seed !== undefined) pipeline.reseed(k.seed);
    },
    stop: async () => {
      await Promise.all(servers.map((s) => close(s)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listen(server: HttpServer | HttpsServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: HttpServer | HttpsServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
