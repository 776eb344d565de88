import { useState } from 'preact/hooks';
import { formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { useSession } from '../session';
import { ActionStatus, useAction } from '../use-action';
import { useApi } from '../use-api';
import { ConfigActions, RecordActions } from './sync-actions';
import { providerLabel, SyncConfigForm } from './sync-config-form';
import type { SyncApi, SyncConfig } from './sync-types';

type DryRun = SyncApi['dryRun'];

const destination = (c: SyncConfig): string =>
  c.connection.aws
    ? `${c.connection.aws.region} · ${c.connection.aws.accessKeyId}`
    : c.connection.gcp
      ? `${c.connection.gcp.projectId} · ${c.connection.gcp.location}`
      : (c.connection.keyVault?.vaultUri ?? '');

const dryRunSummary = (result: DryRun): string =>
  Object.entries(result.counts)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${n} ${action}`)
    .join(', ') || 'nothing to do';

function DryRunTable({ result }: { result: DryRun }) {
  return (
    <DataTable
      testId="sync-dry-run"
      caption={`Dry run: ${dryRunSummary(result)}`}
      showCaption
      rows={result.entries}
      rowKey={(e) => `${e.kind}/${e.sourceVault}/${e.sourceName}`}
      columns={[
        { header: 'Action', cell: (e) => e.action },
        { header: 'Source', class: 'mono', cell: (e) => `${e.sourceVault}/${e.sourceName} (${e.kind})` },
        { header: 'Target', class: 'mono', cell: (e) => e.targetName },
        { header: 'Why', cell: (e) => e.reason ?? '' },
      ]}
    />
  );
}

const credentialsText = (c: SyncConfig): string =>
  c.provider === 'keyVault' ? "Keyward's identity" : c.hasCredentials ? 'stored in Key Vault' : 'missing';

/** Sync: destinations, their dry run, per-object records with conflicts to adopt or skip, and history. */
export function SyncPage() {
  const { isAdmin } = useSession();
  const configs = useApi<SyncApi['configList']>('/api/automation/sync/configs');
  const records = useApi<SyncApi['recordList']>('/api/automation/sync/records');
  const history = useApi<SyncApi['historyList']>('/api/automation/sync/history?limit=50');
  const [editing, setEditing] = useState<SyncConfig | 'new'>();
  const [dryRun, setDryRun] = useState<DryRun>();
  const action = useAction();
  const reload = () => {
    configs.reload();
    records.reload();
    history.reload();
  };
  const act = (call: () => Promise<string | undefined>) =>
    void action.run(async () => {
      const message = await call();
      reload();
      return message;
    });
  return (
    <>
      <h1>Sync</h1>
      <p>
        Key Vault is the source of truth. Keyward writes only objects it created (tag <code>managed-by=keyward</code>);
        anything else at the destination, or changed there since the last sync, is a conflict for you to adopt or skip.
        Deletes are off unless a rule turns them on, and then use the provider's recovery window.
      </p>
      <ActionStatus action={action} />
      <Section id="sync-configs" title="Destinations">
        <Show load={configs} label="Sync configs">
          {(data) => (
            <DataTable
              rows={data.configs}
              rowKey={(c) => c.id}
              rowTestId={(c) => `sync-config-${c.name}`}
              columns={[
                { header: 'Name', cell: (c) => c.name },
                { header: 'Destination', cell: (c) => providerLabel(c.provider) },
                { header: 'Account / project / vault', class: 'mono', cell: destination },
                { header: 'Enabled', cell: (c) => (c.enabled ? 'yes' : 'no') },
                { header: 'Credentials', cell: credentialsText },
                {
                  header: 'Actions',
                  cell: (c) => <ConfigActions config={c} act={act} onDryRun={setDryRun} onEdit={() => setEditing(c)} />,
                },
              ]}
            />
          )}
        </Show>
        {isAdmin && !editing && (
          <button type="button" onClick={() => setEditing('new')}>
            New destination
          </button>
        )}
        {isAdmin && editing && (
          <SyncConfigForm
            config={editing === 'new' ? undefined : editing}
            onSaved={() => {
              setEditing(undefined);
              act(() => Promise.resolve('Saved. Run the dry run before enabling.'));
            }}
          />
        )}
        {dryRun && <DryRunTable result={dryRun} />}
      </Section>
      <Section id="sync-records" title="Records">
        <Show load={records} label="Sync records">
          {(data) => (
            <DataTable
              rows={data.records}
              rowKey={(r) => r.id}
              rowTestId={(r) => `sync-record-${r.sourceName}`}
              columns={[
                { header: 'Source', class: 'mono', cell: (r) => `${r.sourceVault}/${r.sourceName}` },
                { header: 'Target', class: 'mono', cell: (r) => `${providerLabel(r.provider)}: ${r.targetName}` },
                { header: 'Status', cell: (r) => r.status },
                {
                  header: 'Source version',
                  class: 'mono',
                  cell: (r) => r.lastSyncedSourceVersion?.slice(0, 12) ?? '—',
                },
                { header: 'Target version', class: 'mono', cell: (r) => r.targetVersion?.slice(0, 12) ?? '—' },
                { header: 'Last synced', cell: (r) => formatDate(r.lastSyncedAt) },
                { header: 'Why / last error', cell: (r) => r.reason ?? r.lastError ?? '' },
                {
                  header: 'Actions',
                  cell: (r) => <RecordActions record={r} onDone={(m) => act(() => Promise.resolve(m))} />,
                },
              ]}
            />
          )}
        </Show>
      </Section>
      <Section id="sync-history" title="History">
        <Show load={history} label="Sync history">
          {(data) => (
            <DataTable
              rows={data.entries}
              rowKey={(e) => e.id}
              columns={[
                { header: 'When', cell: (e) => formatDate(e.at) },
                { header: 'Source', class: 'mono', cell: (e) => `${e.sourceVault}/${e.sourceName}` },
                { header: 'Target', class: 'mono', cell: (e) => e.targetName },
                { header: 'Outcome', cell: (e) => e.outcome },
                { header: 'Detail', cell: (e) => e.detail ?? '' },
              ]}
            />
          )}
        </Show>
      </Section>
    </>
  );
}
