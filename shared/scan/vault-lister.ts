import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { CertificateClient } from '@azure/keyvault-certificates';
import type { KeyClient } from '@azure/keyvault-keys';
import type { SecretClient } from '@azure/keyvault-secrets';
import type { CloudClients, ClientExtras } from '../cloud/cloud-clients';
import { canonicalThumbprint } from '../inventory/thumbprint';
import type { ListedCertificate, ListedKey, ListedObject, VaultListing } from './item-merge';
import { pageCursor, type PageCursor } from './page-cursor';
import { CLIENTS_CLOSED, statusCodeOf, withRetries, type RetryOptions } from './scan-retry';
import type { VaultUnit } from './scan-types';

/** Why a kind could not be listed: no role (forbidden) or the vault's network rules (firewalled). */
export type DenyReason = 'forbidden' | 'firewalled';

export interface VaultListResult {
  readonly listing: VaultListing;
  readonly denied: Readonly<Partial<Record<'secrets' | 'certificates' | 'keys', DenyReason>>>;
}

type Paged<T> = { byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<T[]> };

/**
 * Every page of a list. The SDK retries a request itself when the service names a wait (Retry-After) or fails
 * with a 5xx; Key Vault's 429 names none, so it comes here. A failed page is asked for again from where the list
 * stood (the cursor's `nextLink`), never from page 1, and the attempts start afresh once a page got through.
 */
async function allPages<T>(open: () => Paged<T>, cursor: PageCursor, retry: RetryOptions): Promise<T[]> {
  const out: T[] = [];
  let from: string | undefined;
  let pages = 0;
  await withRetries(
    async () => {
      for await (const page of open().byPage(from ? { continuationToken: from } : undefined)) {
        out.push(...page);
        pages += 1;
        from = cursor.next();
        if (!from) return;
      }
    },
    retry,
    () => pages,
  );
  return out;
}

/**
 * Key Vault's network refusals: public access disabled (ForbiddenByConnection, "Public network access is
 * disabled…", or "Connection is not an approved private link…") and a default-deny firewall
 * (ForbiddenByFirewall, "Client address is not authorized…"). Matched on the inner code or the message, since a
 * paged list's error carries only the message.
 */
const NETWORK_REFUSAL =
  /ForbiddenByConnection|ForbiddenByFirewall|Public network access is disabled|not an approved private link|Client address is not authorized/i;

/** A 403 from Key Vault: its network rules (firewalled) or missing permissions (forbidden); null for other errors. */
export function denyReason(error: unknown, refusal?: string): DenyReason | null {
  if (statusCodeOf(error) !== 403) return null;
  const e = error as { message?: string; details?: unknown; response?: { bodyAsText?: string | null } };
  const text = `${e.message ?? ''} ${JSON.stringify(e.details ?? null)} ${e.response?.bodyAsText ?? ''} ${refusal ?? ''}`;
  return NETWORK_REFUSAL.test(text) ? 'firewalled' : 'forbidden';
}

async function orDenied<T>(
  call: () => Promise<T>,
  cursor: PageCursor,
): Promise<{ value: T; denied: null } | { value: null; denied: DenyReason }> {
  try {
    return { value: await call(), denied: null };
  } catch (error) {
    const reason = denyReason(error, cursor.lastRefusal());
    if (!reason) throw error;
    return { value: null, denied: reason };
  }
}

/**
 * The three data-plane clients of one vault, built once. They only read, so they send a token with their first
 * request instead of paying Key Vault's authentication challenge each.
 */
export interface VaultDataClients {
  readonly secrets: SecretClient;
  readonly certificates: CertificateClient;
  readonly keys: KeyClient;
  /** Each client's list position (its lists run one at a time: `listVault` lists each kind once). */
  readonly cursors: Readonly<Record<'secrets' | 'certificates' | 'keys', PageCursor>>;
  /** Closes the vault's connections; call it when the vault is done (requests fail from then on, unsent). */
  close(): void;
}

export function vaultDataClients(clients: CloudClients, vaultUri: string, extras: ClientExtras): VaultDataClients {
  const token = clients.keyVaultReadToken(vaultUri);
  const agent = clients.vaultAgent();
  let closed = false;
  // A request still running when the unit ends (a sibling list, an SDK retry) must not open a new connection in
  // the closed pool: it fails here instead, before the network.
  const open: PipelinePolicy = {
    name: 'keywardVaultClientsOpen',
    sendRequest(request, next) {
      if (closed) return Promise.reject(new RestError('The vault clients are closed.', { code: CLIENTS_CLOSED }));
      return next(request);
    },
  };
  const cursors = { secrets: pageCursor(), certificates: pageCursor(), keys: pageCursor() };
  const reads = (cursor: PageCursor) => ({
    ...extras,
    agent,
    policies: [open, ...(extras.policies ?? []), ...(token ? [token] : []), cursor.policy],
  });
  return {
    secrets: clients.secrets(vaultUri, reads(cursors.secrets)),
    certificates: clients.certificates(vaultUri, reads(cursors.certificates)),
    keys: clients.keys(vaultUri, reads(cursors.keys)),
    cursors,
    close: () => {
      closed = true;
      agent.destroy();
    },
  };
}

