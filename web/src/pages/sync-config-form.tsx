import { useState } from 'preact/hooks';
import { api, messageOf } from '../api';
import { ErrorMessage } from '../components';
import type { SyncConfig, SyncConfigInput } from './sync-types';

const providers = [
  ['awsSecretsManager', 'AWS Secrets Manager'],
  ['awsParameterStore', 'AWS Parameter Store (SecureString)'],
  ['awsAcm', 'AWS Certificate Manager'],
  ['gcpSecretManager', 'GCP Secret Manager'],
  ['gcpCertificateManager', 'GCP Certificate Manager'],
  ['keyVault', 'Another Azure Key Vault'],
] as const;
type Provider = (typeof providers)[number][0];

export const providerLabel = (p: string): string => providers.find(([k]) => k === p)?.[1] ?? p;

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Create or edit a sync config (admins). Credentials are write-only: the form never shows stored ones, and a
 * changed destination must be sent with its credentials again (the API refuses otherwise).
 */
export function SyncConfigForm({ config, onSaved }: { config?: SyncConfig; onSaved: () => void }) {
  const rule = config?.rules[0];
  const [provider, setProvider] = useState<Provider>((config?.provider as Provider | undefined) ?? 'awsSecretsManager');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const aws = provider.startsWith('aws');
  const gcp = provider.startsWith('gcp');

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const f = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const body: SyncConfigInput = {
      name: text('name'),
      provider,
      enabled: f.get('enabled') === 'on',
      connection: aws
        ? {
            aws: {
              region: text('region'),
              accessKeyId: text('accessKeyId'),
              ...(text('roleArn') ? { roleArn: text('roleArn') } : {}),
              ...(text('externalId') ? { externalId: text('externalId') } : {}),
              ...(text('roleSessionName') ? { roleSessionName: text('roleSessionName') } : {}),
            },
          }
        : gcp
          ? { gcp: { projectId: text('projectId'), location: text('location') || 'global' } }
          : { keyVault: { vaultUri: text('vaultUri') } },
      ...(text('secretAccessKey') || text('serviceAccountKey')
        ? {
            credentials: aws
              ? { awsSecretAccessKey: text('secretAccessKey') }
              : { gcpServiceAccountKey: text('serviceAccountKey') },
          }
        : {}),
      rules: [
        {
          sourceVaults: list(text('sourceVaults')),
          namePattern: text('namePattern'),
          kinds: (['secret', 'certificate', 'key'] as const).filter((k) => f.get(`kind-${k}`) === 'on'),
          nameTemplate: text('nameTemplate') || '{vault}/{name}',
          deleteBehaviour: f.get('deletes') === 'on' ? 'delete' : 'keep',
          recoveryWindowDays: Number(text('recoveryWindowDays') || 30),
          ...(text('kmsKeyId') ? { kmsKeyId: text('kmsKeyId') } : {}),
          gcpReplicationLocations: list(text('replication')),
        },
      ],
    };
    setBusy(true);
    setError(undefined);
    try {
      await api(config ? 'PUT' : 'POST', `/api/automation/sync/configs${config ? `/${config.id}` : ''}`, body);
      onSaved();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={config ? `Edit ${config.name}` : 'New sync config'}>
      <ErrorMessage message={error} />
      <label>
        Name <input name="name" required maxLength={127} defaultValue={config?.name} />
      </label>
      <label>
        Destination
        <select name="provider" value={provider} onChange={(e) => setProvider(e.currentTarget.value as Provider)}>
          {providers.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {aws && (
        <fieldset>
          <legend>AWS</legend>
          <label>
            Region{' '}
            <input name="region" required placeholder="eu-west-1" defaultValue={config?.connection.aws?.region} />
          </label>
          <label>
            Access key id <input name="accessKeyId" required defaultValue={config?.connection.aws?.accessKeyId} />
          </label>
          <label>
            Secret access key{' '}
            <input
              name="secretAccessKey"
              type="password"
              autoComplete="off"
              placeholder={config?.hasCredentials ? 'stored — leave blank to keep' : ''}
            />
          </label>
          <label>
            Role to assume (optional){' '}
            <input
              name="roleArn"
              placeholder="arn:aws:iam::123456789012:role/keyward-sync"
              defaultValue={config?.connection.aws?.roleArn}
            />
          </label>
          <label>
            External id (optional) <input name="externalId" defaultValue={config?.connection.aws?.externalId} />
          </label>
          <label>
            Role session name (optional){' '}
            <input
              name="roleSessionName"
              placeholder="keyward-sync"
              defaultValue={config?.connection.aws?.roleSessionName}
            />
          </label>
          <label>
            KMS key id (optional) <input name="kmsKeyId" defaultValue={rule?.kmsKeyId} />
          </label>
        </fieldset>
      )}
      {gcp && (
        <fieldset>
          <legend>Google Cloud</legend>
          <label>
            Project id <input name="projectId" required defaultValue={config?.connection.gcp?.projectId} />
          </label>
          <label>
            Location (Certificate Manager){' '}
            <input name="location" defaultValue={config?.connection.gcp?.location ?? 'global'} />
          </label>
          <label>
            Service-account key (JSON){' '}
            <textarea
              name="serviceAccountKey"
              rows={3}
              placeholder={config?.hasCredentials ? 'stored — leave blank to keep' : ''}
            />
          </label>
          <label>
            Replication locations (comma-separated; blank = automatic){' '}
            <input name="replication" defaultValue={rule?.gcpReplicationLocations.join(', ')} />
          </label>
        </fieldset>
      )}
      {provider === 'keyVault' && (
        <label>
          Target vault URI{' '}
          <input name="vaultUri" type="url" required defaultValue={config?.connection.keyVault?.vaultUri} />
        </label>
      )}
      <fieldset>
        <legend>Rule</legend>
        <label>
          Source vaults (comma-separated){' '}
          <input name="sourceVaults" required defaultValue={rule?.sourceVaults.join(', ')} />
        </label>
        <label>
          Name pattern (glob, blank = all) <input name="namePattern" defaultValue={rule?.namePattern} />
        </label>
        {(['secret', 'certificate', 'key'] as const).map((k) => (
          <label key={k}>
            <input type="checkbox" name={`kind-${k}`} defaultChecked={rule ? rule.kinds.includes(k) : k === 'secret'} />{' '}
            {k}s{k === 'key' ? ' (listed as skipped: not exportable)' : ''}
          </label>
        ))}
        <label>
          Target name template <input name="nameTemplate" defaultValue={rule?.nameTemplate ?? '{vault}/{name}'} />
        </label>
        <label>
          <input type="checkbox" name="deletes" defaultChecked={rule?.deleteBehaviour === 'delete'} /> Delete targets
          whose source is deleted (with the provider's recovery window; off by default)
        </label>
        <label>
          Recovery window (days, 7–30){' '}
          <input
            name="recoveryWindowDays"
            type="number"
            min={7}
            max={30}
            defaultValue={rule?.recoveryWindowDays ?? 30}
          />
        </label>
      </fieldset>
      <label>
        <input type="checkbox" name="enabled" defaultChecked={config?.enabled ?? false} /> Enabled (run the dry run
        first)
      </label>
      <button type="submit" disabled={busy}>
        {config ? 'Save' : 'Create'}
      </button>
    </form>
  );
}
