import { useState } from 'preact/hooks';
import { api, post } from '../api';
import { ErrorMessage, formatDate, Section, Show } from '../components';
import { DataTable } from '../data-table';
import { useSession } from '../session';
import { ActionStatus, useAction } from '../use-action';
import { useApi } from '../use-api';
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

function RecordActions({ record, onDone }: { record: SyncApi['recordView']; onDone: (message: string) => void }) {
  const { isAdmin, canOperate } = useSession();
  const action = useAction();
  const run = (call: () => Promise<string>) => action.run(async () => onDone(await call()));
  const resolve = (decision: 'adopt' | 'skip', message: string) =>
    run(async () => {
      await post(`/api/automation/sync/records/${record.id}/resolve`, { decision });
      return message;
    });
  return (
    <>
      {canOperate && (
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const r = await post<SyncApi['syncNowResult']>(`/api/automation/sync/records/${record.id}/sync`);
              return r.queued ? `Sync of ${record.sourceName} queued.` : `${record.sourceName} is unchanged.`;
            })
          }
        >
          Sync now
        </button>
      )}
      {isAdmin && record.status === 'conflict' && (
        <>
          {' '}
          <button
            type="button"
            onClick={() => void resolve('adopt', `Keyward will take over ${record.targetName} (audited).`)}
          >
            Adopt
          </button>{' '}
          <button type="button" onClick={() => void resolve('skip', `${record.targetName} will be left alone.`)}>
            Skip
          </button>
        </>
      )}
      <ErrorMessage message={action.error} />
    </>
  );
}

/** A destination's actions: test, dry run and sync (operators); edit and remove (admins). */
function ConfigActions(props: {
  config: SyncConfig;
  act: (call: () => Promise<string | undefined>) => void;
  onDryRun: (result: DryRun) => void;
  onEdit: () => void;
}) {
  const { config: c, act } = props;
  const { isAdmin, canOperate } = useSession();
  return (
    <>
      {canOperate && (
        <>
          <button
            type="button"
            onClick={() =>
              act(async () => {
                const r = await post<SyncApi['connectionTest']>(`/api/automation/sync/configs/${c.id}/test`);
                return r.ok ? `${c.name}: connected.` : `${c.name}: the destination answered ${r.error ?? 'an error'}.`;
              })
            }
          >
            Test connection
          </button>{' '}
          <button
            type="button"
            onClick={() =>
              act(async () => {
                props.onDryRun(await post<DryRun>(`/api/automation/sync/configs/${c.id}/dry-run`));
                return undefined;
              })
            }
          >
            Dry run
          </button>{' '}
          <button
            type="button"
            disabled={!c.enabled}
            onClick={() =>
              act(async () => {
                const r = await post<SyncApi['syncNowResult']>(`/api/automation/sync/configs/${c.id}/sync`);
                return `${c.name}: ${r.queued} object(s) queued.`;
              })
            }
          >
            Sync now
          </button>
        </>
      )}
      {isAdmin && (
        <>
          {' '}
          <button type="button" onClick={props.onEdit}>
            Edit
          </button>{' '}
          <button
            type="button"
            onClick={() =>
              act(async () => {
                if (!window.confirm(`Remove ${c.name}? Targets stay as they are.`)) return undefined;
                await api('DELETE', `/api/automation/sync/configs/${c.id}`);
                return `${c.name} removed.`;
              })
            }
          >
            Remove
          </button>
        </>
      )}
    </>
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