const tagsOf = (t: Record<string, string> | undefined): Record<string, string> => ({ ...t });

/**
 * Lists a vault's secrets, certificates and keys through the data plane: list operations only (metadata of the
 * latest version; never `getSecret`), the three kinds in parallel, each page through the vault's budget.
 */
export async function listVault(data: VaultDataClients, retry: RetryOptions): Promise<VaultListResult> {
  const { secrets: secretClient, certificates: certificateClient, keys: keyClient, cursors } = data;
  const [secrets, certificates, keys] = await Promise.all([
    orDenied(() => allPages(() => secretClient.listPropertiesOfSecrets(), cursors.secrets, retry), cursors.secrets),
    orDenied(
      () => allPages(() => certificateClient.listPropertiesOfCertificates(), cursors.certificates, retry),
      cursors.certificates,
    ),
    orDenied(() => allPages(() => keyClient.listPropertiesOfKeys(), cursors.keys, retry), cursors.keys),
  ]);
  const base = (p: {
    name?: string;
    version?: string;
    enabled?: boolean;
    notBefore?: Date;
    expiresOn?: Date;
    createdOn?: Date;
    updatedOn?: Date;
    tags?: Record<string, string>;
  }): Omit<ListedObject, 'managed' | 'contentType'> => ({
    name: p.name ?? '',
    version: p.version ?? null,
    enabled: p.enabled !== false,
    notBefore: p.notBefore ?? null,
    expiresOn: p.expiresOn ?? null,
    createdOn: p.createdOn ?? null,
    updatedOn: p.updatedOn ?? null,
    tags: tagsOf(p.tags),
  });
  const denied: VaultListResult['denied'] = {
    ...(secrets.denied ? { secrets: secrets.denied } : {}),
    ...(certificates.denied ? { certificates: certificates.denied } : {}),
    ...(keys.denied ? { keys: keys.denied } : {}),
  };
  return {
    denied,
    listing: {
      source: 'keyvault',
      secrets:
        secrets.value?.map((s) => ({ ...base(s), managed: s.managed === true, contentType: s.contentType ?? null })) ??
        null,
      certificates:
        certificates.value?.map((c): ListedCertificate => ({
          ...base(c),
          managed: false,
          contentType: null,
          thumbprint: canonicalThumbprint(c.x509ThumbprintString),
          issuer: null,
          subject: null,
        })) ?? null,
      keys:
        keys.value?.map((k): ListedKey => ({
          ...base(k),
          managed: k.managed === true,
          contentType: null,
          keyType: null,
          keySize: null,
        })) ?? null,
    },
  };
}

/** Content types Key Vault gives the secret that backs a certificate. */
const CERTIFICATE_CONTENT = /^application\/(x-pkcs12|x-pem-file)$/i;

/**
 * The management-plane fallback for a firewalled vault: ARM's `vaults/secrets` list is not behind the vault
 * firewall and returns secret attributes (never values). Keys and certificates are not listed there; the secrets
 * that back certificates stand in for them.
 */
export async function listVaultThroughArm(
  clients: CloudClients,
  unit: VaultUnit,
  extras: ClientExtras,
  retry: RetryOptions,
): Promise<VaultListing> {
  const cursor = pageCursor();
  const client = clients.keyVaultManagement(unit.subscriptionId, {
    ...extras,
    policies: [...(extras.policies ?? []), cursor.policy],
  });
  const secrets = await allPages(() => client.secrets.list(unit.resourceGroup, unit.vaultName), cursor, retry);
  return {
    source: 'arm',
    certificates: null,
    keys: null,
    secrets: secrets.map((s) => {
      const a = s.properties.attributes ?? {};
      const contentType = s.properties.contentType ?? null;
      return {
        name: s.name ?? '',
        version: null,
        enabled: a.enabled !== false,
        notBefore: a.notBefore ?? null,
        expiresOn: a.expires ?? null,
        createdOn: a.created ?? null,
        updatedOn: a.updated ?? null,
        tags: tagsOf(s.tags),
        managed: contentType !== null && CERTIFICATE_CONTENT.test(contentType),
        contentType,
      };
    }),
  };
}
