import { useState } from 'preact/hooks';
import { api, messageOf, post } from '../api';
import { ErrorMessage, formatDate, Notice, Show } from '../components';
import { useSession } from '../session';
import { useApi } from '../use-api';
import { providerLabel, SyncConfigForm } from './sync-config-form';
import type {
  ConnectionTest,
  DryRun,
  SyncConfig,
  SyncConfigList,
  SyncHistory,
  SyncNow,
  SyncRecord,
  SyncRecordList,
} from './sync-types';

const destination = (c: SyncConfig): string =>
  c.connection.aws
    ? `${c.connection.aws.region} · ${c.connection.aws.accessKeyId}`
    : c.connection.gcp
      ? `${c.connection.gcp.projectId} · ${c.connection.gcp.location}`
      : (c.connection.keyVault?.vaultUri ?? '');

function DryRunTable({ result }: { result: DryRun }) {
  return (
    <table data-testid="sync-dry-run">
      <caption>
        Dry run:{' '}
        {Object.entries(result.counts)
          .filter(([, n]) => n > 0)
          .map(([action, n]) => `${n} ${action}`)
          .join(', ') || 'nothing to do'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">Source</th>
          <th scope="col">Target</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {result.entries.map((e) => (
          <tr key={`${e.kind}/${e.sourceVault}/${e.sourceName}`}>
            <td>{e.action}</td>
            <td class="mono">
              {e.sourceVault}/{e.sourceName} ({e.kind})
            </td>
            <td class="mono">{e.targetName}</td>
            <td>{e.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RecordActions({ record, onDone }: { record: SyncRecord; onDone: (message: string) => void }) {
  const { isAdmin, canOperate } = useSession();
  const [error, setError] = useState<string>();
  const run = async (call: () => Promise<string>) => {
    setError(undefined);
    try {
      onDone(await call());
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      {canOperate && (
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const r = await post<SyncNow>(`/api/automation/sync/records/${record.id}/sync`);
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
            onClick={() =>
              void run(async () => {
                await post(`/api/automation/sync/records/${record.id}/resolve`, { decision: 'adopt' });
                return `Keyward will take over ${record.targetName} (audited).`;
              })
            }
          >
            Adopt
          </button>{' '}
          <button
            type="button"
            onClick={() =>
              void run(async () => {
                await post(`/api/automation/sync/records/${record.id}/resolve`, { decision: 'skip' });
                return `${record.targetName} will be left alone.`;
              })
            }
          >
            Skip
          </button>
        </>
      )}
      <ErrorMessage message={error} />
    </>
  );
}

/** Sync: destinations, their dry run, per-object records with conflicts to adopt or skip, and history. */
export function SyncPage() {
  const { isAdmin, canOperate } = useSession();
  const configs = useApi<SyncConfigList>('/api/automation/sync/configs');
  const records = useApi<SyncRecordList>('/api/automation/sync/records');
  const history = useApi<SyncHistory>('/api/automation/sync/history?limit=50');
  const [editing, setEditing] = useState<SyncConfig | 'new'>();
  const [dryRun, setDryRun] = useState<DryRun>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const reload = () => {
    configs.reload();
    records.reload();
    history.reload();
  };
  const act = async (call: () => Promise<string | undefined>) => {
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await call());
      reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <>
      <h1>Sync</h1>
      <p>
        Key Vault is the source of truth. Keyward writes only objects it created (tag <code>managed-by=keyward</code>);
        anything else at the destination, or changed there since the last sync, is a conflict for you to adopt or skip.
        Deletes are off unless a rule turns them on, and then use the provider's recovery window.
      </p>
      <Notice message={notice} />
      <ErrorMessage message={error} />
      <section aria-labelledby="sync-configs">
        <h2 id="sync-configs">Destinations</h2>
        <Show load={configs} label="Sync configs">
          {(data) => (
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Destination</th>
                  <th scope="col">Account / project / vault</th>
                  <th scope="col">Enabled</th>
                  <th scope="col">Credentials</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.configs.map((c) => (
                  <tr key={c.id} data-testid={`sync-config-${c.name}`}>
                    <td>{c.name}</td>
                    <td>{providerLabel(c.provider)}</td>
                    <td class="mono">{destination(c)}</td>
                    <td>{c.enabled ? 'yes' : 'no'}</td>
                    <td>
                      {c.provider === 'keyVault'
                        ? "Keyward's identity"
                        : c.hasCredentials
                          ? 'stored in Key Vault'
                          : 'missing'}
                    </td>
                    <td>
                      {canOperate && (
                        <>
                          <button
                            type="button"
                            onClick={() =>
                              void act(async () => {
                                const r = await post<ConnectionTest>(`/api/automation/sync/configs/${c.id}/test`);
                                return r.ok
                                  ? `${c.name}: connected.`
                                  : `${c.name}: the destination answered ${r.error ?? 'an error'}.`;
                              })
                            }
                          >
                            Test connection
                          </button>{' '}
                          <button
                            type="button"
                            onClick={() =>
                              void act(async () => {
                                setDryRun(await post<DryRun>(`/api/automation/sync/configs/${c.id}/dry-run`));
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
                              void act(async () => {
                                const r = await post<SyncNow>(`/api/automation/sync/configs/${c.id}/sync`);
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
                          <button type="button" onClick={() => setEditing(c)}>
                            Edit
                          </button>{' '}
                          <button
                            type="button"
                            onClick={() =>
                              void act(async () => {
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
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
              setNotice('Saved. Run the dry run before enabling.');
              reload();
            }}
          />
        )}
        {dryRun && <DryRunTable result={dryRun} />}
      </section>
      <section aria-labelledby="sync-records">
        <h2 id="sync-records">Records</h2>
        <Show load={records} label="Sync records">
          {(data) => (
            <table>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Target</th>
                  <th scope="col">Status</th>
                  <th scope="col">Source version</th>
                  <th scope="col">Target version</th>
                  <th scope="col">Last synced</th>
                  <th scope="col">Why / last error</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.records.map((r) => (
                  <tr key={r.id} data-testid={`sync-record-${r.sourceName}`}>
                    <td class="mono">
                      {r.sourceVault}/{r.sourceName}
                    </td>
                    <td class="mono">
                      {providerLabel(r.provider)}: {r.targetName}
                    </td>
                    <td>{r.status}</td>
                    <td class="mono">{r.lastSyncedSourceVersion?.slice(0, 12) ?? '—'}</td>
                    <td class="mono">{r.targetVersion?.slice(0, 12) ?? '—'}</td>
                    <td>{formatDate(r.lastSyncedAt)}</td>
                    <td>{r.reason ?? r.lastError ?? ''}</td>
                    <td>
                      <RecordActions record={r} onDone={(m) => void act(() => Promise.resolve(m))} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Show>
      </section>
      <section aria-labelledby="sync-history">
        <h2 id="sync-history">History</h2>
        <Show load={history} label="Sync history">
          {(data) => (
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Source</th>
                  <th scope="col">Target</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <tr key={e.id}>
                    <td>{formatDate(e.at)}</td>
                    <td class="mono">
                      {e.sourceVault}/{e.sourceName}
                    </td>
                    <td class="mono">{e.targetName}</td>
                    <td>{e.outcome}</td>
                    <td>{e.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Show>
      </section>
    </>
  );
}
