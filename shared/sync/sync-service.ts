import type { AuditActor } from '../audit/audit-types';
import { auditedChange } from '../auth/auth-audit';
import { checkOutboundUrl, UrlRefusedError } from '../notify/url-guard';
import { queues } from '../config/queues';
import { SyncProviderError } from './providers/sync-provider';
import { SyncInvalidError, SyncNotFoundError } from './sync-errors';
import { newConfigId } from './sync-keys';
import { messageIdOf, planConfig } from './sync-planner';
import { MissingCredentialsError } from './sync-providers';
import type { SyncDeps } from './sync-runtime';
import {
  diffActions,
  type SyncConfigInput,
  type SyncConfigView,
  type SyncConnection,
  type SyncCredentialsInput,
  type SyncProviderKind,
  type SyncRecordView,
} from './sync-schemas';
import type { CredentialRef, StoredConfig, StoredRecord } from './sync-store';

const awsProviders: readonly SyncProviderKind[] = ['awsSecretsManager', 'awsParameterStore', 'awsAcm'];
const gcpProviders: readonly SyncProviderKind[] = ['gcpSecretManager', 'gcpCertificateManager'];

export function configView(c: StoredConfig): SyncConfigView {
  return {
    id: c.id,
    name: c.name,
    provider: c.provider,
    enabled: c.enabled,
    connection: c.connection,
    hasCredentials: c.credentialRef !== null,
    rules: [...c.rules],
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export const recordView = (r: StoredRecord): SyncRecordView => ({
  id: r.id,
  configId: r.configId,
  provider: r.provider,
  kind: r.kind,
  sourceVault: r.sourceVault,
  sourceName: r.sourceName,
  targetName: r.targetName,
  targetRef: r.targetRef,
  lastSyncedSourceVersion: r.lastSyncedSourceVersion,
  targetVersion: r.targetVersion,
  status: r.status,
  reason: r.reason,
  lastError: r.lastError,
  lastSyncedAt: r.lastSyncedAt,
  updatedAt: r.updatedAt,
});

/** The connection fields the provider needs; the others are dropped so a config holds one destination. */
function connectionFor(provider: SyncProviderKind, connection: SyncConnection): SyncConnection {
  if (awsProviders.includes(provider)) {
    if (!connection.aws) throw new SyncInvalidError('connection.aws (region and accessKeyId) is required');
    return { aws: connection.aws };
  }
  if (gcpProviders.includes(provider)) {
    if (!connection.gcp) throw new SyncInvalidError('connection.gcp (projectId) is required');
    return { gcp: connection.gcp };
  }
  if (!connection.keyVault) throw new SyncInvalidError('connection.keyVault (vaultUri) is required');
  return { keyVault: connection.keyVault };
}

/** Only the credential the provider uses is kept. */
function credentialsFor(
  provider: SyncProviderKind,
  input: SyncCredentialsInput | undefined,
): SyncCredentialsInput | null {
  if (awsProviders.includes(provider) && input?.awsSecretAccessKey)
    return { awsSecretAccessKey: input.awsSecretAccessKey };
  if (gcpProviders.includes(provider) && input?.gcpServiceAccountKey) {
    try {
      const key = JSON.parse(input.gcpServiceAccountKey) as {
        type?: unknown;
        client_email?: unknown;
        private_key?: unknown;
      };
      if (
        key.type !== 'service_account' ||
        typeof key.client_email !== 'string' ||
        typeof key.private_key !== 'string'
      ) {
        throw new Error('not a key');
      }
    } catch {
      throw new SyncInvalidError('credentials.gcpServiceAccountKey must be a service-account key file (JSON)');
    }
    return { gcpServiceAccountKey: input.gcpServiceAccountKey };
  }
  return null;
}

const needsCredentials = (provider: SyncProviderKind) => provider !== 'keyVault';

/** A connection is the destination: provider, account/region/project/vault. */
const sameDestination = (a: StoredConfig, provider: SyncProviderKind, connection: SyncConnection): boolean =>
  a.provider === provider && JSON.stringify(a.connection) === JSON.stringify(connection);

export function createSyncService(deps: SyncDeps) {
  const now = () => deps.clock.now().toISOString();
  const localMode = deps.endpoints.localMode;

  async function mustGet(id: string): Promise<StoredConfig> {
    const config = await deps.store.getConfig(id);
    if (!config) throw new SyncNotFoundError(`No sync config ${id}`);
    return config;
  }

  async function checkTargetVault(connection: SyncConnection): Promise<void> {
    const uri = connection.keyVault?.vaultUri;
    if (!uri) return;
    try {
      await checkOutboundUrl(uri, { localMode });
    } catch (error) {
      if (error instanceof UrlRefusedError)
        throw new SyncInvalidError(`connection.keyVault.vaultUri: ${error.message}`);
      throw error;
    }
  }

  /** Refused before anything is audited or written: a request that cannot be stored changes nothing. */
  function requireCredentialStore(creds: SyncCredentialsInput | null): void {
    if (creds && !deps.credentials.configured) {
      throw new SyncInvalidError("Provider credentials need Keyward's own Key Vault (KEYWARD_VAULT_URI is not set)");
    }
  }

  async function storeCredentials(id: string, creds: SyncCredentialsInput | null): Promise<CredentialRef | null> {
    if (!creds) return null;
    requireCredentialStore(creds);
    return deps.credentials.put(id, creds);
  }

  /** A config change on `sync-config:<id>`, audited before it is made (auditedChange). */
  const auditedConfigChange = <T>(
    actor: AuditActor,
    action: 'sync.config.created' | 'sync.config.updated' | 'sync.config.deleted',
    id: string,
    details: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> =>
    auditedChange(deps.audit, { actor, action, target: `sync-config:${id}`, outcome: 'success', details }, run);

  return {
    async list(): Promise<SyncConfigView[]> {
      return (await deps.store.listConfigs()).map(configView);
    },

    async create(actor: AuditActor, input: SyncConfigInput): Promise<SyncConfigView> {
      const connection = connectionFor(input.provider, input.connection);
      await checkTargetVault(connection);
      const creds = credentialsFor(input.provider, input.credentials);
      if (needsCredentials(input.provider) && !creds)
        throw new SyncInvalidError('credentials are required for this provider');
      requireCredentialStore(creds);
      const id = newConfigId();
      const at = now();
      return auditedConfigChange(
        actor,
        'sync.config.created',
        id,
        { name: input.name, provider: input.provider, rules: input.rules.length, enabled: input.enabled },
        async () => {
          const credentialRef = await storeCredentials(id, creds);
          const config: StoredConfig = {
            id,
            name: input.name,
            provider: input.provider,
            enabled: input.enabled,
            connection,
            credentialRef,
            rules: input.rules,
            createdAt: at,
            updatedAt: at,
          };
          await deps.store.putConfig(config);
          return configView(config);
        },
      );
    },

    /**
     * Replaces a config. Credentials sent are stored anew; omitted ones are kept only for the same destination —
     * a changed provider, region, account, project or vault never inherits them.
     */
    async update(actor: AuditActor, id: string, input: SyncConfigInput): Promise<SyncConfigView> {
      const current = await mustGet(id);
      const connection = connectionFor(input.provider, input.connection);
      await checkTargetVault(connection);
      const creds = credentialsFor(input.provider, input.credentials);
      const keep = sameDestination(current, input.provider, connection);
      const cleared = !creds && !keep && current.credentialRef !== null;
      if (needsCredentials(input.provider) && !creds && !keep) {
        throw new SyncInvalidError(
          'The destination changed: send its credentials (stored ones stay with the old destination)',
        );
      }
      requireCredentialStore(creds);
      return auditedConfigChange(
        actor,
        'sync.config.updated',
        id,
        {
          name: input.name,
          provider: input.provider,
          destinationChanged: !keep,
          credentialsReplaced: creds !== null,
          credentialsCleared: cleared,
          enabled: input.enabled,
        },
        async () => {
          const credentialRef = creds ? await storeCredentials(id, creds) : keep ? current.credentialRef : null;
          const config: StoredConfig = {
            ...current,
            name: input.name,
            provider: input.provider,
            enabled: input.enabled,
            connection,
            credentialRef,
            rules: input.rules,
            updatedAt: now(),
          };
          await deps.store.putConfig(config);
          return configView(config);
        },
      );
    },

    async remove(actor: AuditActor, id: string): Promise<void> {
      const current = await mustGet(id);
      await auditedConfigChange(
        actor,
        'sync.config.deleted',
        id,
        { name: current.name, provider: current.provider },
        async () => {
          await deps.store.deleteConfig(id);
          await deps.store.deleteRecordsOf(id);
          if (current.credentialRef) await deps.credentials.remove(current.credentialRef);
        },
      );
    },

    async dryRun(id: string) {
      const config = await mustGet(id);
      try {
        const { entries } = await planConfig(deps.planner, config, { dryRun: true });
        const counts = Object.fromEntries(diffActions.map((a) => [a, entries.filter((e) => e.action === a).length]));
        return { configId: id, counts, entries };
      } catch (error) {
        throw asInvalid(error);
      }
    },

    /** Plans one config now (or every enabled one); returns the messages queued. */
    async syncConfig(id: string): Promise<number> {
      const config = await mustGet(id);
      if (!config.enabled) throw new SyncInvalidError('The sync config is disabled');
      return (await planConfig(deps.planner, config, { dryRun: false })).messages.length;
    },
    async syncAll(): Promise<number> {
      let queued = 0;
      for (const config of await deps.store.listConfigs()) {
        if (config.enabled) queued += (await planConfig(deps.planner, config, { dryRun: false })).messages.length;
      }
      return queued;
    },

    async syncRecord(recordId: string): Promise<number> {
      const record = await deps.store.getRecord(recordId);
      if (!record) throw new SyncNotFoundError(`No sync record ${recordId}`);
      const config = await mustGet(record.configId);
      if (!config.enabled) throw new SyncInvalidError('The sync config is disabled');
      return (await planConfig(deps.planner, config, { dryRun: false, onlyRecordId: recordId })).messages.length;
    },

    async records(query: { configId?: string | undefined; status?: string | undefined }): Promise<SyncRecordView[]> {
      const records = await deps.store.listRecords({ configId: query.configId });
      return records
        .filter((r) => !query.status || r.status === query.status)
        .map(recordView)
        .sort((a, b) => `${a.sourceVault}/${a.sourceName}`.localeCompare(`${b.sourceVault}/${b.sourceName}`));
    },

    history: (query: { configId?: string | undefined; limit: number }) => deps.store.listHistory(query),

    /**
     * An admin's answer to a conflict: `adopt` queues a push that takes the target over (tagging it as
     * Keyward's), `skip` leaves it alone from now on. Both are audited.
     */
    async resolveConflict(actor: AuditActor, recordId: string, decision: 'adopt' | 'skip'): Promise<SyncRecordView> {
      const record = await deps.store.getRecord(recordId);
      if (!record) throw new SyncNotFoundError(`No sync record ${recordId}`);
      if (record.status !== 'conflict')
        throw new SyncInvalidError('Only a record in conflict can be adopted or skipped');
      const config = await mustGet(record.configId);
      const entry = {
        actor,
        action: decision === 'adopt' ? ('sync.target.adopted' as const) : ('sync.target.skipped' as const),
        target: `${record.sourceVault}/${record.sourceName}`,
        outcome: 'success' as const,
        details: { provider: record.provider, targetName: record.targetName, reason: record.reason ?? '' },
      };
      return auditedChange(deps.audit, entry, async () => {
        if (decision === 'skip') {
          const next = { ...record, skippedByAdmin: true, updatedAt: now() };
          await deps.store.replaceRecord(next, record.etag);
          return recordView(next);
        }
        const sources = await deps.source.list(record.sourceVault, [record.kind]);
        const source = sources?.find((s) => s.name === record.sourceName && s.kind === record.kind);
        if (!source) throw new SyncInvalidError('The source object is gone; nothing to adopt');
        const message = {
          recordId,
          configId: config.id,
          action: 'push' as const,
          sourceStamp: source.stamp,
          adopt: true,
        };
        await deps.planner.send(queues.sync.name, [
          { messageId: `${messageIdOf(message, record.updatedAt)}.adopt`, body: message },
        ]);
        return recordView(record);
      });
    },

    /** The dashboard's connection test: one cheap authenticated read at the destination. */
    async testConnection(id: string): Promise<{ ok: boolean; error: string | null }> {
      const config = await mustGet(id);
      const rule = config.rules[0];
      if (!rule) return { ok: false, error: 'no rule' };
      try {
        await (await deps.providerFor(config, rule)).probe();
        return { ok: true, error: null };
      } catch (error) {
        return {
          ok: false,
          error: error instanceof SyncProviderError ? error.code : error instanceof Error ? error.name : 'Error',
        };
      }
    },
  };
}

function asInvalid(error: unknown): unknown {
  if (error instanceof MissingCredentialsError) return new SyncInvalidError(error.message);
  if (error instanceof SyncProviderError) return new SyncInvalidError(`The destination answered ${error.code}`);
  return error;
}

export type SyncService = ReturnType<typeof createSyncService>;
